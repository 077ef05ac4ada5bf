import { Link } from "react-router";
import type { TicketRef } from "@/lib/types";
import { TicketNumber } from "./ui/ticket-number";

/** "Follow-up to #1041 Title": the closed ticket this one continues, linked. */
export function FollowUpNote({ follows }: { follows: TicketRef | null | undefined }) {
  if (!follows) return null;
  return (
    <p className="ticket-follows">
      Follow-up to{" "}
      <Link to={`/tickets/${encodeURIComponent(follows.id)}`} className="ticket-follows-link">
        <TicketNumber number={follows.number} /> <span dir="auto">{follows.title}</span>
      </Link>
    </p>
  );
}
