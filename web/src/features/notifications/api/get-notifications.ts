import { useInfiniteQuery, type InfiniteData } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { notificationKeys } from "@/lib/query-keys";
import type { AppNotification, Page } from "@/lib/types";

export const NOTIFICATIONS_PAGE_SIZE = 10;

export function getNotifications(page: number, signal?: AbortSignal): Promise<Page<AppNotification>> {
  return api.get<Page<AppNotification>>("notifications/", {
    signal,
    query: { page: page > 1 ? page : undefined, page_size: NOTIFICATIONS_PAGE_SIZE },
  });
}

/** The user's notifications, newest first, a page at a time ("Load more"). */
export function useNotifications(enabled = true) {
  return useInfiniteQuery({
    queryKey: notificationKeys.list(),
    queryFn: ({ pageParam, signal }) => getNotifications(pageParam, signal),
    initialPageParam: 1,
    getNextPageParam: (last, pages) => (last.next ? pages.length + 1 : undefined),
    enabled,
  });
}

/** Every notification loaded so far, once each (live ones prepended may repeat on later pages). */
export function flattenNotifications(data: InfiniteData<Page<AppNotification>> | undefined): AppNotification[] {
  const seen = new Set<string>();
  const out: AppNotification[] = [];
  for (const page of data?.pages ?? []) {
    for (const notification of page.results) {
      if (seen.has(notification.id)) continue;
      seen.add(notification.id);
      out.push(notification);
    }
  }
  return out;
}

/** Change loaded notifications in place (marking read), keeping the pages as they are. */
export function mapNotifications(
  data: InfiniteData<Page<AppNotification>> | undefined,
  change: (notification: AppNotification) => AppNotification,
): InfiniteData<Page<AppNotification>> | undefined {
  if (!data) return data;
  return { ...data, pages: data.pages.map((page) => ({ ...page, results: page.results.map(change) })) };
}
