import type { QueryClient } from "@tanstack/react-query";
import { slaAdminKeys } from "./query-keys";

/** After a policy changes: the policies (positions shift), and the calendars (they count their policies). */
export function invalidatePolicies(queryClient: QueryClient): Promise<void> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: slaAdminKeys.policies() }),
    queryClient.invalidateQueries({ queryKey: slaAdminKeys.calendars() }),
  ]).then(() => undefined);
}
