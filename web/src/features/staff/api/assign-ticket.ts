import { useMutation } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { TicketDetail } from "@/lib/types";
import { useTicketChanged } from "./update-ticket";

/** Assign to an agent, or unassign with null; an open ticket becomes in progress. */
export function assignTicket(ticketId: string, agentId: string | null): Promise<TicketDetail> {
  return api.post<TicketDetail>(`support/tickets/${encodeURIComponent(ticketId)}/assign/`, { agent_id: agentId });
}

export function useAssignTicket(ticketId: string) {
  const changed = useTicketChanged();
  return useMutation({
    mutationFn: (agentId: string | null) => assignTicket(ticketId, agentId),
    onSuccess: changed,
  });
}
