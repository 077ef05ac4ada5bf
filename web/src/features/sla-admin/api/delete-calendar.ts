import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { slaAdminKeys } from "./query-keys";

/** Refused with 409 `conflict` while a policy uses the calendar. */
export function deleteCalendar(id: string): Promise<null> {
  return api.delete(`support/calendars/${encodeURIComponent(id)}/`);
}

export function useDeleteCalendar() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteCalendar,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: slaAdminKeys.calendars() }),
  });
}
