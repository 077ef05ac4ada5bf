import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";
import { Button } from "../../components/ui/button";
import { AttachmentPicker } from "../../features/attachments/components/attachment-picker";
import { useAttachmentQueue } from "../../features/attachments/hooks/use-attachment-queue";
import { useMe } from "../../features/auth/api/get-me";
import { NewTicketDialog } from "../../features/tickets/components/new-ticket-dialog";
import { TicketList } from "../../features/tickets/components/ticket-list";
import { ticketKeys } from "../../lib/query-keys";
import type { TicketDetail } from "../../lib/types";
import { useDocumentTitle } from "../../lib/use-document-title";

export interface FailedUploadsState {
  failedUploads?: { name: string; error: string }[];
}

export function TicketsRoute() {
  const me = useMe().data!;
  const title = me.is_staff ? "All tickets" : "Your tickets";
  useDocumentTitle(title);
  const [creating, setCreating] = useState(false);
  const queue = useAttachmentQueue();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // Staff open tickets for a customer from the staff workspace, which asks who it is for.
  const canCreate = !me.is_staff;

  const close = () => {
    setCreating(false);
    queue.clear();
  };

  const onCreated = async (ticket: TicketDetail) => {
    const firstMessage = ticket.messages[0];
    let failed: FailedUploadsState["failedUploads"] = [];
    if (queue.items.length > 0) {
      const outcome = await queue.uploadAll(ticket.id, firstMessage?.id);
      failed = outcome.failed;
      if (outcome.uploaded.length > 0 && firstMessage) {
        queryClient.setQueryData<TicketDetail>(ticketKeys.detail(ticket.id), (current) =>
          current
            ? {
                ...current,
                messages: current.messages.map((message) =>
                  message.id === firstMessage.id
                    ? {
                        ...message,
                        // A live update may have brought some of them already.
                        attachments: [
                          ...message.attachments,
                          ...outcome.uploaded.filter(
                            (file) => !message.attachments.some((known) => known.id === file.id),
                          ),
                        ],
                      }
                    : message,
                ),
              }
            : current,
        );
      }
    }
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
      />
    </div>
  );
}
