import { useMutation } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { TicketDetail, TicketPriority } from "@/lib/types";
import { useTicketChanged } from "./update-ticket";

export interface EscalateInput {
  reason: string;
  /** Without it the server raises the priority one level; it never lowers it. */
  priority?: TicketPriority;
}

export function escalateTicket(ticketId: string, input: EscalateInput): Promise<TicketDetail> {
  return api.post<TicketDetail>(`support/tickets/${encodeURIComponent(ticketId)}/escalate/`, input);
}

export function useEscalateTicket(ticketId: string) {
  const changed = useTicketChanged();
  return useMutation({
    mutationFn: (input: EscalateInput) => escalateTicket(ticketId, input),
    onSuccess: changed,
  });
}
