import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { humanize, statusLabel, type StatusAudience } from "@/lib/format";
import { CATEGORIES, PRIORITIES, STATUSES } from "@/lib/types";
import type { TicketFilters as Filters } from "@/features/tickets/api/get-tickets";

const SEARCH_DELAY_MS = 350;

export interface TicketFiltersProps {
  filters: Filters;
  onChange: (key: "status" | "priority" | "category" | "search", value: string) => void;
  onClear: () => void;
  active: boolean;
  /** Customers read `pending` as "Waiting for your reply". */
  audience?: StatusAudience;
}

export function TicketFilters({ filters, onChange, onClear, active, audience = "customer" }: TicketFiltersProps) {
  const [search, setSearch] = useState(filters.search ?? "");
  const applied = useRef(filters.search ?? "");

  // Follow the URL when it changes from outside (back button, "clear filters").
  useEffect(() => {
    const fromUrl = filters.search ?? "";
    if (fromUrl !== applied.current) {
      applied.current = fromUrl;
      setSearch(fromUrl);
    }
  }, [filters.search]);

  useEffect(() => {
    const value = search.trim();
    if (value === applied.current) return undefined;
    const timer = setTimeout(() => {
      applied.current = value;
      onChange("search", value);
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search, onChange]);

  const select = (
    key: "status" | "priority" | "category",
    label: string,
    options: string[],
    anyLabel: string,
    optionLabel: (value: string) => string = humanize,
  ) => (
    <div className="filter">
      <label htmlFor={`filter-${key}`} className="filter-label">
        {label}
      </label>
      <select
        id={`filter-${key}`}
        className="input select"
        value={filters[key] ?? ""}
        onChange={(event) => onChange(key, event.target.value)}
      >
        <option value="">{anyLabel}</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {optionLabel(option)}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <form
      className="filters"
      role="search"
      aria-label="Filter tickets"
      onSubmit={(event) => {
        event.preventDefault();
        const value = search.trim();
        applied.current = value;
        onChange("search", value);
      }}
    >
      <div className="filter filter-search">
        <label htmlFor="filter-search" className="filter-label">
          Search
        </label>
        <input
          id="filter-search"
          className="input"
          type="search"
          placeholder="Title, message text or #number"
          aria-describedby="filter-search-hint"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <span id="filter-search-hint" className="visually-hidden">
          Words from the title or messages, or a ticket number such as #1042.
        </span>
      </div>
      {select("status", "Status", STATUSES, "Any status", (status) => statusLabel(status, audience))}
      {select("priority", "Priority", PRIORITIES, "Any priority")}
      {select("category", "Category", CATEGORIES, "Any category")}
      {active ? (
        <div className="filter filter-clear">
          <Button variant="ghost" onClick={onClear}>
            Clear filters
          </Button>
        </div>
      ) : null}
    </form>
  );
}
