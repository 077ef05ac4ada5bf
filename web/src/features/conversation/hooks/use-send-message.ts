import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import { errorMessage } from "@/lib/api-client";
import { removeDraftIfSent } from "@/lib/drafts";
import { ticketKeys } from "@/lib/query-keys";
import type { Attachment, Message, TicketDetail } from "@/lib/types";
import { postMessage } from "@/features/conversation/api/post-message";

export interface OutgoingMessage {
  clientId: string;
  text: string;
  attachments: Attachment[];
  createdAt: string;
  status: "sending" | "failed";
  error?: string;
  /** A staff-only internal note rather than a reply. */
  internal?: boolean;
  /** Message ids the conversation already had when this was sent. */
  knownIds: Set<string>;
  /** The composer's stored draft this came from: forgotten once the server accepts it. */
  draftKey?: string;
}

let sequence = 0;

/**
 * Optimistic sending: a message shows at once as "sending", joins the conversation when the
 * server accepts it, or stays marked as failed (with retry) when it refuses. The cached
 * conversation only ever holds what the server returned, so nothing needs undoing and nothing
 * shows twice.
 */
export function useSendMessage(ticketId: string, messages: Message[] | undefined) {
  const queryClient = useQueryClient();
  const [outbox, setOutbox] = useState<OutgoingMessage[]>([]);
  const detailKey = ticketKeys.detail(ticketId);

  const mutation = useMutation({
    mutationKey: ["send-message", ticketId],
    mutationFn: async (item: OutgoingMessage) => {
      // A refetch that started before this send must not land after it and hide the message.
      await queryClient.cancelQueries({ queryKey: detailKey });
      return postMessage(ticketId, {
        message_text: item.text,
        attachment_ids: item.attachments.map((attachment) => attachment.id),
        ...(item.internal ? { is_internal: true } : {}),
      });
    },
    onSuccess: (message, item) => {
      queryClient.setQueryData<TicketDetail>(detailKey, (ticket) =>
        ticket && !ticket.messages.some((existing) => existing.id === message.id)
          ? { ...ticket, messages: [...ticket.messages, message], updated_at: message.created_at }
          : ticket,
      );
      setOutbox((current) => current.filter((entry) => entry.clientId !== item.clientId));
      if (item.draftKey) removeDraftIfSent(item.draftKey, item.text);
      // The reply may have changed the ticket's status (a resolved ticket reopens).
      void queryClient.invalidateQueries({ queryKey: detailKey });
      void queryClient.invalidateQueries({ queryKey: ticketKeys.lists() });
    },
    onError: (error, item) => {
      setOutbox((current) =>
        current.map((entry) =>
          entry.clientId === item.clientId ? { ...entry, status: "failed", error: errorMessage(error) } : entry,
        ),
      );
    },
  });
  const { mutate } = mutation;

  const send = useCallback(
    (text: string, attachments: Attachment[] = [], options: { internal?: boolean; draftKey?: string } = {}) => {
      const item: OutgoingMessage = {
        clientId: `outgoing-${(sequence += 1)}`,
        text,
        attachments,
        internal: options.internal,
        draftKey: options.draftKey,
        createdAt: new Date().toISOString(),
        status: "sending",
        knownIds: new Set((messages ?? []).map((message) => message.id)),
      };
      setOutbox((current) => [...current, item]);
      mutate(item);
    },
    [messages, mutate],
  );

  const retry = useCallback(
    (clientId: string) => {
      const item = outbox.find((entry) => entry.clientId === clientId);
      if (!item || item.status !== "failed") return;
      const again: OutgoingMessage = { ...item, status: "sending", error: undefined };
      setOutbox((current) => current.map((entry) => (entry.clientId === clientId ? again : entry)));
      mutate(again);
    },
    [outbox, mutate],
  );

  const discard = useCallback(
    (clientId: string) => {
      const item = outbox.find((entry) => entry.clientId === clientId);
      if (item?.draftKey) removeDraftIfSent(item.draftKey, item.text);
      setOutbox((current) => current.filter((entry) => entry.clientId !== clientId));
    },
    [outbox],
  );

  // If the server's copy arrived first (a refetch raced the response), show only that one.
  const pending = useMemo(
    () =>
      outbox.filter(
        (item) =>
          item.status === "failed" ||
          !(messages ?? []).some(
            (message) => !item.knownIds.has(message.id) && message.message_text === item.text,
          ),
      ),
    [outbox, messages],
  );

  return { pending, send, retry, discard };
}
