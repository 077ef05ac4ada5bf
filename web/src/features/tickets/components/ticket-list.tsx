import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { errorMessage, isApiError } from "@/lib/api-client";
import { formatPageStatus } from "@/lib/format";
import { PAGE_SIZE, useTickets } from "@/features/tickets/api/get-tickets";
import { useTicketFilters } from "@/features/tickets/hooks/use-ticket-filters";
import { TicketFilters } from "./ticket-filters";
import { TicketListItem } from "./ticket-list-item";

function ListSkeleton() {
  return (
    <ul className="ticket-list" aria-hidden="true">
      {Array.from({ length: 4 }, (_, index) => (
        <li key={index} className="ticket-card ticket-card-skeleton">
          <Skeleton width="60%" height="1.2rem" />
          <Skeleton width="90%" />
          <Skeleton width="40%" />
        </li>
      ))}
    </ul>
  );
}

/** The ticket list with its filters, pagination and its loading, empty and error states. */
export function TicketList({ showCustomer, emptyAction }: { showCustomer: boolean; emptyAction: ReactNode }) {
  const { filters, setFilter, setPage, clear, active } = useTicketFilters();
  const tickets = useTickets(filters);
  const page = filters.page ?? 1;
  const data = tickets.data;

  let body: ReactNode;
  if (tickets.isPending) {
    body = (
      <div aria-busy="true">
        <p className="visually-hidden" role="status">
          Loading tickets…
        </p>
        <ListSkeleton />
      </div>
    );
  } else if (tickets.isError && !data) {
    const outOfRange = isApiError(tickets.error) && tickets.error.status === 404 && page > 1;
    body = outOfRange ? (
      <EmptyState title="This page is empty." action={<Button onClick={() => setPage(1)}>Go to the first page</Button>} />
    ) : (
      <ErrorState
        title="Your tickets could not be loaded."
        message={errorMessage(tickets.error)}
        onRetry={() => void tickets.refetch()}
        retrying={tickets.isFetching}
      />
    );
  } else if (data && data.results.length === 0) {
    body = active ? (
      <EmptyState
        title="No tickets match these filters."
        action={
          <Button variant="secondary" onClick={clear}>
            Clear filters
          </Button>
        }
      />
    ) : (
      <EmptyState title="You have no tickets yet." action={emptyAction}>
        When you need help, open a ticket and our support team will answer here.
      </EmptyState>
    );
  } else if (data) {
    body = (
      <>
        {tickets.isError ? (
          <ErrorState
            title="The list could not be refreshed."
            message={errorMessage(tickets.error)}
            onRetry={() => void tickets.refetch()}
            retrying={tickets.isFetching}
          />
        ) : null}
        <ul className="ticket-list" aria-label="Tickets" aria-busy={tickets.isPlaceholderData || undefined}>
          {data.results.map((ticket) => (
            <TicketListItem key={ticket.id} ticket={ticket} showCustomer={showCustomer} />
          ))}
        </ul>
        <nav className="pagination" aria-label="Pages">
          <Button size="sm" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            <span aria-hidden="true">←</span> Previous
          </Button>
          <p className="pagination-status" aria-live="polite">
            {formatPageStatus(page, PAGE_SIZE, data.count, data.count_exact !== false)}
          </p>
          <Button size="sm" disabled={!data.next} onClick={() => setPage(page + 1)}>
            Next <span aria-hidden="true">→</span>
          </Button>
        </nav>
      </>
    );
  }

  return (
    <section aria-labelledby="ticket-list-heading" className="ticket-list-section">
      <h2 id="ticket-list-heading" className="visually-hidden">
        Ticket list
      </h2>
      <TicketFilters
        filters={filters}
        onChange={setFilter}
        onClear={clear}
        active={active}
        audience={showCustomer ? "staff" : "customer"}
      />
      {body}
    </section>
  );
}
