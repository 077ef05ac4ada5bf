import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import type { TicketFilters } from "@/features/tickets/api/get-tickets";

const KEYS = ["status", "priority", "category", "search"] as const;
type FilterKey = (typeof KEYS)[number];

/** The list's filters live in the URL, so a reload or a shared link shows the same list. */
export function useTicketFilters() {
  const [params, setParams] = useSearchParams();

  const filters: TicketFilters = useMemo(() => {
    const page = Number(params.get("page") ?? "1");
    return {
      status: params.get("status") ?? undefined,
      priority: params.get("priority") ?? undefined,
      category: params.get("category") ?? undefined,
      search: params.get("search") ?? undefined,
      page: Number.isInteger(page) && page > 1 ? page : 1,
    };
  }, [params]);

  const setFilter = useCallback(
    (key: FilterKey, value: string) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (value) next.set(key, value);
          else next.delete(key);
          next.delete("page"); // a new filter starts at the first page
          return next;
        },
        { replace: key === "search" },
      );
    },
    [setParams],
  );

  const setPage = useCallback(
    (page: number) => {
      setParams((current) => {
        const next = new URLSearchParams(current);
        if (page > 1) next.set("page", String(page));
        else next.delete("page");
        return next;
      });
    },
    [setParams],
  );

  const clear = useCallback(() => setParams(new URLSearchParams()), [setParams]);
  const active = KEYS.some((key) => Boolean(params.get(key)));

  return { filters, setFilter, setPage, clear, active };
}
