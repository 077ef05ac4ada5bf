import { api } from "@/lib/api-client";
import type { Message } from "@/lib/types";

export interface PostMessageInput {
  message_text: string;
  attachment_ids: string[];
  /** Staff only: a note other staff see and the customer never does. */
  is_internal?: boolean;
}

export function postMessage(ticketId: string, input: PostMessageInput): Promise<Message> {
  return api.post<Message>(`support/tickets/${encodeURIComponent(ticketId)}/messages/`, input);
}
