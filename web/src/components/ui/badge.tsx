import { humanize } from "@/lib/format";
import type { TicketPriority, TicketStatus } from "@/lib/types";

export function StatusBadge({ status }: { status: TicketStatus }) {
  return (
    <span className={`badge badge-status-${status}`}>
      <span className="visually-hidden">Status: </span>
      {humanize(status)}
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
