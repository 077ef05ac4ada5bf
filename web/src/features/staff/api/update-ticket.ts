import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { staffKeys, ticketKeys } from "@/lib/query-keys";
import type { TicketCategory, TicketDetail, TicketPriority, TicketStatus } from "@/lib/types";

export interface TicketChanges {
  status?: TicketStatus;
  priority?: TicketPriority;
  category?: TicketCategory;
  tags?: string[];
  title?: string;
}

export function updateTicket(ticketId: string, changes: TicketChanges): Promise<TicketDetail> {
  return api.patch<TicketDetail>(`support/tickets/${encodeURIComponent(ticketId)}/`, changes);
}

/** After any staff change to a ticket: the detail is the server's answer; lists, history and loads refresh. */
export function useTicketChanged() {
  const queryClient = useQueryClient();
  return (ticket: TicketDetail) => {
    queryClient.setQueryData(ticketKeys.detail(ticket.id), ticket);
    void queryClient.invalidateQueries({ queryKey: ticketKeys.lists() });
    void queryClient.invalidateQueries({ queryKey: ticketKeys.history(ticket.id) });
    void queryClient.invalidateQueries({ queryKey: staffKeys.agents });
  };
}

export function useUpdateTicket(ticketId: string) {
  const changed = useTicketChanged();
  return useMutation({
    mutationFn: (changes: TicketChanges) => updateTicket(ticketId, changes),
    onSuccess: changed,
  });
}
