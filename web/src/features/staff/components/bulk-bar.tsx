import { useId, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { errorMessage, isApiError } from "@/lib/api-client";
import { humanize, statusLabel } from "@/lib/format";
import { PRIORITIES, STATUSES, type TicketListItem } from "@/lib/types";
import { useBulkUpdate } from "@/features/staff/api/bulk-update";
import type { Agent, BulkAction, BulkResult } from "@/features/staff/types";

const ACTIONS: { value: BulkAction; label: string }[] = [
  { value: "assign", label: "Assign to…" },
  { value: "set_status", label: "Set status…" },
  { value: "set_priority", label: "Set priority…" },
  { value: "add_tag", label: "Add tag…" },
  { value: "remove_tag", label: "Remove tag…" },
];

const UNASSIGN = "__nobody__";

/** Ticket ids in the server's message become the titles the agent sees. */
function withTitles(text: string, tickets: TicketListItem[]): string {
  return tickets.reduce((out, ticket) => out.split(ticket.id).join(`“${ticket.title}”`), text);
}

export interface BulkBarProps {
  selectedIds: string[];
  tickets: TicketListItem[];
  agents: Agent[];
  onDone: (result: BulkResult, summary: string) => void;
  onClear: () => void;
}

/** Actions on the selected tickets. The server applies an action to all of them or to none. */
export function BulkBar({ selectedIds, tickets, agents, onDone, onClear }: BulkBarProps) {
  const id = useId();
  const bulk = useBulkUpdate();
  const [action, setAction] = useState<BulkAction>("assign");
  const [value, setValue] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const count = selectedIds.length;
  const noun = count === 1 ? "ticket" : "tickets";

  const chooseAction = (next: BulkAction) => {
    setAction(next);
    setValue("");
    setProblem(null);
    bulk.reset();
  };

  const describe = (): string => {
    switch (action) {
      case "assign":
        return value === UNASSIGN ? "unassigned" : `assigned to ${agents.find((agent) => agent.id === value)?.name ?? "the agent"}`;
      case "set_status":
        return `set to ${statusLabel(value).toLowerCase()}`;
      case "set_priority":
        return `set to ${humanize(value).toLowerCase()} priority`;
      case "add_tag":
        return `tagged “${value.trim()}”`;
      default:
        return `untagged “${value.trim()}”`;
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const raw = action === "add_tag" || action === "remove_tag" ? value.trim() : value;
    if (!raw) {
      setProblem(action === "assign" ? "Choose who gets the tickets." : action.endsWith("tag") ? "Type a tag." : "Choose a value.");
      return;
    }
    setProblem(null);
    const summary = `${count} ${noun} ${describe()}.`;
    bulk.mutate(
      { ticket_ids: selectedIds, action, value: raw === UNASSIGN ? null : raw },
      { onSuccess: (result) => onDone(result, summary) },
    );
  };

  let valueControl;
  if (action === "assign") {
    valueControl = (
      <select id={`${id}-value`} className="input select" value={value} onChange={(event) => setValue(event.target.value)}>
        <option value="">Choose an agent</option>
        <option value={UNASSIGN}>Nobody (unassign)</option>
        {agents.map((agent) => (
          <option key={agent.id} value={agent.id}>
            {agent.name} ({agent.open_tickets} open)
          </option>
        ))}
      </select>
    );
  } else if (action === "set_status" || action === "set_priority") {
    const options = action === "set_status" ? STATUSES : PRIORITIES;
    valueControl = (
      <select id={`${id}-value`} className="input select" value={value} onChange={(event) => setValue(event.target.value)}>
        <option value="">Choose {action === "set_status" ? "a status" : "a priority"}</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {action === "set_status" ? statusLabel(option) : humanize(option)}
          </option>
        ))}
      </select>
    );
  } else {
    valueControl = (
      <input
        id={`${id}-value`}
        className="input"
        type="text"
        autoComplete="off"
        spellCheck={false}
        maxLength={50}
        value={value}
        onChange={(event) => setValue(event.target.value)}
      />
    );
  }

  const serverDetails = isApiError(bulk.error) ? Object.values(bulk.error.details).flat() : [];

  return (
    <section className="bulk-bar" aria-label="Bulk actions">
      <form className="bulk-form" onSubmit={submit} noValidate>
        <p className="bulk-count" aria-live="polite">
          <strong>{count}</strong> {noun} selected
        </p>
        <div className="bulk-field">
          <label htmlFor={`${id}-action`} className="filter-label">
            Action
          </label>
          <select
            id={`${id}-action`}
            className="input select"
            value={action}
            onChange={(event) => chooseAction(event.target.value as BulkAction)}
          >
            {ACTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <div className="bulk-field">
          <label htmlFor={`${id}-value`} className="filter-label">
            {action === "assign" ? "Agent" : action === "set_status" ? "Status" : action === "set_priority" ? "Priority" : "Tag"}
          </label>
          {valueControl}
        </div>
        <div className="bulk-buttons">
          <Button type="submit" variant="primary" busy={bulk.isPending}>
            {bulk.isPending ? "Applying…" : `Apply to ${count} ${noun}`}
          </Button>
          <Button variant="ghost" onClick={onClear} disabled={bulk.isPending}>
            Clear selection
          </Button>
        </div>
      </form>
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      {bulk.isError ? (
        <Alert title="Nothing was changed.">
          <p>{withTitles(errorMessage(bulk.error), tickets)}</p>
          {serverDetails.length ? (
            <ul>
              {serverDetails.map((detail) => (
                <li key={detail}>{withTitles(detail, tickets)}</li>
              ))}
            </ul>
          ) : null}
        </Alert>
      ) : null}
    </section>
  );
}
