import { useEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from "react";
import { Link } from "react-router";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { errorMessage, isApiError } from "@/lib/api-client";
import { formatPageStatus } from "@/lib/format";
import { useAgents } from "@/features/staff/api/get-agents";
import { QUEUE_PAGE_SIZES, useQueue } from "@/features/staff/api/get-queue";
import { useMediaQuery } from "@/features/staff/hooks/use-media-query";
import { QUICK_VIEWS, quickViewSearch, useQueueFilters } from "@/features/staff/hooks/use-queue-filters";
import { useSelection } from "@/features/staff/hooks/use-selection";
import "@/features/staff/staff.css";
import { BulkBar } from "./bulk-bar";
import { QueueFilters } from "./queue-filters";
import { QueueCards, QueueTable } from "./queue-table";

const PHONE = "(max-width: 760px)";

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLInputElement) return !["checkbox", "radio", "button", "submit"].includes(target.type);
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/**
 * Keys for triage without the mouse: j / k move between tickets, x selects (shift+x a range),
 * Enter opens, / searches.
 */
function useQueueKeys(
  container: RefObject<HTMLElement | null>,
  search: RefObject<HTMLInputElement | null>,
  toggle: (id: string, options: { range: boolean }) => void,
) {
  const toggleRef = useRef(toggle);
  toggleRef.current = toggle;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target) || document.querySelector('[aria-modal="true"]')) return;
      const root = container.current;
      if (!root) return;
      if (event.key === "/") {
        event.preventDefault();
        search.current?.focus();
        return;
      }
      const rows = Array.from(root.querySelectorAll<HTMLElement>("[data-ticket-row]"));
      if (rows.length === 0) return;
      const current = rows.findIndex((row) => row.contains(document.activeElement));
      const key = event.key.toLowerCase();
      if (key === "j" || key === "k") {
        event.preventDefault();
        const next = current < 0 ? 0 : Math.min(rows.length - 1, Math.max(0, current + (key === "j" ? 1 : -1)));
        rows[next]?.querySelector<HTMLElement>(".queue-link")?.focus();
      } else if (key === "x" && current >= 0) {
        event.preventDefault();
        toggleRef.current(rows[current]!.dataset.ticketRow!, { range: event.shiftKey });
      }
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [container, search]);
}

function QueueSkeleton() {
  return (
    <div aria-busy="true">
      <p className="visually-hidden" role="status">
        Loading tickets…
      </p>
      <div className="queue-skeleton" aria-hidden="true">
        {Array.from({ length: 6 }, (_, index) => (
          <Skeleton key={index} height="2.5rem" />
        ))}
      </div>
    </div>
  );
}

/**
 * The staff queue: quick views, filters, a sortable and selectable list, bulk actions, pages.
 * With `onNewTicket`, the header offers "New ticket" (for a customer who called or wrote in).
 */
export function Queue({ onNewTicket }: { onNewTicket?: () => void } = {}) {
  const { filters, params, setFilter, setPage, setPageSize, sortBy, clear, active, activeView } = useQueueFilters();
  const queue = useQueue(filters);
  const agents = useAgents();
  const phone = useMediaQuery(PHONE);
  const data = queue.data;
  const tickets = useMemo(() => data?.results ?? [], [data]);
  const visibleIds = useMemo(() => tickets.map((ticket) => ticket.id), [tickets]);
  const scope = useMemo(() => JSON.stringify(filters), [filters]);
  const selection = useSelection(scope, queue.isPlaceholderData ? [] : visibleIds);
  const [done, setDone] = useState<string | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const page = filters.page ?? 1;
  const pageSize = filters.page_size ?? 25;
  useQueueKeys(listRef, searchRef, selection.toggle);

  useEffect(() => setDone(null), [scope]);

  let body: ReactNode;
  if (queue.isPending) {
    body = <QueueSkeleton />;
  } else if (queue.isError && !data) {
    const outOfRange = isApiError(queue.error) && queue.error.status === 404 && page > 1;
    body = outOfRange ? (
      <EmptyState title="This page is empty." action={<Button onClick={() => setPage(1)}>Go to the first page</Button>} />
    ) : (
      <ErrorState
        title="The queue could not be loaded."
        message={errorMessage(queue.error)}
        onRetry={() => void queue.refetch()}
        retrying={queue.isFetching}
      />
    );
  } else if (data && data.results.length === 0) {
    body = active ? (
      <EmptyState title="No tickets match these filters." action={<Button onClick={clear}>Clear filters</Button>}>
        Nothing to do here right now.
      </EmptyState>
    ) : (
      <EmptyState title="There are no tickets yet.">New tickets from customers appear here.</EmptyState>
    );
  } else if (data) {
    const viewProps = {
      tickets,
      selected: selection.selected,
      allSelected: selection.all,
      someSelected: selection.some,
      onToggle: selection.toggle,
      onToggleAll: selection.setAll,
      ordering: filters.ordering ?? "-created_at",
      onSort: sortBy,
      busy: queue.isPlaceholderData,
    };
    body = (
      <>
        {queue.isError ? (
          <ErrorState
            title="The queue could not be refreshed."
            message={errorMessage(queue.error)}
            onRetry={() => void queue.refetch()}
            retrying={queue.isFetching}
          />
        ) : null}
        {phone ? <QueueCards {...viewProps} /> : <QueueTable {...viewProps} />}
        <nav className="pagination queue-pagination" aria-label="Pages">
          <Button size="sm" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            <span aria-hidden="true">←</span> Previous
          </Button>
          <p className="pagination-status" aria-live="polite">
            {formatPageStatus(page, pageSize, data.count, data.count_exact !== false)}
          </p>
          <div className="queue-page-size">
            <label htmlFor="queue-page-size" className="filter-label">
              Per page
            </label>
            <select
              id="queue-page-size"
              className="input select"
              value={pageSize}
              onChange={(event) => setPageSize(Number(event.target.value))}
            >
              {QUEUE_PAGE_SIZES.map((size) => (
                <option key={size} value={size}>
                  {size}
                </option>
              ))}
            </select>
          </div>
          <Button size="sm" disabled={!data.next} onClick={() => setPage(page + 1)}>
            Next <span aria-hidden="true">→</span>
          </Button>
        </nav>
      </>
    );
  }

  return (
    <div className="staff-page staff-wide queue">
      <div className="page-header">
        <h1>Queue</h1>
        <p className="queue-keys muted">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>x</kbd> select · <kbd>Enter</kbd> open · <kbd>/</kbd> search
        </p>
        {onNewTicket ? (
          <Button variant="primary" className="queue-new-ticket" aria-haspopup="dialog" onClick={onNewTicket}>
            New ticket
          </Button>
        ) : null}
      </div>
      <nav className="quick-views" aria-label="Quick views">
        <ul>
          {QUICK_VIEWS.map((view) => (
            <li key={view.id}>
              <Link
                to={{ search: quickViewSearch(view, params) }}
                className="quick-view"
                aria-current={activeView === view.id ? "page" : undefined}
              >
                {view.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <QueueFilters
        filters={filters}
        agents={agents.data ?? []}
        onChange={setFilter}
        onClear={clear}
        active={active}
        searchRef={searchRef}
      />
      {filters.customer ? (
        <p className="queue-customer-filter">
          Showing one customer’s tickets.{" "}
          <Button size="sm" variant="link" onClick={() => setFilter("customer", "")}>
            Show every customer
          </Button>
        </p>
      ) : null}
      <div className="queue-status" aria-live="polite">
        {done ? (
          <div className="alert alert-success">
            <p className="alert-body">{done}</p>
            <div className="alert-action">
              <Button size="sm" variant="ghost" onClick={() => setDone(null)}>
                Dismiss
              </Button>
            </div>
          </div>
        ) : null}
      </div>
      {selection.count > 0 ? (
        <BulkBar
          selectedIds={visibleIds.filter((id) => selection.selected.has(id))}
          tickets={tickets}
          agents={agents.data ?? []}
          onClear={selection.clear}
          onDone={(_, summary) => {
            selection.clear();
            setDone(summary);
          }}
        />
      ) : null}
      <section aria-labelledby="queue-list-heading" className="queue-list" ref={listRef}>
        <h2 id="queue-list-heading" className="visually-hidden">
          Tickets
        </h2>
        {body}
      </section>
    </div>
  );
}
