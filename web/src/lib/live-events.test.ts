import { QueryClient, QueryObserver, type InfiniteData } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { aLiveTicket, aMessage, aPage, aTicket, aTicketListItem, anAttachment } from "@/testing/data";
import { anSla } from "@/testing/staff-data";
import { applyServerEvent, upsertMessage } from "./live-events";
import { notificationKeys, staffKeys, ticketKeys } from "./query-keys";
import type { AppNotification, Page, TicketDetail, TicketListItem } from "./types";

const context = { userId: "user-carol" };

function client() {
  return new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
}

function isStale(queryClient: QueryClient, key: readonly unknown[]) {
  return queryClient.getQueryCache().find({ queryKey: key, exact: true })?.state.isInvalidated ?? false;
}

const agentReply = (overrides = {}) =>
  aMessage({
    id: "m-agent",
    message_text: "We refunded the second charge.",
    sender: { id: "agent-1", name: "Alice Agent", is_staff: true },
    is_from_customer: false,
    created_at: "2026-03-01T12:00:00Z",
    ...overrides,
  });

function aNotification(overrides: Partial<AppNotification> = {}): AppNotification {
  return {
    id: "n-1",
    kind: "staff_reply",
    text: "Support replied on: Charged twice",
    ticket: "ticket-1",
    ticket_title: "Charged twice",
    message: null,
    created_at: "2026-03-01T12:00:00Z",
    read_at: null,
    ...overrides,
  };
}

describe("message events", () => {
  it("add the message to the open conversation once, however often it arrives", () => {
    const queryClient = client();
    const first = aMessage({ id: "m-1", created_at: "2026-03-01T10:00:00Z" });
    queryClient.setQueryData(
      ticketKeys.detail("ticket-1"),
      aTicket({ messages: [first], updated_at: "2026-03-01T10:00:00Z" }),
    );

    const event = { type: "message.created", ticket: "ticket-1", message: agentReply() } as const;
    applyServerEvent(queryClient, event, context);
    applyServerEvent(queryClient, event, context);

    const ticket = queryClient.getQueryData<TicketDetail>(ticketKeys.detail("ticket-1"))!;
    expect(ticket.messages.map((message) => message.id)).toEqual(["m-1", "m-agent"]);
    expect(ticket.updated_at).toBe("2026-03-01T12:00:00Z");
  });

  it("merge the files of a repeated message (a file attached after sending)", () => {
    const bare = agentReply();
    const withFile = agentReply({ attachments: [anAttachment({ id: "a-1", filename: "receipt.pdf" })] });
    const once = upsertMessage([bare], withFile);
    expect(once[0]!.attachments.map((attachment) => attachment.id)).toEqual(["a-1"]);
    // An older copy arriving late loses nothing.
    expect(upsertMessage(once, bare)).toBe(once);
  });

  it("keep the conversation in time order when events arrive out of order", () => {
    const early = aMessage({ id: "early", created_at: "2026-03-01T10:00:00Z" });
    const late = aMessage({ id: "late", created_at: "2026-03-01T12:00:00Z" });
    const middle = aMessage({ id: "middle", created_at: "2026-03-01T11:00:00Z" });
    expect(upsertMessage([early, late], middle).map((message) => message.id)).toEqual(["early", "middle", "late"]);
  });

  it("mark the lists stale, and fetch an open conversation again only for others' messages", () => {
    const queryClient = client();
    queryClient.setQueryData(ticketKeys.list({ page: 1 }), aPage([aTicketListItem({ id: "ticket-1" })]));
    queryClient.setQueryData(ticketKeys.detail("ticket-1"), aTicket());
    const observer = new QueryObserver(queryClient, {
      queryKey: ticketKeys.detail("ticket-1"),
      queryFn: () => new Promise<TicketDetail>(() => undefined),
    });
    const unsubscribe = observer.subscribe(() => undefined);

    const own = aMessage({ id: "m-own", created_at: new Date().toISOString() });
    applyServerEvent(queryClient, { type: "message.created", ticket: "ticket-1", message: own }, context);
    expect(isStale(queryClient, ticketKeys.list({ page: 1 }))).toBe(true);
    expect(isStale(queryClient, ticketKeys.detail("ticket-1"))).toBe(false);

    applyServerEvent(queryClient, { type: "message.created", ticket: "ticket-1", message: agentReply() }, context);
    expect(isStale(queryClient, ticketKeys.detail("ticket-1"))).toBe(true);
    unsubscribe();
  });

  it("mark the ticket's mails stale when a message came by email, and only then", () => {
    const queryClient = client();
    queryClient.setQueryData(ticketKeys.detail("ticket-1"), aTicket());
    queryClient.setQueryData(ticketKeys.emails("ticket-1"), []);

    applyServerEvent(queryClient, { type: "message.created", ticket: "ticket-1", message: agentReply() }, context);
    expect(isStale(queryClient, ticketKeys.emails("ticket-1"))).toBe(false);

    const emailed = aMessage({ id: "m-mail", via: "email", email_from: "carol@example.com", created_at: "2026-03-01T13:00:00Z" });
    applyServerEvent(queryClient, { type: "message.created", ticket: "ticket-1", message: emailed }, context);
    expect(isStale(queryClient, ticketKeys.emails("ticket-1"))).toBe(true);
    const ticket = queryClient.getQueryData<TicketDetail>(ticketKeys.detail("ticket-1"))!;
    expect(ticket.messages.find((message) => message.id === "m-mail")).toMatchObject({ via: "email" });
  });

  it("leave conversations that are not in the cache alone", () => {
    const queryClient = client();
    applyServerEvent(queryClient, { type: "message.created", ticket: "ticket-9", message: agentReply() }, context);
    expect(queryClient.getQueryData(ticketKeys.detail("ticket-9"))).toBeUndefined();
  });
});

describe("ticket events", () => {
  it("update the conversation's header and the list item at once, then mark lists stale", () => {
    const queryClient = client();
    queryClient.setQueryData(ticketKeys.detail("ticket-1"), aTicket({ status: "open" }));
    queryClient.setQueryData(
      ticketKeys.list({ page: 1 }),
      aPage([aTicketListItem({ id: "ticket-1", status: "open" }), aTicketListItem({ id: "ticket-2" })]),
    );
    queryClient.setQueryData([...ticketKeys.all, "history", "ticket-1"], []);

    applyServerEvent(
      queryClient,
      {
        type: "ticket.updated",
        ticket: aLiveTicket({
          id: "ticket-1",
          title: "Charged twice",
          status: "resolved",
          priority: "urgent",
          category: "billing",
          escalated: true,
          assigned_agent: null,
          updated_at: "2026-03-02T09:00:00Z",
        }),
      },
      context,
    );

    const ticket = queryClient.getQueryData<TicketDetail>(ticketKeys.detail("ticket-1"))!;
    expect([ticket.status, ticket.priority, ticket.escalated, ticket.updated_at]).toEqual([
      "resolved",
      "urgent",
      true,
      "2026-03-02T09:00:00Z",
    ]);
    const list = queryClient.getQueryData<Page<TicketListItem>>(ticketKeys.list({ page: 1 }))!;
    expect(list.results.map((item) => item.status)).toEqual(["resolved", "open"]);
    expect(isStale(queryClient, ticketKeys.list({ page: 1 }))).toBe(true);
    expect(isStale(queryClient, [...ticketKeys.all, "history", "ticket-1"])).toBe(true);
    // The agent did not change: the patched conversation is complete.
    expect(isStale(queryClient, ticketKeys.detail("ticket-1"))).toBe(false);
  });

  it("keep the ticket's number, and the ticket it follows up (only the detail names it)", () => {
    const queryClient = client();
    const follows = { id: "ticket-0", number: 1041, title: "Refund not received" };
    queryClient.setQueryData(ticketKeys.detail("ticket-1"), aTicket({ number: 1042, follows }));
    queryClient.setQueryData(ticketKeys.list({ page: 1 }), aPage([aTicketListItem({ id: "ticket-1", number: 1042 })]));

    applyServerEvent(
      queryClient,
      { type: "ticket.updated", ticket: aLiveTicket({ id: "ticket-1", number: 1042, status: "resolved" }) },
      context,
    );

    const ticket = queryClient.getQueryData<TicketDetail>(ticketKeys.detail("ticket-1"))!;
    expect([ticket.number, ticket.follows, ticket.status]).toEqual([1042, follows, "resolved"]);
    const list = queryClient.getQueryData<Page<TicketListItem>>(ticketKeys.list({ page: 1 }))!;
    expect(list.results[0]).toMatchObject({ number: 1042, status: "resolved" });
  });

  it("show the new agent from the event, without fetching the conversation again", () => {
    const queryClient = client();
    queryClient.setQueryData(ticketKeys.detail("ticket-1"), aTicket({ assigned_agent: null }));
    const alice = { id: "agent-1", email: "alice@example.com", name: "Alice Agent" };
    applyServerEvent(
      queryClient,
      {
        type: "ticket.updated",
        ticket: aLiveTicket({
          id: "ticket-1",
          status: "in_progress",
          assigned_agent: alice,
          updated_at: "2026-03-02T09:00:00Z",
        }),
      },
      context,
    );
    const ticket = queryClient.getQueryData<TicketDetail>(ticketKeys.detail("ticket-1"))!;
    expect([ticket.assigned_agent, ticket.status]).toEqual([alice, "in_progress"]);
    expect(ticket.messages).toHaveLength(1); // the conversation is kept
    expect(isStale(queryClient, ticketKeys.detail("ticket-1"))).toBe(false);
  });
});

describe("SLA events (staff)", () => {
  const running = anSla({ policy: { id: "p-1", name: "Urgent billing" }, next_breach_at: "2026-12-07T10:30:00Z" });
  const breached = anSla({ policy: { id: "p-1", name: "Urgent billing" }, breached: ["first_response"] });

  it("patch the ticket and every cached queue page holding it, and mark only SLA views and the dashboard stale", () => {
    const queryClient = client();
    queryClient.setQueryData(ticketKeys.detail("ticket-1"), aTicket({ sla: running }));
    const plain = ticketKeys.list({ ordering: "-created_at", page: 1 });
    const bySla = ticketKeys.list({ ordering: "sla", page: 1 });
    const atRisk = ticketKeys.list({ sla: "at_risk", status: "open,in_progress", ordering: "-created_at" });
    const other = ticketKeys.list({ ordering: "-created_at", page: 2 });
    for (const key of [plain, bySla, atRisk]) {
      queryClient.setQueryData(key, aPage([aTicketListItem({ id: "ticket-2", sla: null }), aTicketListItem({ id: "ticket-1", sla: running })]));
    }
    const untouched = aPage([aTicketListItem({ id: "ticket-3", sla: running })]);
    queryClient.setQueryData(other, untouched);
    const metrics = staffKeys.metrics("2026-12-01", "2026-12-07");
    queryClient.setQueryData(metrics, {});
    queryClient.setQueryData(ticketKeys.history("ticket-1"), []);

    applyServerEvent(queryClient, { type: "ticket.sla", ticket: "ticket-1", sla: breached }, context);

    const ticket = queryClient.getQueryData<TicketDetail>(ticketKeys.detail("ticket-1"))!;
    expect(ticket.sla).toEqual(breached);
    expect(ticket.messages).toHaveLength(1);
    for (const key of [plain, bySla, atRisk]) {
      const page = queryClient.getQueryData<Page<TicketListItem>>(key)!;
      expect(page.results.map((item) => item.sla)).toEqual([null, breached]);
    }
    expect(queryClient.getQueryData(other)).toBe(untouched);
    // Only views that filter or sort by SLA may have to gain, lose or move the ticket.
    expect(isStale(queryClient, bySla)).toBe(true);
    expect(isStale(queryClient, atRisk)).toBe(true);
    expect(isStale(queryClient, plain)).toBe(false);
    expect(isStale(queryClient, metrics)).toBe(true);
    expect(isStale(queryClient, ticketKeys.detail("ticket-1"))).toBe(false);
    expect(isStale(queryClient, ticketKeys.history("ticket-1"))).toBe(false);
  });

  it("clear the service level when no policy applies any more, and leave uncached tickets alone", () => {
    const queryClient = client();
    queryClient.setQueryData(ticketKeys.detail("ticket-1"), aTicket({ sla: running }));
    applyServerEvent(queryClient, { type: "ticket.sla", ticket: "ticket-1", sla: null }, context);
    expect(queryClient.getQueryData<TicketDetail>(ticketKeys.detail("ticket-1"))!.sla).toBeNull();
    // A ticket not in the cache stays out of it.
    applyServerEvent(queryClient, { type: "ticket.sla", ticket: "ticket-9", sla: breached }, context);
    expect(queryClient.getQueryData(ticketKeys.detail("ticket-9"))).toBeUndefined();
  });

  it("take a ticket.updated's service level when it carries one, and keep the cached one when it does not", () => {
    const queryClient = client();
    queryClient.setQueryData(ticketKeys.detail("ticket-1"), aTicket({ sla: running }));
    queryClient.setQueryData(ticketKeys.list({ page: 1 }), aPage([aTicketListItem({ id: "ticket-1", sla: running })]));

    applyServerEvent(queryClient, { type: "ticket.updated", ticket: aLiveTicket({ id: "ticket-1", status: "pending" }) }, context);
    expect(queryClient.getQueryData<TicketDetail>(ticketKeys.detail("ticket-1"))).toMatchObject({ status: "pending", sla: running });

    const paused = { ...running, paused: true, next_breach_at: null, at_risk_at: null };
    applyServerEvent(
      queryClient,
      { type: "ticket.updated", ticket: aLiveTicket({ id: "ticket-1", status: "pending", sla: paused }) },
      context,
    );
    expect(queryClient.getQueryData<TicketDetail>(ticketKeys.detail("ticket-1"))!.sla).toEqual(paused);
    const list = queryClient.getQueryData<Page<TicketListItem>>(ticketKeys.list({ page: 1 }))!;
    expect(list.results[0]).toMatchObject({ status: "pending", sla: paused });
  });
});

describe("notification events", () => {
  it("bump the unread count and put the notification first, once", () => {
    const queryClient = client();
    queryClient.setQueryData(notificationKeys.unreadCount(), { unread: 2 });
    const older = aNotification({ id: "n-0", created_at: "2026-03-01T09:00:00Z" });
    queryClient.setQueryData<InfiniteData<Page<AppNotification>>>(notificationKeys.list(), {
      pages: [aPage([older])],
      pageParams: [1],
    });
    queryClient.setQueryData(ticketKeys.detail("ticket-1"), aTicket({ title: "Charged twice" }));

    const event = { type: "notification.created", notification: aNotification({ ticket_title: undefined }) } as const;
    applyServerEvent(queryClient, event, context);
    applyServerEvent(queryClient, event, context);

    expect(queryClient.getQueryData(notificationKeys.unreadCount())).toEqual({ unread: 3 });
    const list = queryClient.getQueryData<InfiniteData<Page<AppNotification>>>(notificationKeys.list())!;
    expect(list.pages[0]!.results.map((item) => item.id)).toEqual(["n-1", "n-0"]);
    expect(list.pages[0]!.count).toBe(2);
    expect(list.pages[0]!.results[0]!.ticket_title).toBe("Charged twice");
  });

  it("bring a grouped notification up to date and to the top, still one unread", () => {
    const queryClient = client();
    queryClient.setQueryData(notificationKeys.unreadCount(), { unread: 2 });
    const replies = aNotification({ id: "n-0", text: "Support replied on: Heater", created_at: "2026-03-01T09:00:00Z" });
    const other = aNotification({ id: "n-1", text: "Support replied on: Roof", created_at: "2026-03-01T10:00:00Z" });
    queryClient.setQueryData<InfiniteData<Page<AppNotification>>>(notificationKeys.list(), {
      pages: [aPage([other, replies])],
      pageParams: [1],
    });

    const grouped = { ...replies, text: "2 new replies on: Heater", count: 2, created_at: "2026-03-01T11:00:00Z" };
    applyServerEvent(queryClient, { type: "notification.created", notification: grouped }, context);

    const list = queryClient.getQueryData<InfiniteData<Page<AppNotification>>>(notificationKeys.list())!;
    expect(list.pages[0]!.results.map((item) => [item.id, item.text])).toEqual([
      ["n-0", "2 new replies on: Heater"],
      ["n-1", "Support replied on: Roof"],
    ]);
    expect(list.pages[0]!.count).toBe(2);
    expect(queryClient.getQueryData(notificationKeys.unreadCount())).toEqual({ unread: 2 });
  });

  it("ask for the count when it was never loaded", () => {
    const queryClient = client();
    applyServerEvent(queryClient, { type: "notification.created", notification: aNotification() }, context);
    expect(queryClient.getQueryData(notificationKeys.unreadCount())).toBeUndefined();
  });
});
