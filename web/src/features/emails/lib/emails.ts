import type { InboundEmailChannel, InboundEmailStatus, Message } from "@/lib/types";

/** Does the conversation hold a message that came by email (so staff will want its mail)? */
export function hasEmailedMessages(messages: Message[]): boolean {
  return messages.some((message) => message.via === "email");
}

export const EMAIL_STATUS_LABELS: Record<InboundEmailStatus, string> = {
  received: "Received",
  processed: "Processed",
  ignored: "Ignored",
  failed: "Failed",
};

export const EMAIL_CHANNEL_LABELS: Record<InboundEmailChannel, string> = {
  imap: "Mailbox (IMAP)",
  http: "Forwarded (HTTP)",
  webhook: "Provider webhook",
};
