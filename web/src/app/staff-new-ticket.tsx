/**
 * Staff open a ticket on a customer's behalf from the queue or from a ticket's customer panel.
 * This composes the staff dialog with the attachments feature (files upload to the new ticket's
 * first message) and lands on the new ticket.
 */
import { useState } from "react";
import { useNavigate } from "react-router";
import { AttachmentPicker } from "@/features/attachments/components/attachment-picker";
import { useMe } from "@/features/auth/api/get-me";
import { NewTicketForCustomerDialog } from "@/features/staff/components/new-ticket-for-customer";
import { draftKey } from "@/lib/drafts";
import type { TicketDetail, UserBrief } from "@/lib/types";
import { useUploadsAfterCreate, type FailedUploadsState } from "./new-ticket-uploads";

export function useNewTicketForCustomer(options: { state?: Record<string, unknown> } = {}) {
  // null: closed; otherwise open, with the customer chosen in advance (if any).
  const [opened, setOpened] = useState<{ customer: UserBrief | null } | null>(null);
  const { queue, uploadTo } = useUploadsAfterCreate();
  const navigate = useNavigate();
  const me = useMe().data;

  const close = () => {
    setOpened(null);
    queue.clear();
  };

  const onCreated = async (ticket: TicketDetail) => {
    const failed = await uploadTo(ticket);
    queue.clear();
    setOpened(null);
    navigate(`/tickets/${ticket.id}`, {
      state: { ...options.state, failedUploads: failed } satisfies FailedUploadsState,
    });
  };

  const dialog = (
    <NewTicketForCustomerDialog
      open={opened !== null}
      customer={opened?.customer ?? null}
      onClose={close}
      onCreated={onCreated}
      attachments={<AttachmentPicker queue={queue} />}
      attachmentsBlocked={queue.blocked}
      // Started from a customer's panel, a draft is that customer's; from the queue, the agent's.
      draftKey={
        me ? draftKey(me.id, { kind: "new-ticket-for-customer", customerId: opened?.customer?.id }) : undefined
      }
    />
  );

  return { open: (customer: UserBrief | null = null) => setOpened({ customer }), dialog };
}
