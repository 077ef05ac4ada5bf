import { useEffect, useRef, type ChangeEvent } from "react";
import { Link, useLocation } from "react-router";
import { PriorityBadge, StatusBadge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { TicketNumber } from "@/components/ui/ticket-number";
import { humanize } from "@/lib/format";
import type { TicketListItem } from "@/lib/types";
import { SLA_ORDERING, type OrderField } from "@/features/staff/hooks/use-queue-filters";
import type { FromQueueState } from "@/features/staff/types";
import { SlaCountdown } from "./sla-countdown";

export interface QueueViewProps {
  tickets: TicketListItem[];
  selected: Set<string>;
  allSelected: boolean;
  someSelected: boolean;
  onToggle: (id: string, options: { range: boolean; checked: boolean }) => void;
  onToggleAll: (checked: boolean) => void;
  ordering: string;
  onSort: (field: OrderField) => void;
  busy: boolean;
}

function SelectAll({ all, some, onChange, count }: { all: boolean; some: boolean; onChange: (checked: boolean) => void; count: number }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = some;
  }, [some]);
  return (
    <input
      ref={ref}
      type="checkbox"
      className="queue-check"
      checked={all}
      disabled={count === 0}
      aria-label="Select all tickets on this page"
      onChange={(event) => onChange(event.target.checked)}
    />
  );
}

function RowCheck({ ticket, checked, onToggle }: { ticket: TicketListItem; checked: boolean; onToggle: QueueViewProps["onToggle"] }) {
  return (
    <input
      type="checkbox"
      className="queue-check"
      checked={checked}
      aria-label={`Select “${ticket.title}”`}
      onChange={(event: ChangeEvent<HTMLInputElement>) =>
        onToggle(ticket.id, { range: (event.nativeEvent as MouseEvent).shiftKey === true, checked: event.target.checked })
      }
    />
  );
}

function TitleCell({ ticket }: { ticket: TicketListItem }) {
  const unread = ticket.unread_count > 0;
  const location = useLocation();
  const state: FromQueueState = { queueSearch: location.search };
  return (
    <div className="queue-title-cell">
      <div className="queue-title-line">
        <TicketNumber number={ticket.number} />
        <Link
          to={`/tickets/${ticket.id}`}
          state={state}
          className={`queue-link${unread ? " queue-link-unread" : ""}`}
          dir="auto"
        >
          {ticket.title}
        </Link>
        {unread ? (
          <span className="unread-badge queue-unread">
            {ticket.unread_count}
            <span className="visually-hidden"> unread {ticket.unread_count === 1 ? "message" : "messages"}</span>
          </span>
        ) : null}
        {ticket.escalated ? <span className="badge badge-escalated">Escalated</span> : null}
      </div>
      <p className="queue-snippet" dir="auto">{ticket.last_message_snippet ?? "No messages yet"}</p>
      {ticket.tags.length ? (
        <ul className="tag-list" aria-label="Tags">
          {ticket.tags.map((tag) => (
            <li key={tag} className="tag">
              {tag}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function Assignee({ ticket }: { ticket: TicketListItem }) {
  return ticket.assigned_agent ? (
    <span>{ticket.assigned_agent.name}</span>
  ) : (
    <span className="muted">Unassigned</span>
  );
}

function sortState(ordering: string, field: OrderField): "ascending" | "descending" | undefined {
  if (ordering === field) return "ascending";
  if (ordering === `-${field}`) return "descending";
  return undefined;
}

function SortHeader({ field, label, ordering, onSort }: { field: OrderField; label: string; ordering: string; onSort: (field: OrderField) => void }) {
  const state = sortState(ordering, field);
  return (
    <th scope="col" aria-sort={state} className="queue-sortable">
      <button type="button" className="sort-button" onClick={() => onSort(field)}>
        {label}
        <span className="sort-icon" aria-hidden="true">
          {state === "ascending" ? "▲" : state === "descending" ? "▼" : "↕"}
        </span>
      </button>
    </th>
  );
}

/** The dense desktop table: one row per ticket, sortable columns, a checkbox per row. */
export function QueueTable(props: QueueViewProps) {
  const { tickets, selected, onToggle, ordering, onSort, busy } = props;
  return (
    <div className="queue-table-wrap">
      <table className="queue-table" aria-busy={busy || undefined}>
        <caption className="visually-hidden">Tickets; column headers with buttons sort the list.</caption>
        <thead>
          <tr>
            <th scope="col" className="queue-col-check">
              <SelectAll all={props.allSelected} some={props.someSelected} onChange={props.onToggleAll} count={tickets.length} />
            </th>
            <th scope="col">Ticket</th>
            <th scope="col">Customer</th>
            <th scope="col">Status</th>
            <SortHeader field="priority" label="Priority" ordering={ordering} onSort={onSort} />
            <SortHeader field="sla" label="SLA" ordering={ordering} onSort={onSort} />
            <th scope="col">Assignee</th>
            <SortHeader field="created_at" label="Created" ordering={ordering} onSort={onSort} />
            <SortHeader field="updated_at" label="Updated" ordering={ordering} onSort={onSort} />
          </tr>
        </thead>
        <tbody>
          {tickets.map((ticket) => {
            const checked = selected.has(ticket.id);
            return (
              <tr key={ticket.id} data-ticket-row={ticket.id} className={checked ? "queue-row-selected" : undefined}>
                <td className="queue-col-check">
                  <RowCheck ticket={ticket} checked={checked} onToggle={onToggle} />
                </td>
                <td>
                  <TitleCell ticket={ticket} />
                </td>
                <td className="queue-customer">{ticket.customer.name}</td>
                <td>
                  <StatusBadge status={ticket.status} />
                </td>
                <td>
                  <PriorityBadge priority={ticket.priority} />
                </td>
                <td className="queue-sla">
                  <SlaCountdown sla={ticket.sla} />
                </td>
                <td>
                  <Assignee ticket={ticket} />
                </td>
                <td className="queue-time">
                  <RelativeTime value={ticket.created_at} />
                </td>
                <td className="queue-time">
                  <RelativeTime value={ticket.updated_at} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const SORT_LABELS: Record<OrderField, string> = {
  created_at: "Created",
  updated_at: "Updated",
  priority: "Priority",
  sla: "SLA due",
};

/** The phone layout: one card per ticket, with the same selection and a sort picker. */
export function QueueCards(props: QueueViewProps) {
  const { tickets, selected, onToggle, ordering, onSort, busy } = props;
  const field = ordering.replace(/^-/, "") as OrderField;
  return (
    <div className="queue-cards-wrap">
      <div className="queue-cards-bar">
        <label className="queue-select-all">
          <SelectAll all={props.allSelected} some={props.someSelected} onChange={props.onToggleAll} count={tickets.length} />
          <span aria-hidden="true">Select all</span>
        </label>
        <div className="queue-sort">
          <label htmlFor="queue-sort" className="filter-label">
            Sort by
          </label>
          <select
            id="queue-sort"
            className="input select"
            value={field}
            onChange={(event) => onSort(event.target.value as OrderField)}
          >
            {(Object.keys(SORT_LABELS) as OrderField[]).map((key) => (
              <option key={key} value={key}>
                {SORT_LABELS[key]}
              </option>
            ))}
          </select>
          {/* The SLA sort goes one way only: soonest breach first. */}
          {ordering === SLA_ORDERING ? null : (
            <button type="button" className="btn btn-sm" onClick={() => onSort(field)}>
              {ordering.startsWith("-") ? "Descending" : "Ascending"}
            </button>
          )}
        </div>
      </div>
      <ul className="queue-cards" aria-label="Tickets" aria-busy={busy || undefined}>
        {tickets.map((ticket) => {
          const checked = selected.has(ticket.id);
          return (
            <li key={ticket.id} data-ticket-row={ticket.id} className={`queue-card${checked ? " queue-row-selected" : ""}`}>
              <RowCheck ticket={ticket} checked={checked} onToggle={onToggle} />
              <div className="queue-card-body">
                <TitleCell ticket={ticket} />
                <div className="ticket-meta">
                  <StatusBadge status={ticket.status} />
                  <PriorityBadge priority={ticket.priority} />
                  {ticket.sla !== undefined ? (
                    <span className="meta-text queue-card-sla">
                      SLA <SlaCountdown sla={ticket.sla} />
                    </span>
                  ) : null}
                  <span className="meta-text">{humanize(ticket.category)}</span>
                  <span className="meta-text">{ticket.customer.name}</span>
                  <span className="meta-text">
                    <Assignee ticket={ticket} />
                  </span>
                  <span className="meta-text">
                    <RelativeTime value={ticket.updated_at} prefix="Updated " />
                  </span>
                </div>
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
