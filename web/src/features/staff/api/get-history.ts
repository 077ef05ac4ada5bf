import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { ticketKeys } from "@/lib/query-keys";
import type { TicketEvent } from "@/features/staff/types";

export function getTicketHistory(ticketId: string, signal?: AbortSignal): Promise<TicketEvent[]> {
  return api.get<TicketEvent[]>(`support/tickets/${encodeURIComponent(ticketId)}/history/`, { signal });
}

export const ticketHistoryQuery = (ticketId: string) =>
  queryOptions({
    queryKey: ticketKeys.history(ticketId),
    queryFn: ({ signal }) => getTicketHistory(ticketId, signal),
  });

export function useTicketHistory(ticketId: string) {
  return useQuery(ticketHistoryQuery(ticketId));
}
