import { useCallback, useMemo, useRef } from "react";
import { useSearchParams } from "react-router";
import { DEFAULT_PAGE_SIZE, QUEUE_PAGE_SIZES } from "@/features/staff/api/get-queue";
import type { QueueFilters } from "@/features/staff/types";

export const FILTER_KEYS = [
  "status",
  "priority",
  "category",
  "assigned_agent",
  "escalated",
  "sla",
  "tag",
  "customer",
  "search",
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export const ORDERINGS = ["created_at", "updated_at", "priority", "sla"] as const;
export type OrderField = (typeof ORDERINGS)[number];
export const DEFAULT_ORDERING = "-created_at";
/** Soonest breach first; the server sorts by SLA one way only, so it has no `-sla`. */
export const SLA_ORDERING = "sla";

/** Unsolved = still needs work; quick views look at unsolved tickets. */
export const UNSOLVED = "open,in_progress";
/** Not yet resolved, waiting on the customer included: a breach there is still a breach. */
export const NOT_RESOLVED = "open,in_progress,pending";

export interface QuickView {
  id: string;
  label: string;
  filters: Partial<Record<FilterKey, string>>;
}

export const QUICK_VIEWS: QuickView[] = [
  { id: "all", label: "All tickets", filters: {} },
  { id: "unassigned", label: "Unassigned", filters: { assigned_agent: "none", status: UNSOLVED } },
  { id: "mine", label: "Mine", filters: { assigned_agent: "me", status: UNSOLVED } },
  { id: "escalated", label: "Escalated", filters: { escalated: "true", status: UNSOLVED } },
  { id: "urgent", label: "Urgent", filters: { priority: "urgent", status: UNSOLVED } },
  { id: "pending", label: "Pending", filters: { status: "pending" } },
  { id: "at-risk", label: "At risk", filters: { sla: "at_risk", status: UNSOLVED } },
  { id: "breached", label: "Breached", filters: { sla: "breached", status: NOT_RESOLVED } },
];

function pageSizeFrom(raw: string | null): number {
  const size = Number(raw);
  return (QUEUE_PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE;
}

function orderingFrom(raw: string | null): string {
  const field = raw?.replace(/^-/, "");
  if (raw === `-${SLA_ORDERING}`) return DEFAULT_ORDERING;
  return raw && (ORDERINGS as readonly string[]).includes(field ?? "") ? raw : DEFAULT_ORDERING;
}

function nextOrdering(current: string, field: OrderField): string {
  // The SLA sort goes one way: a second click turns it off again.
  if (field === SLA_ORDERING) return current === SLA_ORDERING ? DEFAULT_ORDERING : SLA_ORDERING;
  // Newest, most recently updated or most severe first; a second click reverses it.
  return current === `-${field}` ? field : `-${field}`;
}

/** The URL query for a quick view, keeping the chosen sort order and page size. */
export function quickViewSearch(view: QuickView, current: URLSearchParams): string {
  const next = new URLSearchParams();
  for (const [key, value] of Object.entries(view.filters)) if (value) next.set(key, value);
  for (const key of ["ordering", "page_size"]) {
    const value = current.get(key);
    if (value) next.set(key, value);
  }
  const search = next.toString();
  return search ? `?${search}` : "";
}

/** The queue's filters, sort order and page live in the URL: reloads and shared links show the same queue. */
export function useQueueFilters() {
  const [params, setParams] = useSearchParams();

  const filters: QueueFilters = useMemo(() => {
    const page = Number(params.get("page") ?? "1");
    const result: QueueFilters = {
      ordering: orderingFrom(params.get("ordering")),
      page: Number.isInteger(page) && page > 1 ? page : 1,
      page_size: pageSizeFrom(params.get("page_size")),
    };
    for (const key of FILTER_KEYS) {
      const value = params.get(key);
      if (value) result[key] = value;
    }
    return result;
  }, [params]);

  // The URL as last set: the router's functional updates are not queued like React state, so two
  // changes in one go (Enter applies the search and the tag) would each start from the old URL
  // and the second would undo the first.
  const latest = useRef(params);
  latest.current = params;

  const update = useCallback(
    (change: (next: URLSearchParams) => void, replace = false) => {
      const next = new URLSearchParams(latest.current);
      change(next);
      latest.current = next;
      setParams(next, { replace });
    },
    [setParams],
  );

  const setFilter = useCallback(
    (key: FilterKey, value: string) =>
      update((next) => {
        if (value) next.set(key, value);
        else next.delete(key);
        next.delete("page"); // a new filter starts at the first page
      }, key === "search" || key === "tag"),
    [update],
  );

  const setPage = useCallback(
    (page: number) =>
      update((next) => {
        if (page > 1) next.set("page", String(page));
        else next.delete("page");
      }),
    [update],
  );

  const setPageSize = useCallback(
    (size: number) =>
      update((next) => {
        if (size === DEFAULT_PAGE_SIZE) next.delete("page_size");
        else next.set("page_size", String(size));
        next.delete("page");
      }),
    [update],
  );

  const sortBy = useCallback(
    (field: OrderField) =>
      update((next) => {
        const ordering = nextOrdering(orderingFrom(next.get("ordering")), field);
        if (ordering === DEFAULT_ORDERING) next.delete("ordering");
        else next.set("ordering", ordering);
        next.delete("page");
      }),
    [update],
  );

  const clear = useCallback(
    () =>
      update((next) => {
        for (const key of [...FILTER_KEYS, "page"]) next.delete(key);
      }),
    [update],
  );

  const active = FILTER_KEYS.some((key) => Boolean(params.get(key)));
  const activeView =
    QUICK_VIEWS.find((view) =>
      FILTER_KEYS.every((key) => (params.get(key) ?? "") === (view.filters[key] ?? "")),
    )?.id ?? null;

  return { filters, params, setFilter, setPage, setPageSize, sortBy, clear, active, activeView };
}
