/**
 * Files picked in a "new ticket" dialog wait until the ticket exists, then upload linked to its
 * first message. Shared by the customer's and the staff's dialogs (their routes compose the
 * attachments feature with the dialog), and by the ticket pages that report files that failed.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useAttachmentQueue } from "@/features/attachments/hooks/use-attachment-queue";
import { ticketKeys } from "@/lib/query-keys";
import type { TicketDetail } from "@/lib/types";

export interface FailedUpload {
  name: string;
  error: string;
}

/** Navigation state for a new ticket's page: the files that could not be attached. */
export interface FailedUploadsState {
  failedUploads?: FailedUpload[];
}

export function useUploadsAfterCreate() {
  const queue = useAttachmentQueue();
  const queryClient = useQueryClient();

  /** Upload the waiting files to the new ticket's first message; resolves with those that failed. */
  const uploadTo = useCallback(
    async (ticket: TicketDetail): Promise<FailedUpload[]> => {
      if (queue.items.length === 0) return [];
      const firstMessage = ticket.messages[0];
      const outcome = await queue.uploadAll(ticket.id, firstMessage?.id);
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
      return outcome.failed;
    },
    [queue, queryClient],
  );

  return { queue, uploadTo };
}

/** "The ticket was created, but some files could not be attached", until dismissed. */
export function FailedUploadsNotice({ initial, title }: { initial: FailedUpload[]; title: string }) {
  const [failed, setFailed] = useState(initial);
  if (failed.length === 0) return null;
  return (
    <Alert
      tone="warning"
      title={title}
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
  );
}
