import { Link } from "react-router";
import { StatusBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { Skeleton } from "@/components/ui/skeleton";
import { TicketNumber } from "@/components/ui/ticket-number";
import { errorMessage } from "@/lib/api-client";
import type { TicketDetail, UserBrief } from "@/lib/types";
import { useQueue } from "@/features/staff/api/get-queue";

const SHOWN = 5;

/**
 * The customer behind a ticket, and links to their other tickets. With `onNewTicket`, it offers
 * to open another ticket for them (say, a second problem raised on the same call).
 */
export function CustomerPanel({
  ticket,
  onNewTicket,
}: {
  ticket: TicketDetail;
  onNewTicket?: (customer: UserBrief) => void;
}) {
  const customer = ticket.customer;
  // One more than shown: the list may include this ticket.
  const others = useQueue({ customer: customer.id, ordering: "-updated_at", page_size: SHOWN + 1 });
  const list = (others.data?.results ?? []).filter((item) => item.id !== ticket.id).slice(0, SHOWN);
  const total = Math.max(0, (others.data?.count ?? 0) - 1);

  let body;
  if (others.isPending) {
    body = (
      <div aria-busy="true">
        <Skeleton width="80%" />
        <Skeleton width="60%" />
      </div>
    );
  } else if (others.isError && !others.data) {
    body = <p className="side-error">Their other tickets could not be loaded: {errorMessage(others.error)}</p>;
  } else if (list.length === 0) {
    body = <p className="muted">No other tickets.</p>;
  } else {
    body = (
      <>
        <ul className="other-tickets">
          {list.map((item) => (
            <li key={item.id}>
              <span className="other-ticket-title">
                <TicketNumber number={item.number} />{" "}
                <Link to={`/tickets/${item.id}`} dir="auto">
                  {item.title}
                </Link>
              </span>
              <span className="other-ticket-meta">
                <StatusBadge status={item.status} />
                <RelativeTime value={item.updated_at} prefix="Updated " />
              </span>
            </li>
          ))}
        </ul>
        {total > list.length ? (
          <Link to={`/queue?customer=${encodeURIComponent(customer.id)}`}>All {total + 1} tickets from this customer</Link>
        ) : null}
      </>
    );
  }

  return (
    <section className="side-section" aria-labelledby="customer-heading">
      <h2 id="customer-heading" className="side-heading">
        Customer
      </h2>
      <p className="customer-name">{customer.name}</p>
      <p className="customer-email">
        <a href={`mailto:${customer.email}`}>{customer.email}</a>
      </p>
      {onNewTicket ? (
        <div>
          <Button size="sm" aria-haspopup="dialog" onClick={() => onNewTicket(customer)}>
            New ticket for this customer
          </Button>
        </div>
      ) : null}
      <h3 className="side-subheading">Other tickets</h3>
      {body}
    </section>
  );
}
