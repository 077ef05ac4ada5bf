import { humanize, statusLabel, type StatusAudience } from "@/lib/format";
import type { TicketPriority, TicketStatus } from "@/lib/types";

/** The status in words; `audience="customer"` where a customer reads it. */
export function StatusBadge({ status, audience = "staff" }: { status: TicketStatus; audience?: StatusAudience }) {
  return (
    <span className={`badge badge-status-${status}`}>
      <span className="visually-hidden">Status: </span>
      {statusLabel(status, audience)}
    </span>
  );
}

export function PriorityBadge({ priority }: { priority: TicketPriority }) {
  return (
    <span className={`badge badge-priority-${priority}`}>
      <span className="visually-hidden">Priority: </span>
      {humanize(priority)}
      <span aria-hidden="true"> priority</span>
    </span>
  );
}
