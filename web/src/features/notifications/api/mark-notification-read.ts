import { useMutation, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { notificationKeys } from "@/lib/query-keys";
import type { AppNotification, Page } from "@/lib/types";
import { mapNotifications } from "./get-notifications";
import type { UnreadCount } from "./get-unread-count";

export function markNotificationRead(id: string): Promise<AppNotification> {
  return api.post<AppNotification>(`notifications/${encodeURIComponent(id)}/read/`);
}

type Snapshot = { list?: InfiniteData<Page<AppNotification>>; count?: UnreadCount };

/** Mark one read: the bell and the list change at once, and go back if the server refuses. */
export function useMarkNotificationRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (notification: AppNotification) => markNotificationRead(notification.id),
    onMutate: async (notification): Promise<Snapshot> => {
      await queryClient.cancelQueries({ queryKey: notificationKeys.all });
      const snapshot: Snapshot = {
        list: queryClient.getQueryData(notificationKeys.list()),
        count: queryClient.getQueryData(notificationKeys.unreadCount()),
      };
      if (notification.read_at) return snapshot;
      const now = new Date().toISOString();
      queryClient.setQueryData<InfiniteData<Page<AppNotification>>>(notificationKeys.list(), (data) =>
        mapNotifications(data, (item) => (item.id === notification.id ? { ...item, read_at: now } : item)),
      );
      queryClient.setQueryData<UnreadCount>(notificationKeys.unreadCount(), (count) =>
        count ? { unread: Math.max(0, count.unread - 1) } : count,
      );
      return snapshot;
    },
    onSuccess: (saved) => {
      queryClient.setQueryData<InfiniteData<Page<AppNotification>>>(notificationKeys.list(), (data) =>
        mapNotifications(data, (item) => (item.id === saved.id ? { ...item, read_at: saved.read_at } : item)),
      );
    },
    onError: (_error, _notification, snapshot) => {
      if (snapshot?.list) queryClient.setQueryData(notificationKeys.list(), snapshot.list);
      if (snapshot?.count) queryClient.setQueryData(notificationKeys.unreadCount(), snapshot.count);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.unreadCount() }),
  });
}
