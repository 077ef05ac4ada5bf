import type { ReactNode, Ref } from "react";
import { Link } from "react-router";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { errorMessage, isApiError } from "@/lib/api-client";
import { draftKey } from "@/lib/drafts";
import { ticketName } from "@/lib/format";
import { useDocumentTitle } from "@/lib/use-document-title";
import type { Attachment, Message, TicketDetail, User } from "@/lib/types";
import { useTicket } from "@/features/conversation/api/get-ticket";
import { useSendMessage } from "@/features/conversation/hooks/use-send-message";
import { Composer, type ComposerAttachments, type ComposerHandle } from "./composer";
import { MessageList } from "./message-list";
import { TicketHeader } from "./ticket-header";

export interface ConversationProps {
  ticketId: string;
  viewer: User;
  renderAttachments?: (attachments: Attachment[]) => ReactNode;
  /** Extra controls on each message (the staff workspace's "Original mail" on emailed ones). */
  renderMessageTools?: (message: Message) => ReactNode;
  composerAttachments?: ComposerAttachments;
  /** Shown above the messages (e.g. files that could not be attached to a new ticket). */
  notice?: ReactNode;
  /** Replaces the customer's header (the staff workspace shows its own). */
  renderHeader?: (ticket: TicketDetail) => ReactNode;
  /** A side panel next to the conversation (the staff workspace's ticket details). */
  renderAside?: (ticket: TicketDetail) => ReactNode;
  /** Staff: "note" posts internal notes instead of replies. */
  composerMode?: "reply" | "note";
  composerTools?: ReactNode;
  composerHandle?: Ref<ComposerHandle>;
}

function ConversationSkeleton() {
  return (
    <div className="conversation" aria-busy="true">
      <p className="visually-hidden" role="status">
        Loading the conversation…
      </p>
      <div className="ticket-header" aria-hidden="true">
        <Skeleton width="50%" height="1.6rem" />
        <Skeleton width="30%" />
      </div>
      <div className="message-pane" aria-hidden="true">
        <Skeleton width="70%" height="4rem" />
        <Skeleton width="60%" height="3rem" />
      </div>
    </div>
  );
}

/** One ticket: its header, its messages in order, and the reply composer. */
export function Conversation({
  ticketId,
  viewer,
  renderAttachments,
  renderMessageTools,
  composerAttachments,
  notice,
  renderHeader,
  renderAside,
  composerMode = "reply",
  composerTools,
  composerHandle,
}: ConversationProps) {
  const ticket = useTicket(ticketId);
  const outbox = useSendMessage(ticketId, ticket.data?.messages);
  useDocumentTitle(ticket.data ? ticketName(ticket.data) : ticket.isError ? "Ticket not found" : "Ticket");

  if (ticket.isPending) return <ConversationSkeleton />;
  if (ticket.isError && !ticket.data) {
    if (isApiError(ticket.error) && ticket.error.status === 404) {
      return (
        <div className="conversation">
          <EmptyState title="Ticket not found" action={<Link to="/tickets">Back to your tickets</Link>}>
            This ticket does not exist, or it is not one you can see.
          </EmptyState>
        </div>
      );
    }
    return (
      <div className="conversation">
        <ErrorState
          title="This conversation could not be loaded."
          message={errorMessage(ticket.error)}
          onRetry={() => void ticket.refetch()}
          retrying={ticket.isFetching}
        />
      </div>
    );
  }

  const data = ticket.data;
  const closed = data.status === "closed";
  // Replies and notes are drafted apart: a note restored after a reload never turns into a reply.
  const composerDraft = draftKey(viewer.id, { kind: composerMode, ticketId });
  const conversation = (
    <div className="conversation">
      {renderHeader ? renderHeader(data) : <TicketHeader ticket={data} viewer={viewer} />}
      {notice}
      <MessageList
        messages={data.messages}
        pending={outbox.pending}
        viewer={viewer}
        onRetry={outbox.retry}
        onDiscard={outbox.discard}
        renderAttachments={renderAttachments}
        renderMessageTools={renderMessageTools}
      />
      <Composer
        onSend={(text, attachments) =>
          outbox.send(text, attachments, { internal: composerMode === "note", draftKey: composerDraft })
        }
        mode={composerMode}
        draftKey={composerDraft}
        tools={composerTools}
        handle={composerHandle}
        attachments={composerAttachments}
        disabledReason={
          closed
            ? "This ticket is closed, so it cannot take new messages. Reopen it (above) to continue the conversation."
            : undefined
        }
      />
    </div>
  );
  if (!renderAside) return conversation;
  return (
    <div className="conversation-layout">
      {conversation}
      <aside className="conversation-aside" aria-label="Ticket details">
        {renderAside(data)}
      </aside>
    </div>
  );
}
