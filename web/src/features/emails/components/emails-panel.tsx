import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/api-client";
import { formatBytes } from "@/lib/format";
import type { InboundEmail, TicketDetail } from "@/lib/types";
import { useTicketEmails } from "@/features/emails/api/get-ticket-emails";
import { EMAIL_CHANNEL_LABELS, EMAIL_STATUS_LABELS, hasEmailedMessages } from "@/features/emails/lib/emails";
import { RawEmailButton } from "./raw-email-button";

function EmailItem({ email }: { email: InboundEmail }) {
  const [showText, setShowText] = useState(false);
  const textId = useId();
  const sender = email.from_name ? `${email.from_name} <${email.from_address}>` : email.from_address;
  return (
    <li className={`email-item email-${email.status}`} data-email-id={email.id}>
      <p className="email-subject" dir="auto">
        {email.subject || <em>No subject</em>}
      </p>
      <p className="email-from">
        <span className="visually-hidden">From: </span>
        {sender}
      </p>
      <p className="email-meta">
        <span className={`badge badge-email-${email.status}`}>
          <span className="visually-hidden">Status: </span>
          {EMAIL_STATUS_LABELS[email.status] ?? email.status}
        </span>
        {email.opened_ticket ? <span className="badge badge-email-opened">Opened this ticket</span> : null}
        <RelativeTime value={email.received_at} prefix="Received " />
      </p>
      {email.reason ? <p className="email-reason">Reason: {email.reason}</p> : null}
      <p className="email-facts">
        {EMAIL_CHANNEL_LABELS[email.channel] ?? email.channel} · {formatBytes(email.size)}
      </p>
      <div className="email-actions">
        <RawEmailButton email={email} label="Download .eml" />
        {email.full_text ? (
          <Button
            variant="link"
            size="sm"
            aria-expanded={showText}
            aria-controls={showText ? textId : undefined}
            onClick={() => setShowText((current) => !current)}
          >
            {showText ? "Hide full text" : "Full text"}
          </Button>
        ) : null}
      </div>
      {showText ? (
        <pre id={textId} className="email-full-text" dir="auto">
          {email.full_text}
        </pre>
      ) : null}
    </li>
  );
}

/**
 * Staff: the mails that reached this ticket, with what became of each (processed into a message,
 * ignored as an auto-reply, failed) and the original to download. Collapsed until opened; it
 * asks the server only once opened, or at once when the conversation has emailed messages
 * (whose "Original mail" needs the same list).
 */
export function EmailsPanel({ ticket }: { ticket: TicketDetail }) {
  const [open, setOpen] = useState(false);
  const emails = useTicketEmails(ticket.id, open || hasEmailedMessages(ticket.messages));
  const headingId = useId();
  const bodyId = useId();
  const list = emails.data;
  const troubled = list?.filter((email) => email.status === "failed").length ?? 0;

  let body;
  if (emails.isPending) {
    body = (
      <div aria-busy="true">
        <p className="visually-hidden" role="status">
          Loading the emails…
        </p>
        <Skeleton width="90%" />
        <Skeleton width="70%" />
      </div>
    );
  } else if (emails.isError && !list) {
    body = (
      <div className="side-error" role="alert">
        <p>The emails could not be loaded: {errorMessage(emails.error)}</p>
        <Button size="sm" onClick={() => void emails.refetch()} busy={emails.isFetching}>
          Try again
        </Button>
      </div>
    );
  } else if (!list || list.length === 0) {
    body = <p className="muted">No emails reached this ticket.</p>;
  } else {
    body = (
      <ul className="email-list" aria-label="Emails">
        {list.map((email) => (
          <EmailItem key={email.id} email={email} />
        ))}
      </ul>
    );
  }

  return (
    <section className="side-section" aria-labelledby={headingId}>
      <h2 id={headingId} className="side-heading">
        <button
          type="button"
          className="side-toggle"
          aria-expanded={open}
          aria-controls={open ? bodyId : undefined}
          onClick={() => setOpen((current) => !current)}
        >
          <span className="side-toggle-icon" aria-hidden="true">
            {open ? "▾" : "▸"}
          </span>
          Emails
          {list ? <span className="side-count"> ({list.length})</span> : null}
          {troubled ? <span className="side-alert"> · {troubled} failed</span> : null}
        </button>
      </h2>
      {open ? <div id={bodyId}>{body}</div> : null}
    </section>
  );
}
