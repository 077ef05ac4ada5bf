import { Link } from "react-router";
import { PriorityBadge, StatusBadge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { TicketNumber } from "@/components/ui/ticket-number";
import { humanize } from "@/lib/format";
import type { TicketListItem as Ticket } from "@/lib/types";

export function TicketListItem({ ticket, showCustomer }: { ticket: Ticket; showCustomer: boolean }) {
  const unread = ticket.unread_count > 0;
  return (
    <li className={`ticket-card${unread ? " ticket-unread" : ""}`}>
      <div className="ticket-card-top">
        <h3 className="ticket-title">
          <TicketNumber number={ticket.number} />{" "}
          <Link to={`/tickets/${ticket.id}`} className="ticket-link" dir="auto">
            {ticket.title}
          </Link>
        </h3>
        {unread ? (
          <span className="unread-badge">
            <span className="unread-dot" aria-hidden="true" />
            {ticket.unread_count} new
            <span className="visually-hidden"> unread {ticket.unread_count === 1 ? "message" : "messages"}</span>
          </span>
        ) : null}
      </div>
      <p className="ticket-snippet" dir="auto">
        {ticket.last_message_snippet ? ticket.last_message_snippet : <em>No messages yet</em>}
      </p>
      <div className="ticket-meta">
        {/* The list names the customer only for staff; everyone else reads it as its customer. */}
        <StatusBadge status={ticket.status} audience={showCustomer ? "staff" : "customer"} />
        <PriorityBadge priority={ticket.priority} />
        <span className="meta-text">{humanize(ticket.category)}</span>
        {showCustomer ? <span className="meta-text">{ticket.customer.name}</span> : null}
        <span className="meta-text meta-time">
          <RelativeTime value={ticket.updated_at} prefix="Updated " />
        </span>
      </div>
    </li>
  );
}
