import { useRef, useState } from "react";
import { Link } from "react-router";
import { FollowUpNote } from "@/components/follow-up-note";
import { Alert } from "@/components/ui/alert";
import { PriorityBadge, StatusBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { RelativeTime } from "@/components/ui/relative-time";
import { TicketNumber } from "@/components/ui/ticket-number";
import { errorMessage } from "@/lib/api-client";
import { humanize } from "@/lib/format";
import type { TicketDetail, User } from "@/lib/types";
import { useUpdateTicketStatus } from "@/features/conversation/api/update-ticket-status";

export function TicketHeader({ ticket, viewer }: { ticket: TicketDetail; viewer: User }) {
  const update = useUpdateTicketStatus(ticket.id);
  const [confirming, setConfirming] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const closed = ticket.status === "closed";
  const canReopen = ticket.status === "closed" || ticket.status === "resolved";

  return (
    <header className="ticket-header">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/tickets">
          <span aria-hidden="true">← </span>All tickets
        </Link>
      </nav>
      <div className="ticket-header-main">
        <div className="ticket-header-text">
          <div className="ticket-title-row">
            <TicketNumber number={ticket.number} className="ticket-header-number" />
            <h1 className="ticket-header-title" dir="auto">
              {ticket.title}
            </h1>
          </div>
          <FollowUpNote follows={ticket.follows} />
          <div className="ticket-meta">
            <StatusBadge status={ticket.status} audience={viewer.is_staff ? "staff" : "customer"} />
            <PriorityBadge priority={ticket.priority} />
            <span className="meta-text">{humanize(ticket.category)}</span>
            {viewer.is_staff ? <span className="meta-text">{ticket.customer.name}</span> : null}
            <span className="meta-text">
              <RelativeTime value={ticket.created_at} prefix="Opened " />
            </span>
          </div>
        </div>
        <div className="ticket-actions">
          {canReopen ? (
            <Button busy={update.isPending && update.variables === "open"} onClick={() => update.mutate("open")}>
              Reopen ticket
            </Button>
          ) : null}
          {!closed ? (
            <Button variant="danger" onClick={() => setConfirming(true)} disabled={update.isPending}>
              Close ticket
            </Button>
          ) : null}
        </div>
      </div>
      {update.isError && !confirming ? <Alert>{errorMessage(update.error)}</Alert> : null}
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Close this ticket?"
        role="alertdialog"
        size="sm"
        initialFocusRef={cancelRef}
        locked={update.isPending}
        description="Closing tells support the problem is solved. You can reopen the ticket later if you need more help."
      >
        {update.isError ? <Alert>{errorMessage(update.error)}</Alert> : null}
        <div className="dialog-actions">
          <Button ref={cancelRef} onClick={() => setConfirming(false)} disabled={update.isPending}>
            Keep open
          </Button>
          <Button
            variant="danger"
            busy={update.isPending}
            onClick={() => update.mutate("closed", { onSuccess: () => setConfirming(false) })}
          >
            {update.isPending ? "Closing…" : "Close ticket"}
          </Button>
        </div>
      </Dialog>
    </header>
  );
}
