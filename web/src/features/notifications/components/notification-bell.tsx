import { useEffect, useId, useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { ErrorState } from "@/components/ui/states";
import { errorMessage } from "@/lib/api-client";
import { subscribeServerEvents } from "@/lib/live-updates";
import type { AppNotification } from "@/lib/types";
import { flattenNotifications, useNotifications } from "@/features/notifications/api/get-notifications";
import { useUnreadCount } from "@/features/notifications/api/get-unread-count";
import { useMarkAllNotificationsRead } from "@/features/notifications/api/mark-all-notifications-read";
import { useMarkNotificationRead } from "@/features/notifications/api/mark-notification-read";
import "./notifications.css";

export interface NotificationBellProps {
  /** Where a notification about a ticket leads. */
  ticketPath?: (ticketId: string) => string;
}

const defaultTicketPath = (ticketId: string) => `/tickets/${ticketId}`;

function BellIcon() {
  return (
    <svg className="bell-icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
      <path
        d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
        fill="currentColor"
      />
    </svg>
  );
}

/**
 * The header's bell: the unread count, and a panel with the notifications (newest first, more
 * on request). Opening one marks it read and goes to its ticket. New ones are announced.
 */
export function NotificationBell({ ticketPath = defaultTicketPath }: NotificationBellProps) {
  const [open, setOpen] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const unread = useUnreadCount().data?.unread ?? 0;
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  useEffect(
    () =>
      subscribeServerEvents((event) => {
        if (event.type === "notification.created") setAnnouncement(`New notification: ${event.notification.text}`);
      }),
    [],
  );

  const close = (returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  };

  // While open: a click elsewhere closes the panel, and so does Escape wherever focus is (a
  // control that disappeared, like "Load more" on the last page, leaves focus on the page).
  useEffect(() => {
    if (!open) return undefined;
    const onPointerDown = (event: MouseEvent) => {
      if (event.target instanceof Node && !rootRef.current?.contains(event.target)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      const inside = event.target instanceof Node && rootRef.current?.contains(event.target);
      if (!inside && event.target !== document.body) return;
      event.preventDefault();
      setOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener("mousedown", onPointerDown);
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("mousedown", onPointerDown);
      document.removeEventListener("keydown", onKeyDown);
    };
  }, [open]);

  const label = unread > 0 ? `Notifications, ${unread} unread` : "Notifications";
  return (
    <div className="bell" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="bell-button"
        aria-label={label}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen((current) => !current)}
      >
        <BellIcon />
        {unread > 0 ? (
          <span className="bell-badge" aria-hidden="true" data-testid="unread-badge">
            {unread > 99 ? "99+" : unread}
          </span>
        ) : null}
      </button>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {open ? <NotificationPanel id={panelId} unread={unread} ticketPath={ticketPath} onClose={close} /> : null}
    </div>
  );
}

function NotificationPanel({
  id,
  unread,
  ticketPath,
  onClose,
}: {
  id: string;
  unread: number;
  ticketPath: (ticketId: string) => string;
  onClose: (returnFocus: boolean) => void;
}) {
  const list = useNotifications();
  const markRead = useMarkNotificationRead();
  const markAll = useMarkAllNotificationsRead();
  const navigate = useNavigate();
  const headingId = useId();
  const items = flattenNotifications(list.data);
  const anyUnread = unread > 0 || items.some((item) => !item.read_at);

  const openNotification = (notification: AppNotification) => {
    if (!notification.read_at) markRead.mutate(notification);
    if (notification.ticket) {
      onClose(false);
      navigate(ticketPath(notification.ticket));
    }
  };

  let body;
  if (list.isPending) {
    body = (
      <p className="bell-empty" role="status">
        Loading notifications…
      </p>
    );
  } else if (list.isError && items.length === 0) {
    body = (
      <ErrorState
        title="Notifications could not be loaded."
        message={errorMessage(list.error)}
        onRetry={() => void list.refetch()}
        retrying={list.isFetching}
      />
    );
  } else if (items.length === 0) {
    body = <p className="bell-empty">No notifications yet. We will tell you here when something happens.</p>;
  } else {
    body = (
      <ul className="notification-list" aria-labelledby={headingId}>
        {items.map((notification) => (
          <li
            key={notification.id}
            className={notification.read_at ? "notification" : "notification notification-unread"}
          >
            <button
              type="button"
              className="notification-item"
              onClick={() => openNotification(notification)}
              data-notification-id={notification.id}
            >
              {notification.read_at ? null : <span className="visually-hidden">Unread: </span>}
              <span className="notification-text">{notification.text}</span>
              <span className="notification-time">
                <RelativeTime value={notification.created_at} />
              </span>
            </button>
          </li>
        ))}
      </ul>
    );
  }

  return (
    <div id={id} className="bell-panel" role="region" aria-labelledby={headingId}>
      <div className="bell-panel-header">
        <h2 id={headingId} className="bell-panel-title">
          Notifications
        </h2>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => markAll.mutate()}
          disabled={!anyUnread}
          busy={markAll.isPending}
        >
          Mark all read
        </Button>
      </div>
      {markRead.isError || markAll.isError ? (
        <p className="field-error" role="alert">
          {errorMessage(markRead.error ?? markAll.error)}
        </p>
      ) : null}
      <div className="bell-panel-body">{body}</div>
      <div className="bell-panel-footer">
        {list.hasNextPage ? (
          <Button size="sm" onClick={() => void list.fetchNextPage()} busy={list.isFetchingNextPage}>
            Load more
          </Button>
        ) : (
          <span />
        )}
        <Link to="/settings/notifications" onClick={() => onClose(false)}>
          Email settings
        </Link>
      </div>
    </div>
  );
}
