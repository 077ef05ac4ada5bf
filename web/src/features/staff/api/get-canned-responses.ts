import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { staffKeys } from "@/lib/query-keys";
import type { CannedResponse } from "@/features/staff/types";

/** Shared responses and the viewer's own, optionally searched by title and text. */
export function getCannedResponses(search: string, signal?: AbortSignal): Promise<CannedResponse[]> {
  return api.get<CannedResponse[]>("support/canned-responses/", { signal, query: { search } });
}

export const cannedResponsesQuery = (search: string) =>
  queryOptions({
    queryKey: staffKeys.cannedList(search),
    queryFn: ({ signal }) => getCannedResponses(search, signal),
  });

export function useCannedResponses(search: string) {
  return useQuery({ ...cannedResponsesQuery(search), placeholderData: keepPreviousData });
}
