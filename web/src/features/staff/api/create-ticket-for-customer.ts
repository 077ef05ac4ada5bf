import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { staffKeys, ticketKeys } from "@/lib/query-keys";
import type { TicketCategory, TicketDetail, TicketPriority, TicketSource } from "@/lib/types";

export type FirstMessageAs = "customer" | "internal_note";

export interface TicketForCustomerInput {
  /** The customer's id; or, for a caller without an account, their email (and name). */
  customer?: string;
  customer_email?: string;
  customer_name?: string;
  /** The first message is the customer's words (entered by the agent), or an internal note. */
  message_as: FirstMessageAs;
  title: string;
  category: TicketCategory;
  priority: TicketPriority;
  source: TicketSource;
  tags: string[];
  message_text: string;
}

/** Open a ticket on a customer's behalf (a phone call, an email). */
export function createTicketForCustomer(input: TicketForCustomerInput): Promise<TicketDetail> {
  return api.post<TicketDetail>("support/tickets/", input);
}

export function useCreateTicketForCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createTicketForCustomer,
    onSuccess: (ticket) => {
      queryClient.setQueryData(ticketKeys.detail(ticket.id), ticket);
      void queryClient.invalidateQueries({ queryKey: ticketKeys.lists() });
      // The customer's ticket count changed.
      void queryClient.invalidateQueries({ queryKey: staffKeys.customers() });
    },
  });
}
