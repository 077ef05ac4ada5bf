import { Link } from "react-router";
import { FollowUpNote } from "@/components/follow-up-note";
import { PriorityBadge, StatusBadge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { TicketNumber } from "@/components/ui/ticket-number";
import { humanize } from "@/lib/format";
import type { TicketDetail } from "@/lib/types";

/** The staff view of a ticket's header: back to the queue (as it was filtered), title and facts. */
export function StaffTicketHeader({ ticket, backTo = "/queue" }: { ticket: TicketDetail; backTo?: string }) {
  return (
    <header className="ticket-header">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={backTo}>
          <span aria-hidden="true">← </span>Queue
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
            <StatusBadge status={ticket.status} />
            <PriorityBadge priority={ticket.priority} />
            {ticket.escalated ? <span className="badge badge-escalated">Escalated</span> : null}
            <span className="meta-text">{humanize(ticket.category)}</span>
            <span className="meta-text">
              {ticket.customer.name} via {ticket.source}
            </span>
            <span className="meta-text">
              <RelativeTime value={ticket.created_at} prefix="Opened " />
            </span>
          </div>
        </div>
      </div>
    </header>
  );
}
