import type { Message } from "@/lib/types";
import { useTicketEmails } from "@/features/emails/api/get-ticket-emails";
import { RawEmailButton } from "./raw-email-button";

/** Staff: on a message that came by email, download the mail it came from. */
export function OriginalMailButton({ ticketId, message }: { ticketId: string; message: Message }) {
  const emails = useTicketEmails(ticketId, message.via === "email");
  const email = emails.data?.find((candidate) => candidate.message === message.id);
  if (!email) return null;
  return <RawEmailButton email={email} label="Original mail" />;
}
