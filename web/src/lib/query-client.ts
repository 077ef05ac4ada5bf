/** The app's TanStack Query client: server state lives only here. */
import { QueryClient } from "@tanstack/react-query";
import { isApiError } from "./api-client";

function shouldRetry(failureCount: number, error: unknown): boolean {
  // Client errors (bad input, no access, not found, rate limited) do not get better by retrying.
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 5_000, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}
