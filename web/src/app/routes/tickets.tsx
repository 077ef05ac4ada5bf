import { useState } from "react";
import { useNavigate } from "react-router";
import { Button } from "@/components/ui/button";
import { AttachmentPicker } from "@/features/attachments/components/attachment-picker";
import { useMe } from "@/features/auth/api/get-me";
import { NewTicketDialog } from "@/features/tickets/components/new-ticket-dialog";
import { TicketList } from "@/features/tickets/components/ticket-list";
import { draftKey } from "@/lib/drafts";
import type { TicketDetail } from "@/lib/types";
import { useDocumentTitle } from "@/lib/use-document-title";
import { useUploadsAfterCreate, type FailedUploadsState } from "@/app/new-ticket-uploads";

export function TicketsRoute() {
  const me = useMe().data!;
  const title = me.is_staff ? "All tickets" : "Your tickets";
  useDocumentTitle(title);
  const [creating, setCreating] = useState(false);
  const { queue, uploadTo } = useUploadsAfterCreate();
  const navigate = useNavigate();
  // Staff open tickets for a customer from the staff workspace, which asks who it is for.
  const canCreate = !me.is_staff;

  const close = () => {
    setCreating(false);
    queue.clear();
  };

  const onCreated = async (ticket: TicketDetail) => {
    const failed = await uploadTo(ticket);
    queue.clear();
    setCreating(false);
    navigate(`/tickets/${ticket.id}`, { state: { failedUploads: failed } satisfies FailedUploadsState });
  };

  const openDialog = () => setCreating(true);

  return (
    <div className="page">
      <div className="page-header">
        <h1>{title}</h1>
        {canCreate ? (
          <Button variant="primary" onClick={openDialog}>
            New ticket
          </Button>
        ) : null}
      </div>
      <TicketList
        showCustomer={me.is_staff}
        emptyAction={
          canCreate ? (
            <Button variant="primary" onClick={openDialog}>
              Open your first ticket
            </Button>
          ) : null
        }
      />
      <NewTicketDialog
        open={creating}
        onClose={close}
        onCreated={onCreated}
        attachments={<AttachmentPicker queue={queue} />}
        attachmentsBlocked={queue.blocked}
        draftKey={draftKey(me.id, { kind: "new-ticket" })}
      />
    </div>
  );
}
