import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "../../../lib/api-client";
import { staffKeys } from "../../../lib/query-keys";
import type { Metrics } from "../types";

/** Dashboard figures for tickets created from `from` to `to` (YYYY-MM-DD, both included). */
export function getMetrics(from: string, to: string, signal?: AbortSignal): Promise<Metrics> {
  return api.get<Metrics>("support/metrics/", { signal, query: { from, to } });
}

export const metricsQuery = (from: string, to: string) =>
  queryOptions({ queryKey: staffKeys.metrics(from, to), queryFn: ({ signal }) => getMetrics(from, to, signal) });

export function useMetrics(from: string, to: string) {
  return useQuery({ ...metricsQuery(from, to), placeholderData: keepPreviousData });
}
