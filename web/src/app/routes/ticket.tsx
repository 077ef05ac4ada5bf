import { useLocation, useParams } from "react-router";
import { AttachmentList } from "@/features/attachments/components/attachment-list";
import { AttachmentButton, UploadList } from "@/features/attachments/components/attachment-picker";
import { useAttachmentQueue } from "@/features/attachments/hooks/use-attachment-queue";
import { useMe } from "@/features/auth/api/get-me";
import { Conversation } from "@/features/conversation/components/conversation";
import { FailedUploadsNotice, type FailedUploadsState } from "@/app/new-ticket-uploads";

export function TicketRoute() {
  const { ticketId = "" } = useParams();
  return <TicketPage key={ticketId} ticketId={ticketId} />;
}

function TicketPage({ ticketId }: { ticketId: string }) {
  const me = useMe().data!;
  const queue = useAttachmentQueue({ ticketId });
  const location = useLocation();
  const failed = (location.state as FailedUploadsState | null)?.failedUploads ?? [];

  return (
    <Conversation
      ticketId={ticketId}
      viewer={me}
      notice={<FailedUploadsNotice initial={failed} title="Your ticket was created, but some files could not be attached:" />}
      renderAttachments={(attachments) => <AttachmentList attachments={attachments} />}
      composerAttachments={{
        button: <AttachmentButton queue={queue} />,
        list: <UploadList queue={queue} />,
        ready: queue.ready,
        busy: queue.busy,
        blocked: queue.blocked,
        clear: queue.clear,
      }}
    />
  );
}
