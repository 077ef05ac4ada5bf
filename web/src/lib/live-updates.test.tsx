import { QueryClient, useQuery } from "@tanstack/react-query";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppProviders } from "@/app/providers";
import { aLiveTicket, aMessage, aPage, aTicket, aUser } from "@/testing/data";
import { fakeApi, json } from "@/testing/fake-api";
import { FakeWebSocket } from "@/testing/fake-websocket";
import { renderApp, signInAs } from "@/testing/render";
import { tokenStore } from "./api-client";
import { FALLBACK_POLL_MS } from "./live-updates";
import { notificationKeys, ticketKeys } from "./query-keys";
import type { Message, TicketDetail } from "./types";

afterEach(() => {
  vi.useRealTimers();
});

/** The app's providers around queries like the pages', counting each fetch. */
function renderWithLiveQueries() {
  const fetches = { list: 0, detail: 0, unread: 0, me: 0 };
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  function Page() {
    useQuery({ queryKey: ticketKeys.list({}), queryFn: async () => (fetches.list += 1) });
    useQuery({ queryKey: ticketKeys.detail("ticket-1"), queryFn: async () => (fetches.detail += 1) });
    useQuery({ queryKey: notificationKeys.unreadCount(), queryFn: async () => (fetches.unread += 1) });
    useQuery({ queryKey: ["auth", "me"], queryFn: async () => (fetches.me += 1) });
    return null;
  }
  render(
    <AppProviders queryClient={queryClient}>
      <Page />
    </AppProviders>,
  );
  return fetches;
}

const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

describe("live updates", () => {
  it("poll the list, the conversation and the unread count every 15 s while the socket is down, and stop when it is back", async () => {
    vi.useFakeTimers();
    tokenStore.set({ access: "access-1", refresh: "refresh-1" });
    const fetches = renderWithLiveQueries();
    await advance(0);
    expect(fetches).toEqual({ list: 1, detail: 1, unread: 1, me: 1 });

    // Never connected yet: poll.
    await advance(FALLBACK_POLL_MS);
    expect(fetches).toEqual({ list: 2, detail: 2, unread: 2, me: 1 });

    // Connected: no polling at all.
    await act(async () => {
      FakeWebSocket.latest.open();
    });
    await advance(4 * FALLBACK_POLL_MS);
    expect(fetches).toEqual({ list: 2, detail: 2, unread: 2, me: 1 });

    // Dropped: poll again while the reconnects fail...
    await act(async () => {
      FakeWebSocket.latest.serverClose(1006);
    });
    await advance(FALLBACK_POLL_MS);
    expect(fetches.list).toBe(3);
    await advance(FALLBACK_POLL_MS);
    expect(fetches.list).toBe(4);

    // ...and when it is back, fetch once for the events missed meanwhile, then stop polling.
    await act(async () => {
      FakeWebSocket.latest.open();
    });
    await advance(0);
    expect(fetches).toEqual({ list: 5, detail: 5, unread: 5, me: 1 });
    await advance(4 * FALLBACK_POLL_MS);
    expect(fetches).toEqual({ list: 5, detail: 5, unread: 5, me: 1 });
  });

  it("open one socket for a signed-in session, and close it at sign-out, which also ends the session on the server", async () => {
    const user = userEvent.setup();
    signInAs(aUser());
    fakeApi.on("GET", "/api/support/tickets/", aPage([]));
    fakeApi.on("GET", "/api/notifications/unread-count/", { unread: 0 });
    fakeApi.on("POST", "/api/auth/logout/", () => new Response(null, { status: 204 }));
    renderApp("/tickets");
    await screen.findByRole("heading", { name: "Your tickets" });

    expect(FakeWebSocket.instances).toHaveLength(1);
    const socket = FakeWebSocket.latest;
    expect(socket.url).toBe(`ws://${window.location.host}/ws/`);
    expect(socket.token).toBe("access-1");
    await act(async () => {
      socket.open();
    });
    expect(await screen.findByText("Live")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Sign out" }));

    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(socket.closedByClient?.code).toBe(1000);
    expect(FakeWebSocket.live).toHaveLength(0);
    expect(fakeApi.calls("POST", "/api/auth/logout/").map((call) => call.body)).toEqual([{ refresh: "refresh-1" }]);
    expect(tokenStore.get()).toBeNull();
  });

  it("show 'Reconnecting…' while the socket is down", async () => {
    signInAs(aUser());
    fakeApi.on("GET", "/api/support/tickets/", aPage([]));
    fakeApi.on("GET", "/api/notifications/unread-count/", { unread: 0 });
    renderApp("/tickets");
    await screen.findByRole("heading", { name: "Your tickets" });
    await act(async () => {
      FakeWebSocket.latest.open();
    });
    expect(await screen.findByText("Live")).toBeInTheDocument();
    await act(async () => {
      FakeWebSocket.latest.serverClose(1006);
    });
    expect(await screen.findByText("Reconnecting…")).toBeInTheDocument();
  });
});

describe("live updates in a conversation", () => {
  let stored: TicketDetail;

  async function openConversation() {
    const user = userEvent.setup();
    signInAs(aUser());
    stored = aTicket({ messages: [aMessage({ id: "m-1", message_text: "I see two charges" })] });
    fakeApi.on("GET", "/api/support/tickets/ticket-1/", () => json(stored));
    fakeApi.on("GET", "/api/notifications/unread-count/", { unread: 0 });
    renderApp("/tickets/ticket-1");
    const conversation = await screen.findByRole("log", { name: "Conversation" });
    const socket = FakeWebSocket.latest;
    await act(async () => {
      socket.open("user-carol");
    });
    return { user, conversation, socket };
  }

  const texts = (conversation: HTMLElement) =>
    within(conversation)
      .queryAllByRole("listitem")
      .map((item) => item.querySelector(".message-text")?.textContent);

  it("shows support's reply as it arrives, once, and a status change in the header", async () => {
    const { conversation, socket } = await openConversation();
    const reply: Message = aMessage({
      id: "m-2",
      message_text: "We refunded the second charge.",
      sender: { id: "agent-1", name: "Alice Agent", is_staff: true },
      is_from_customer: false,
      created_at: new Date().toISOString(),
    });
    stored = { ...stored, messages: [...stored.messages, reply] };

    await act(async () => {
      socket.emit({ type: "message.created", ticket: "ticket-1", message: reply });
      socket.emit({ type: "message.created", ticket: "ticket-1", message: reply });
    });

    await waitFor(() => expect(texts(conversation)).toEqual(["I see two charges", "We refunded the second charge."]));
    await act(async () => {
      socket.emit({
        type: "ticket.updated",
        ticket: aLiveTicket({
          id: "ticket-1",
          title: stored.title,
          status: "resolved",
          priority: stored.priority,
          category: stored.category,
          escalated: false,
          assigned_agent: null,
          updated_at: new Date().toISOString(),
        }),
      });
    });
    const header = screen.getByRole("heading", { level: 1 }).closest("header")!;
    await waitFor(() => expect(header).toHaveTextContent("Status: Resolved"));
    expect(texts(conversation)).toHaveLength(2);
  });

  it("never shows an optimistic send twice when its own event arrives before the server's answer", async () => {
    const { user, conversation, socket } = await openConversation();
    let answer!: (response: Response) => void;
    fakeApi.once("POST", "/api/support/tickets/ticket-1/messages/", () => new Promise<Response>((done) => (answer = done)));

    await user.type(screen.getByLabelText("Your reply"), "Thanks!");
    await user.click(screen.getByRole("button", { name: "Send" }));
    await waitFor(() => expect(texts(conversation)).toEqual(["I see two charges", "Thanks!"]));

    const saved = aMessage({ id: "m-3", message_text: "Thanks!", created_at: new Date().toISOString() });
    stored = { ...stored, messages: [...stored.messages, saved] };
    await act(async () => {
      socket.emit({ type: "message.created", ticket: "ticket-1", message: saved });
    });
    await waitFor(() => expect(conversation.querySelector('[data-message-id="m-3"]')).not.toBeNull());
    // The server's copy replaced the "sending" one rather than joining it.
    expect(texts(conversation)).toEqual(["I see two charges", "Thanks!"]);

    await act(async () => {
      answer(json(saved, { status: 201 }));
    });
    await waitFor(() => expect(conversation.querySelector("[data-outgoing]")).toBeNull());
    expect(texts(conversation)).toEqual(["I see two charges", "Thanks!"]);
  });
});
