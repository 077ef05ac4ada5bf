import { useEffect, useRef, useState, type RefObject } from "react";
import { Button } from "@/components/ui/button";
import { humanize, statusLabel } from "@/lib/format";
import { CATEGORIES, PRIORITIES, STATUSES } from "@/lib/types";
import type { FilterKey } from "@/features/staff/hooks/use-queue-filters";
import { NOT_RESOLVED, UNSOLVED } from "@/features/staff/hooks/use-queue-filters";
import type { Agent, QueueFilters as Filters } from "@/features/staff/types";

const TYPING_DELAY_MS = 350;

/** A text filter applied when typing pauses (or on Enter), following the URL when it changes from outside. */
function useTypedFilter(fromUrl: string, apply: (value: string) => void) {
  const [value, setValue] = useState(fromUrl);
  const applied = useRef(fromUrl);

  useEffect(() => {
    if (fromUrl !== applied.current) {
      applied.current = fromUrl;
      setValue(fromUrl);
    }
  }, [fromUrl]);

  useEffect(() => {
    const trimmed = value.trim();
    if (trimmed === applied.current) return undefined;
    const timer = setTimeout(() => {
      applied.current = trimmed;
      apply(trimmed);
    }, TYPING_DELAY_MS);
    return () => clearTimeout(timer);
  }, [value, apply]);

  const flush = () => {
    const trimmed = value.trim();
    applied.current = trimmed;
    apply(trimmed);
  };
  return { value, setValue, flush };
}

export interface QueueFiltersProps {
  filters: Filters;
  agents: Agent[];
  onChange: (key: FilterKey, value: string) => void;
  onClear: () => void;
  active: boolean;
  searchRef: RefObject<HTMLInputElement | null>;
}

interface Option {
  value: string;
  label: string;
}

export function QueueFilters({ filters, agents, onChange, onClear, active, searchRef }: QueueFiltersProps) {
  const search = useTypedFilter(filters.search ?? "", (value) => onChange("search", value));
  const tag = useTypedFilter(filters.tag ?? "", (value) => onChange("tag", value.toLowerCase()));

  const select = (key: FilterKey, label: string, options: Option[]) => {
    const value = filters[key] ?? "";
    const known = options.some((option) => option.value === value);
    return (
      <div className="filter">
        <label htmlFor={`queue-${key}`} className="filter-label">
          {label}
        </label>
        <select
          id={`queue-${key}`}
          className="input select"
          value={value}
          onChange={(event) => onChange(key, event.target.value)}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
          {!known ? <option value={value}>{key === "assigned_agent" ? "Another agent" : value}</option> : null}
        </select>
      </div>
    );
  };

  const choices = (values: string[]) => values.map((value) => ({ value, label: humanize(value) }));

  return (
    <form
      className="filters queue-filters"
      role="search"
      aria-label="Filter the queue"
      onSubmit={(event) => {
        event.preventDefault();
        search.flush();
        tag.flush();
      }}
    >
      <div className="filter filter-search">
        <label htmlFor="queue-search" className="filter-label">
          Search
        </label>
        <input
          ref={searchRef}
          id="queue-search"
          className="input"
          type="search"
          placeholder="Title, message text or #number"
          aria-describedby="queue-search-hint"
          aria-keyshortcuts="/"
          value={search.value}
          onChange={(event) => search.setValue(event.target.value)}
        />
        <span id="queue-search-hint" className="visually-hidden">
          Words from the title or messages, or a ticket number such as #1042.
        </span>
      </div>
      {select("status", "Status", [
        { value: "", label: "Any status" },
        { value: UNSOLVED, label: "Unsolved (open or in progress)" },
        { value: NOT_RESOLVED, label: "Open, in progress or pending" },
        ...STATUSES.map((status) => ({ value: status, label: statusLabel(status) })),
      ])}
      {select("priority", "Priority", [
        { value: "", label: "Any priority" },
        { value: "high,urgent", label: "High or urgent" },
        ...choices(PRIORITIES),
      ])}
      {select("category", "Category", [{ value: "", label: "Any category" }, ...choices(CATEGORIES)])}
      {select("assigned_agent", "Assignee", [
        { value: "", label: "Anyone" },
        { value: "none", label: "Unassigned" },
        { value: "me", label: "Me" },
        ...agents.map((agent) => ({ value: agent.id, label: agent.name })),
      ])}
      {select("escalated", "Escalation", [
        { value: "", label: "Escalated or not" },
        { value: "true", label: "Escalated" },
        { value: "false", label: "Not escalated" },
      ])}
      {select("sla", "SLA", [
        { value: "", label: "Any SLA state" },
        { value: "breached", label: "Breached" },
        { value: "at_risk", label: "At risk" },
        { value: "breached,at_risk", label: "Breached or at risk" },
        { value: "ok", label: "On track" },
        { value: "none", label: "No SLA" },
      ])}
      <div className="filter filter-tag">
        <label htmlFor="queue-tag" className="filter-label">
          Tag
        </label>
        <input
          id="queue-tag"
          className="input"
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={tag.value}
          onChange={(event) => tag.setValue(event.target.value)}
        />
      </div>
      <div className="filter filter-actions">
        {/* Enter in a text field applies it at once. */}
        <button type="submit" className="visually-hidden" tabIndex={-1}>
          Apply filters
        </button>
        {active ? (
          <Button variant="ghost" onClick={onClear}>
            Clear filters
          </Button>
        ) : null}
      </div>
    </form>
  );
}
