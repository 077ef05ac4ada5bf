import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { ticketKeys } from "@/lib/query-keys";
import type { Page, TicketListItem } from "@/lib/types";
import type { QueueFilters } from "@/features/staff/types";

export const QUEUE_PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;

/** The ticket list with every staff filter; the same endpoint customers use for their list. */
export function getQueue(filters: QueueFilters, signal?: AbortSignal): Promise<Page<TicketListItem>> {
  return api.get<Page<TicketListItem>>("support/tickets/", {
    signal,
    query: {
      status: filters.status,
      priority: filters.priority,
      category: filters.category,
      assigned_agent: filters.assigned_agent,
      escalated: filters.escalated,
      sla: filters.sla,
      tag: filters.tag,
      customer: filters.customer,
      search: filters.search,
      ordering: filters.ordering,
      page: filters.page && filters.page > 1 ? filters.page : undefined,
      page_size: filters.page_size ?? DEFAULT_PAGE_SIZE,
    },
  });
}

export const queueQuery = (filters: QueueFilters) =>
  queryOptions({
    queryKey: ticketKeys.list({ ...filters, page_size: filters.page_size ?? DEFAULT_PAGE_SIZE }),
    queryFn: ({ signal }) => getQueue(filters, signal),
  });

export function useQueue(filters: QueueFilters, options: { enabled?: boolean } = {}) {
  return useQuery({ ...queueQuery(filters), placeholderData: keepPreviousData, enabled: options.enabled ?? true });
}
