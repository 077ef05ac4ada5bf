import { useState } from "react";
import { useLocation, useParams } from "react-router";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { AttachmentList } from "../../features/attachments/components/attachment-list";
import { AttachmentButton, UploadList } from "../../features/attachments/components/attachment-picker";
import { useAttachmentQueue } from "../../features/attachments/hooks/use-attachment-queue";
import { useMe } from "../../features/auth/api/get-me";
import { Conversation } from "../../features/conversation/components/conversation";
import type { FailedUploadsState } from "./tickets";

export function TicketRoute() {
  const { ticketId = "" } = useParams();
  return <TicketPage key={ticketId} ticketId={ticketId} />;
}

function TicketPage({ ticketId }: { ticketId: string }) {
  const me = useMe().data!;
  const queue = useAttachmentQueue({ ticketId });
  const location = useLocation();
  const [failed, setFailed] = useState((location.state as FailedUploadsState | null)?.failedUploads ?? []);

  const notice =
    failed.length > 0 ? (
      <Alert
        tone="warning"
        title="Your ticket was created, but some files could not be attached:"
        action={
          <Button size="sm" variant="ghost" onClick={() => setFailed([])}>
            Dismiss
          </Button>
        }
      >
        <ul>
          {failed.map((file) => (
            <li key={file.name}>
              {file.name}: {file.error}
            </li>
          ))}
        </ul>
      </Alert>
    ) : null;

  return (
    <Conversation
      ticketId={ticketId}
      viewer={me}
      notice={notice}
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
