/**
 * What a live event changes in the query cache. The cache stays the one source of truth:
 * events patch what is already there (so the page changes at once) and mark the rest stale.
 */
import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import { notificationKeys, staffKeys, ticketKeys } from "./query-keys";
import type {
  AppNotification,
  Message,
  Page,
  ServerEvent,
  Sla,
  Ticket,
  TicketDetail,
  TicketListItem,
} from "./types";

export interface LiveContext {
  /** The signed-in user (from the socket's hello), to tell their own messages apart. */
  userId: string | null;
}

/** Add a message to a conversation in time order, or merge a copy of one already there. */
export function upsertMessage(messages: Message[], incoming: Message): Message[] {
  const index = messages.findIndex((message) => message.id === incoming.id);
  if (index === -1) {
    const at = messages.findIndex((message) => message.created_at > incoming.created_at);
    return at === -1 ? [...messages, incoming] : [...messages.slice(0, at), incoming, ...messages.slice(at)];
  }
  // The same message again (a file was attached to it since): keep every file either copy has.
  const existing = messages[index]!;
  const known = new Set(existing.attachments.map((attachment) => attachment.id));
  const added = incoming.attachments.filter((attachment) => !known.has(attachment.id));
  if (added.length === 0) return messages;
  const merged = { ...existing, attachments: [...existing.attachments, ...added] };
  return [...messages.slice(0, index), merged, ...messages.slice(index + 1)];
}

function isTicketPage(value: unknown): value is Page<TicketListItem> {
  return Boolean(value) && Array.isArray((value as Page<TicketListItem>).results);
}

function isActive(queryClient: QueryClient, queryKey: readonly unknown[]): boolean {
  return (queryClient.getQueryCache().find({ queryKey, exact: true })?.getObserversCount() ?? 0) > 0;
}

function messageCreated(queryClient: QueryClient, ticketId: string, message: Message, context: LiveContext): void {
  const detailKey = ticketKeys.detail(ticketId);
  queryClient.setQueryData<TicketDetail>(detailKey, (ticket) => {
    if (!ticket) return ticket;
    const messages = upsertMessage(ticket.messages, message);
    if (messages === ticket.messages) return ticket;
    const updated = message.created_at > ticket.updated_at ? message.created_at : ticket.updated_at;
    return { ...ticket, messages, updated_at: updated };
  });
  void queryClient.invalidateQueries({ queryKey: ticketKeys.lists() });
  // A mail became this message: the staff list of the ticket's mails has news too.
  if (message.via === "email") void queryClient.invalidateQueries({ queryKey: ticketKeys.emails(ticketId) });
  // Someone else's message in the conversation on screen: fetch it again, which tells the
  // server it was read (and brings anything else that changed).
  const fromSomeoneElse = message.sender?.id !== context.userId;
  if (fromSomeoneElse && isActive(queryClient, detailKey)) {
    void queryClient.invalidateQueries({ queryKey: detailKey, exact: true });
  }
}

function ticketUpdated(queryClient: QueryClient, update: Ticket): void {
  const detailKey = ticketKeys.detail(update.id);
  // The event carries the ticket's own fields, as the detail and the list show them; the
  // conversation and the viewer's unread count stay as they are.
  const fields: Ticket = {
    id: update.id,
    number: update.number,
    title: update.title,
    customer: update.customer,
    category: update.category,
    status: update.status,
    priority: update.priority,
    assigned_agent: update.assigned_agent,
    escalated: update.escalated,
    source: update.source,
    tags: update.tags,
    created_at: update.created_at,
    updated_at: update.updated_at,
    closed_at: update.closed_at,
    // Staff may get the ticket's service level with it; without one, the cached one stays.
    ...(update.sla !== undefined ? { sla: update.sla } : {}),
  };
  queryClient.setQueryData<TicketDetail>(detailKey, (before) => (before ? { ...before, ...fields } : before));
  queryClient.setQueriesData<unknown>({ queryKey: ticketKeys.lists() }, (page: unknown) =>
    isTicketPage(page) && page.results.some((item) => item.id === update.id)
      ? { ...page, results: page.results.map((item) => (item.id === update.id ? { ...item, ...fields } : item)) }
      : page,
  );
  // Filters and ordering may move the ticket between lists; other views of it (its history)
  // are out of date too.
  void queryClient.invalidateQueries({
    predicate: (query) => {
      const key = query.queryKey;
      if (key[0] !== ticketKeys.all[0]) return false;
      if (key[1] === "list") return true;
      return key[1] !== "detail" && key.includes(update.id);
    },
  });
}

/** A list whose rows or order depend on service levels (`?sla=` or `ordering=sla`). */
function listDependsOnSla(queryKey: readonly unknown[]): boolean {
  if (queryKey[0] !== ticketKeys.all[0] || queryKey[1] !== "list") return false;
  const filters = queryKey[2] as { sla?: unknown; ordering?: unknown } | undefined;
  return Boolean(filters?.sla) || filters?.ordering === "sla";
}

/** Staff only: a ticket's clocks moved on (an alert, a breach, a re-evaluation). */
function ticketSla(queryClient: QueryClient, ticketId: string, sla: Sla | null): void {
  queryClient.setQueryData<TicketDetail>(ticketKeys.detail(ticketId), (before) => (before ? { ...before, sla } : before));
  queryClient.setQueriesData<unknown>({ queryKey: ticketKeys.lists() }, (page: unknown) =>
    isTicketPage(page) && page.results.some((item) => item.id === ticketId)
      ? { ...page, results: page.results.map((item) => (item.id === ticketId ? { ...item, sla } : item)) }
      : page,
  );
  // The ticket may now enter or leave an SLA view, or move in the SLA order; the dashboard's
  // at-risk list follows too. Other lists are complete as patched.
  void queryClient.invalidateQueries({ predicate: (query) => listDependsOnSla(query.queryKey) });
  void queryClient.invalidateQueries({ queryKey: staffKeys.metricsAll() });
}

function notificationCreated(queryClient: QueryClient, notification: AppNotification): void {
  const cached = notification.ticket
    ? queryClient.getQueryData<TicketDetail>(ticketKeys.detail(notification.ticket))
    : undefined;
  const ticketTitle = notification.ticket_title ?? cached?.title ?? null;
  const item: AppNotification = { ...notification, ticket_title: ticketTitle };
  let seen = false;
  queryClient.setQueryData<InfiniteData<Page<AppNotification>>>(notificationKeys.list(), (data) => {
    if (!data || data.pages.length === 0) return data;
    if (data.pages.some((page) => page.results.some((existing) => existing.id === item.id))) {
      // An unread notification brought up to date ("3 new replies on …"): it moves to the top,
      // and is still one unread notification.
      seen = true;
      const pages = data.pages.map((page) => ({
        ...page,
        count: page.count - (page.results.some((existing) => existing.id === item.id) ? 1 : 0),
        results: page.results.filter((existing) => existing.id !== item.id),
      }));
      const [first, ...rest] = pages;
      return { ...data, pages: [{ ...first!, count: first!.count + 1, results: [item, ...first!.results] }, ...rest] };
    }
    const [first, ...rest] = data.pages;
    return {
      ...data,
      pages: [{ ...first!, count: first!.count + 1, results: [item, ...first!.results] }, ...rest],
    };
  });
  if (seen || item.read_at) return;
  const countKey = notificationKeys.unreadCount();
  if (queryClient.getQueryData(countKey)) {
    queryClient.setQueryData<{ unread: number }>(countKey, (count) => (count ? { unread: count.unread + 1 } : count));
  } else {
    void queryClient.invalidateQueries({ queryKey: countKey });
  }
}

/** Apply one server event to the cache. */
export function applyServerEvent(queryClient: QueryClient, event: ServerEvent, context: LiveContext): void {
  switch (event.type) {
    case "message.created":
      if (event.message && typeof event.ticket === "string") {
        messageCreated(queryClient, event.ticket, event.message, context);
      }
      return;
    case "ticket.updated":
      if (event.ticket?.id) ticketUpdated(queryClient, event.ticket);
      return;
    case "ticket.sla":
      if (typeof event.ticket === "string" && event.sla !== undefined) ticketSla(queryClient, event.ticket, event.sla);
      return;
    case "notification.created":
      if (event.notification?.id) notificationCreated(queryClient, event.notification);
      return;
    default:
      return;
  }
}

/** Is this query kept fresh by live events (and so polled while they cannot arrive)? */
export function isLiveQuery(queryKey: readonly unknown[]): boolean {
  return queryKey[0] === ticketKeys.all[0] || queryKey[0] === notificationKeys.all[0];
}
