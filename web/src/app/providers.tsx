import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { useEffect, type ReactNode } from "react";
import { tokenStore } from "@/lib/api-client";
import { useLiveUpdates } from "@/lib/live-updates";

/** The session's live updates (websocket, or polling while it is down). */
function LiveUpdates() {
  useLiveUpdates();
  return null;
}

/** Everything the app needs around it; tests use the same providers with their own client. */
export function AppProviders({ queryClient, children }: { queryClient: QueryClient; children: ReactNode }) {
  // When the session ends (sign-out here or in another tab, or a refused refresh), forget
  // everything fetched for it.
  useEffect(
    () =>
      tokenStore.subscribe(() => {
        if (tokenStore.get() === null) queryClient.clear();
      }),
    [queryClient],
  );
  return (
    <QueryClientProvider client={queryClient}>
      <LiveUpdates />
      {children}
    </QueryClientProvider>
  );
}
