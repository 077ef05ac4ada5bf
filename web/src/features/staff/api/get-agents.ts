import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { staffKeys } from "@/lib/query-keys";
import type { Agent } from "@/features/staff/types";

export function getAgents(signal?: AbortSignal): Promise<Agent[]> {
  return api.get<Agent[]>("support/agents/", { signal });
}

export const agentsQuery = () =>
  queryOptions({ queryKey: staffKeys.agents, queryFn: ({ signal }) => getAgents(signal), staleTime: 60_000 });

/** Active staff with their open load, for assignee pickers and filters. */
export function useAgents() {
  return useQuery(agentsQuery());
}
