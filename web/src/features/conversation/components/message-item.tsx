import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { LinkifiedText } from "@/components/ui/linkified-text";
import { RelativeTime } from "@/components/ui/relative-time";
import type { Message, User } from "@/lib/types";
import type { OutgoingMessage } from "@/features/conversation/hooks/use-send-message";

/** "You" for the viewer's own messages, "Support" for staff, otherwise the sender's name. */
export function senderLabel(message: Message, viewer: User): { label: string; detail?: string; mine: boolean } {
  const sender = message.sender;
  if (sender && sender.id === viewer.id) return { label: "You", mine: true };
  if (sender?.is_staff || (!sender && !message.is_from_customer)) {
    return { label: "Support", detail: sender?.name, mine: false };
  }
  return { label: sender?.name ?? "Customer", mine: false };
}

export function MessageItem({
  message,
  viewer,
  attachments,
  tools,
}: {
  message: Message;
  viewer: User;
  attachments?: ReactNode;
  /** Extra controls in the message's header (staff: download the mail it came from). */
  tools?: ReactNode;
}) {
  const { label, detail, mine } = senderLabel(message, viewer);
  // A caller's words that an agent typed in: whose words they are, and who took them down.
  const entered = message.entered_by ? (message.entered_by.id === viewer.id ? "you" : message.entered_by.name) : null;
  // Came by email: everyone sees so; staff also see the address it came from.
  const emailed = message.via === "email";
  const emailFrom = emailed && viewer.is_staff ? message.email_from : "";
  const classes = ["message", mine ? "message-mine" : "message-theirs", message.is_internal ? "message-internal" : ""];
  return (
    <li className={classes.filter(Boolean).join(" ")} data-message-id={message.id}>
      <article
        aria-label={`${label} wrote${message.is_internal ? " an internal note" : ""}${entered ? `, entered by ${entered}` : ""}`}
      >
        <header className="message-meta">
          <span className={`sender sender-${mine ? "you" : label === "Support" ? "support" : "other"}`}>{label}</span>
          {detail ? <span className="sender-detail">{detail}</span> : null}
          {message.is_internal ? <span className="badge badge-internal">Internal note</span> : null}
          {entered ? <span className="badge badge-entered">Entered by {entered}</span> : null}
          {emailed ? (
            <span className="message-via">
              via email
              {emailFrom ? (
                <>
                  {" from "}
                  <span className="message-email-from">{emailFrom}</span>
                </>
              ) : null}
            </span>
          ) : null}
          {tools}
          <span className="message-time">
            <RelativeTime value={message.created_at} />
          </span>
        </header>
        <p className="message-text" dir="auto">
          <LinkifiedText text={message.message_text} />
        </p>
        {attachments}
      </article>
    </li>
  );
}

export function OutgoingItem({
  item,
  attachments,
  onRetry,
  onDiscard,
}: {
  item: OutgoingMessage;
  attachments?: ReactNode;
  onRetry: () => void;
  onDiscard: () => void;
}) {
  const failed = item.status === "failed";
  const note = item.internal ? " message-internal" : "";
  return (
    <li className={`message message-mine ${failed ? "message-failed" : "message-sending"}${note}`} data-outgoing={item.status}>
      <article aria-label={item.internal ? "You wrote an internal note" : "You wrote"}>
        <header className="message-meta">
          <span className="sender sender-you">You</span>
          {item.internal ? <span className="badge badge-internal">Internal note</span> : null}
          <span className="message-time">{failed ? "Not sent" : "Sending…"}</span>
        </header>
        <p className="message-text" dir="auto">
          <LinkifiedText text={item.text} />
        </p>
        {attachments}
        {failed ? (
          <div className="message-error" role="alert">
            <p>Not sent: {item.error}</p>
            <div className="message-error-actions">
              <Button size="sm" variant="primary" onClick={onRetry}>
                Retry
              </Button>
              <Button size="sm" variant="ghost" onClick={onDiscard}>
                Discard
              </Button>
            </div>
          </div>
        ) : null}
      </article>
    </li>
  );
}
