import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { staffKeys } from "@/lib/query-keys";
import type { Page } from "@/lib/types";
import type { Customer } from "@/features/staff/types";

/** How many matches a picker shows; typing more narrows them. */
export const CUSTOMER_MATCHES = 8;

/** Customer-side accounts whose email or name contains `search` (staff only). */
export function getCustomers(search: string, signal?: AbortSignal): Promise<Page<Customer>> {
  return api.get<Page<Customer>>("support/customers/", { signal, query: { search, page_size: CUSTOMER_MATCHES } });
}

export const customersQuery = (search: string) =>
  queryOptions({
    queryKey: staffKeys.customerSearch(search),
    queryFn: ({ signal }) => getCustomers(search, signal),
    staleTime: 30_000,
  });

export function useCustomers(search: string, options: { enabled?: boolean } = {}) {
  return useQuery({ ...customersQuery(search), placeholderData: keepPreviousData, enabled: options.enabled ?? true });
}
