import { useRef, useState } from "react";
import { useLocation, useParams } from "react-router";
import { AttachmentList } from "@/features/attachments/components/attachment-list";
import { AttachmentButton, UploadList } from "@/features/attachments/components/attachment-picker";
import { useAttachmentQueue } from "@/features/attachments/hooks/use-attachment-queue";
import { useMe } from "@/features/auth/api/get-me";
import type { ComposerHandle } from "@/features/conversation/components/composer";
import { Conversation } from "@/features/conversation/components/conversation";
import { EmailsPanel } from "@/features/emails/components/emails-panel";
import { OriginalMailButton } from "@/features/emails/components/original-mail-button";
import { CannedPicker } from "@/features/staff/components/canned-picker";
import { CustomerPanel } from "@/features/staff/components/customer-panel";
import { HistoryTimeline } from "@/features/staff/components/history-timeline";
import { NoteToggle } from "@/features/staff/components/note-toggle";
import { SlaPanel } from "@/features/staff/components/sla-panel";
import { StaffTicketHeader } from "@/features/staff/components/staff-ticket-header";
import { TicketProperties } from "@/features/staff/components/ticket-properties";
import "@/features/staff/staff.css";
import type { FromQueueState } from "@/features/staff/types";
import { FailedUploadsNotice, type FailedUploadsState } from "@/app/new-ticket-uploads";
import { useNewTicketForCustomer } from "@/app/staff-new-ticket";

export function StaffTicketRoute() {
  const { ticketId = "" } = useParams();
  return <StaffTicketPage key={ticketId} ticketId={ticketId} />;
}

/**
 * The customer's conversation plus the staff tools: notes, canned responses, properties, the
 * ticket's emails, history.
 */
function StaffTicketPage({ ticketId }: { ticketId: string }) {
  const me = useMe().data!;
  const queue = useAttachmentQueue({ ticketId });
  const location = useLocation();
  const [note, setNote] = useState(false);
  const composer = useRef<ComposerHandle>(null);
  const state = location.state as (FromQueueState & FailedUploadsState) | null;
  const queueSearch = state?.queueSearch ?? "";
  const newTicket = useNewTicketForCustomer({ state: { queueSearch } satisfies FromQueueState });

  return (
    <div className="staff-wide staff-ticket">
      <Conversation
        ticketId={ticketId}
        viewer={me}
        notice={
          <FailedUploadsNotice
            initial={state?.failedUploads ?? []}
            title="The ticket was created, but some files could not be attached:"
          />
        }
        renderAttachments={(attachments) => <AttachmentList attachments={attachments} />}
        renderMessageTools={(message) =>
          message.via === "email" ? <OriginalMailButton ticketId={ticketId} message={message} /> : null
        }
        composerAttachments={{
          button: <AttachmentButton queue={queue} />,
          list: <UploadList queue={queue} />,
          ready: queue.ready,
          busy: queue.busy,
          blocked: queue.blocked,
          clear: queue.clear,
        }}
        renderHeader={(ticket) => <StaffTicketHeader ticket={ticket} backTo={`/queue${queueSearch}`} />}
        composerMode={note ? "note" : "reply"}
        composerHandle={composer}
        composerTools={
          <>
            <NoteToggle note={note} onChange={setNote} />
            <CannedPicker ticketId={ticketId} onInsert={(text) => composer.current?.insert(text)} />
          </>
        }
        renderAside={(ticket) => (
          <>
            <TicketProperties ticket={ticket} viewer={me} />
            <SlaPanel sla={ticket.sla} status={ticket.status} />
            <CustomerPanel ticket={ticket} onNewTicket={(customer) => newTicket.open(customer)} />
            <EmailsPanel ticket={ticket} />
            <HistoryTimeline ticketId={ticket.id} updatedAt={ticket.updated_at} />
          </>
        )}
      />
      {newTicket.dialog}
    </div>
  );
}
