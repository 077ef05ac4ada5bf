import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { ticketKeys } from "@/lib/query-keys";
import type { TicketDetail, TicketStatus } from "@/lib/types";

/** Customers may close their ticket, or reopen a resolved or closed one. */
export function updateTicketStatus(ticketId: string, status: TicketStatus): Promise<TicketDetail> {
  return api.patch<TicketDetail>(`support/tickets/${encodeURIComponent(ticketId)}/`, { status });
}

export function useUpdateTicketStatus(ticketId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (status: TicketStatus) => updateTicketStatus(ticketId, status),
    onSuccess: (ticket) => {
      queryClient.setQueryData(ticketKeys.detail(ticketId), ticket);
      void queryClient.invalidateQueries({ queryKey: ticketKeys.lists() });
    },
  });
}
