import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { staffKeys } from "@/lib/query-keys";
import type { Metrics } from "@/features/staff/types";

/** The viewer's time zone, so the server counts days as the date picker shows them. */
function browserTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

/** Dashboard figures for tickets created from `from` to `to` (YYYY-MM-DD, both included). */
export function getMetrics(from: string, to: string, signal?: AbortSignal): Promise<Metrics> {
  const tz = browserTimeZone();
  return api.get<Metrics>("support/metrics/", { signal, query: tz ? { from, to, tz } : { from, to } });
}

export const metricsQuery = (from: string, to: string) =>
  queryOptions({ queryKey: staffKeys.metrics(from, to), queryFn: ({ signal }) => getMetrics(from, to, signal) });

export function useMetrics(from: string, to: string) {
  return useQuery({ ...metricsQuery(from, to), placeholderData: keepPreviousData });
}
