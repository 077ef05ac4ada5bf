import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { AppNotification } from "@/lib/types";
import { aPage, aTicket, aUser } from "@/testing/data";
import { apiError, fakeApi, json } from "@/testing/fake-api";
import { FakeWebSocket } from "@/testing/fake-websocket";
import { renderApp, signInAs } from "@/testing/render";

const COUNT = "/api/notifications/unread-count/";
const LIST = "/api/notifications/";

let sequence = 0;
function aNotification(overrides: Partial<AppNotification> = {}): AppNotification {
  sequence += 1;
  return {
    id: `n-${sequence}`,
    kind: "staff_reply",
    text: `Support replied on: Ticket ${sequence}`,
    ticket: `ticket-${sequence}`,
    ticket_title: `Ticket ${sequence}`,
    message: null,
    created_at: new Date(Date.now() - sequence * 60_000).toISOString(),
    read_at: null,
    ...overrides,
  };
}

async function setup(options: { unread: number; notifications: AppNotification[]; more?: AppNotification[] }) {
  const user = userEvent.setup();
  signInAs(aUser());
  let unread = options.unread;
  fakeApi.on("GET", "/api/support/tickets/", aPage([]));
  fakeApi.on("GET", COUNT, () => json({ unread }));
  fakeApi.on("GET", LIST, (request) =>
    request.query.get("page") === "2"
      ? json(aPage(options.more ?? [], { count: 99, previous: "/api/notifications/?page=1" }))
      : json(aPage(options.notifications, { count: 99, next: options.more ? "/api/notifications/?page=2" : null })),
  );
  const rendered = renderApp("/tickets");
  await screen.findByRole("heading", { name: "Your tickets" });
  return {
    user,
    ...rendered,
    setUnread: (value: number) => {
      unread = value;
    },
  };
}

const bell = () => screen.getByRole("button", { name: /^Notifications/ });

describe("notification bell", () => {
  it("shows the unread count, and lists notifications newest first when opened, with more on request", async () => {
    const newest = aNotification({ text: "Support replied on: Refund" });
    const older = aNotification({ text: "We received your ticket: Refund", kind: "ticket_created", read_at: "2026-01-01T00:00:00Z" });
    const oldest = aNotification({ text: "Support replied on: Old booking" });
    const { user } = await setup({ unread: 3, notifications: [newest, older], more: [oldest] });

    await waitFor(() => expect(bell()).toHaveAccessibleName("Notifications, 3 unread"));
    expect(bell()).toHaveAttribute("aria-expanded", "false");
    expect(fakeApi.calls("GET", LIST)).toHaveLength(0); // the list loads when asked for

    await user.click(bell());
    const panel = screen.getByRole("region", { name: "Notifications" });
    const items = await within(panel).findAllByRole("listitem");
    expect(items.map((item) => item.textContent)).toEqual([
      expect.stringContaining("Unread: Support replied on: Refund"),
      expect.stringContaining("We received your ticket: Refund"),
    ]);
    expect(items[1]).not.toHaveTextContent("Unread");

    await user.click(within(panel).getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(within(panel).getAllByRole("listitem")).toHaveLength(3));
    expect(within(panel).getAllByRole("listitem")[2]).toHaveTextContent("Old booking");
    expect(fakeApi.calls("GET", LIST).map((call) => call.query.get("page"))).toEqual([null, "2"]);
    expect(within(panel).queryByRole("button", { name: "Load more" })).toBeNull();

    await user.keyboard("{Escape}");
    expect(screen.queryByRole("region", { name: "Notifications" })).toBeNull();
    expect(bell()).toHaveFocus();
  });

  it("marks a notification read and opens its ticket", async () => {
    const target = aNotification({ ticket: "ticket-1", text: "Support replied on: Charged twice" });
    const { user, router, setUnread } = await setup({ unread: 2, notifications: [target, aNotification()] });
    fakeApi.on("POST", `/api/notifications/${target.id}/read/`, () => {
      setUnread(1);
      return json({ ...target, read_at: new Date().toISOString() });
    });
    fakeApi.on("GET", "/api/support/tickets/ticket-1/", aTicket());
    await waitFor(() => expect(bell()).toHaveAccessibleName("Notifications, 2 unread"));

    await user.click(bell());
    await user.click(await screen.findByRole("button", { name: /Support replied on: Charged twice/ }));

    expect(await screen.findByRole("heading", { level: 1, name: "Charged twice" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/tickets/ticket-1");
    expect(fakeApi.calls("POST", `/api/notifications/${target.id}/read/`)).toHaveLength(1);
    await waitFor(() => expect(bell()).toHaveAccessibleName("Notifications, 1 unread"));
    expect(screen.queryByRole("region", { name: "Notifications" })).toBeNull();
  });

  it("marks all read", async () => {
    const { user, setUnread } = await setup({ unread: 2, notifications: [aNotification(), aNotification()] });
    fakeApi.on("POST", "/api/notifications/read-all/", () => {
      setUnread(0);
      return json({ marked: 2 });
    });
    await user.click(bell());
    const panel = screen.getByRole("region", { name: "Notifications" });
    await within(panel).findAllByRole("listitem");

    await user.click(within(panel).getByRole("button", { name: "Mark all read" }));

    await waitFor(() => expect(bell()).toHaveAccessibleName("Notifications"));
    expect(screen.queryByTestId("unread-badge")).toBeNull();
    expect(within(panel).queryByText("Unread:", { exact: false })).toBeNull();
    expect(within(panel).getByRole("button", { name: "Mark all read" })).toBeDisabled();
    expect(fakeApi.calls("POST", "/api/notifications/read-all/")).toHaveLength(1);
  });

  it("puts the count back when marking all read fails", async () => {
    const { user } = await setup({ unread: 2, notifications: [aNotification()] });
    fakeApi.on("POST", "/api/notifications/read-all/", apiError(503, "unavailable", "Try again soon."));
    await user.click(bell());
    await within(screen.getByRole("region", { name: "Notifications" })).findAllByRole("listitem");

    await user.click(screen.getByRole("button", { name: "Mark all read" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Try again soon.");
    expect(bell()).toHaveAccessibleName("Notifications, 2 unread");
  });

  it("counts and announces a notification that arrives live, and lists it first", async () => {
    const { user } = await setup({ unread: 1, notifications: [aNotification({ text: "Older one" })] });
    await waitFor(() => expect(bell()).toHaveAccessibleName("Notifications, 1 unread"));
    await user.click(bell());
    await screen.findByText("Older one");
    await act(async () => {
      FakeWebSocket.latest.open();
      FakeWebSocket.latest.emit({
        type: "notification.created",
        notification: {
          id: "n-live",
          kind: "staff_reply",
          text: "Support replied on: Live one",
          ticket: "ticket-1",
          created_at: new Date().toISOString(),
          read_at: null,
        },
      });
    });

    await waitFor(() => expect(bell()).toHaveAccessibleName("Notifications, 2 unread"));
    expect(screen.getByText("New notification: Support replied on: Live one")).toBeInTheDocument();
    const items = within(screen.getByRole("region", { name: "Notifications" })).getAllByRole("listitem");
    expect(items.map((item) => item.querySelector(".notification-text")?.textContent)).toEqual([
      "Support replied on: Live one",
      "Older one",
    ]);
  });

  it("says when there is nothing yet", async () => {
    const { user } = await setup({ unread: 0, notifications: [] });
    await user.click(bell());
    expect(await screen.findByText(/No notifications yet/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Mark all read" })).toBeDisabled();
  });
});
