import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { ticketKeys } from "@/lib/query-keys";
import type { Page, TicketListItem } from "@/lib/types";

export const PAGE_SIZE = 10;

export interface TicketFilters {
  status?: string;
  priority?: string;
  category?: string;
  search?: string;
  page?: number;
}

export function getTickets(filters: TicketFilters, signal?: AbortSignal): Promise<Page<TicketListItem>> {
  return api.get<Page<TicketListItem>>("support/tickets/", {
    signal,
    query: {
      status: filters.status,
      priority: filters.priority,
      category: filters.category,
      search: filters.search,
      page: filters.page && filters.page > 1 ? filters.page : undefined,
      page_size: PAGE_SIZE,
    },
  });
}

export const ticketsQuery = (filters: TicketFilters) =>
  queryOptions({
    queryKey: ticketKeys.list({ ...filters }),
    queryFn: ({ signal }) => getTickets(filters, signal),
  });

export function useTickets(filters: TicketFilters) {
  return useQuery({ ...ticketsQuery(filters), placeholderData: keepPreviousData });
}
