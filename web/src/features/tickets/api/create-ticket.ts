import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { ticketKeys } from "@/lib/query-keys";
import type { TicketCategory, TicketDetail, TicketPriority } from "@/lib/types";

export interface CreateTicketInput {
  title: string;
  category: TicketCategory;
  priority: TicketPriority;
  message_text: string;
}

export function createTicket(input: CreateTicketInput): Promise<TicketDetail> {
  return api.post<TicketDetail>("support/tickets/", input);
}

export function useCreateTicket() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createTicket,
    onSuccess: (ticket) => {
      queryClient.setQueryData(ticketKeys.detail(ticket.id), ticket);
      void queryClient.invalidateQueries({ queryKey: ticketKeys.lists() });
    },
  });
}
