import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { notificationKeys } from "@/lib/query-keys";

export interface UnreadCount {
  unread: number;
}

export function getUnreadCount(signal?: AbortSignal): Promise<UnreadCount> {
  return api.get<UnreadCount>("notifications/unread-count/", { signal });
}

/** Kept current by live events (lib/live-events), and polled while the socket is down. */
export function useUnreadCount() {
  return useQuery({
    queryKey: notificationKeys.unreadCount(),
    queryFn: ({ signal }) => getUnreadCount(signal),
  });
}
