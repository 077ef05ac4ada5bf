import { useMutation, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { notificationKeys } from "@/lib/query-keys";
import type { AppNotification, Page } from "@/lib/types";
import { mapNotifications } from "./get-notifications";
import type { UnreadCount } from "./get-unread-count";

export function markAllNotificationsRead(): Promise<{ marked: number }> {
  return api.post<{ marked: number }>("notifications/read-all/");
}

type Snapshot = { list?: InfiniteData<Page<AppNotification>>; count?: UnreadCount };

export function useMarkAllNotificationsRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markAllNotificationsRead,
    onMutate: async (): Promise<Snapshot> => {
      await queryClient.cancelQueries({ queryKey: notificationKeys.all });
      const snapshot: Snapshot = {
        list: queryClient.getQueryData(notificationKeys.list()),
        count: queryClient.getQueryData(notificationKeys.unreadCount()),
      };
      const now = new Date().toISOString();
      queryClient.setQueryData<InfiniteData<Page<AppNotification>>>(notificationKeys.list(), (data) =>
        mapNotifications(data, (item) => (item.read_at ? item : { ...item, read_at: now })),
      );
      queryClient.setQueryData<UnreadCount>(notificationKeys.unreadCount(), { unread: 0 });
      return snapshot;
    },
    onError: (_error, _variables, snapshot) => {
      if (snapshot?.list) queryClient.setQueryData(notificationKeys.list(), snapshot.list);
      if (snapshot?.count) queryClient.setQueryData(notificationKeys.unreadCount(), snapshot.count);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.unreadCount() }),
  });
}
