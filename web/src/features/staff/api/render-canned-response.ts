import { useMutation } from "@tanstack/react-query";
import { api } from "@/lib/api-client";

/** The response's text with its placeholders filled in for a ticket (customer, title, agent). */
export function renderCannedResponse(id: string, ticketId: string): Promise<{ body: string }> {
  return api.post<{ body: string }>(`support/canned-responses/${encodeURIComponent(id)}/render/`, {
    ticket_id: ticketId,
  });
}

export function useRenderCannedResponse(ticketId: string) {
  return useMutation({ mutationFn: (id: string) => renderCannedResponse(id, ticketId) });
}
