import { queryOptions, useQuery } from "@tanstack/react-query";
import type { SlaPolicy } from "@/features/sla-admin/types";
import { listAll } from "./list-all";
import { slaAdminKeys } from "./query-keys";

/** The policies in the order they are tried (`position` 1 first). */
export async function getSlaPolicies(signal?: AbortSignal): Promise<SlaPolicy[]> {
  const policies = await listAll<SlaPolicy>("support/sla-policies/", signal);
  return [...policies].sort((a, b) => a.position - b.position);
}

export const slaPoliciesQuery = () =>
  queryOptions({ queryKey: slaAdminKeys.policies(), queryFn: ({ signal }) => getSlaPolicies(signal) });

export function useSlaPolicies() {
  return useQuery(slaPoliciesQuery());
}
