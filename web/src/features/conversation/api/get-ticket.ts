import { queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { api } from "@/lib/api-client";
import { ticketKeys } from "@/lib/query-keys";
import type { TicketDetail } from "@/lib/types";

export function getTicket(ticketId: string, signal?: AbortSignal): Promise<TicketDetail> {
  return api.get<TicketDetail>(`support/tickets/${encodeURIComponent(ticketId)}/`, { signal });
}

export const ticketQuery = (ticketId: string) =>
  queryOptions({
    queryKey: ticketKeys.detail(ticketId),
    queryFn: ({ signal }) => getTicket(ticketId, signal),
  });

export function useTicket(ticketId: string) {
  const queryClient = useQueryClient();
  // No polling of its own: live updates (lib/live-updates) push news into this query, and poll
  // it while the socket is down.
  const query = useQuery(ticketQuery(ticketId));
  // Opening a ticket marks its messages read: the lists' unread markers are now out of date.
  useEffect(() => {
    if (query.dataUpdatedAt) {
      void queryClient.invalidateQueries({ queryKey: ticketKeys.lists(), refetchType: "none" });
    }
  }, [query.dataUpdatedAt, queryClient]);
  return query;
}
