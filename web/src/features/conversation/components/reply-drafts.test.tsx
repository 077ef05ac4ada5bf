import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { tokenStore } from "@/lib/api-client";
import { draftKey, readDraft } from "@/lib/drafts";
import type { Message, TicketDetail, User } from "@/lib/types";
import { aMessage, aPage, aTicket, aUser } from "@/testing/data";
import { apiError, fakeApi, json } from "@/testing/fake-api";
import { renderApp } from "@/testing/render";

const CAROL = aUser();
const MESSAGES = "/api/support/tickets/ticket-1/messages/";
const REPLY_DRAFT = draftKey(CAROL.id, { kind: "reply", ticketId: "ticket-1" });

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

let stored: TicketDetail;
let viewer: User;

beforeEach(() => {
  stored = aTicket();
  viewer = CAROL;
  fakeApi.on("GET", "/api/auth/me/", () => json(viewer));
  fakeApi.on("GET", "/api/support/tickets/ticket-1/", () => json(stored));
  fakeApi.on("GET", "/api/support/tickets/ticket-2/", aTicket({ id: "ticket-2", title: "Other problem" }));
  fakeApi.on("GET", "/api/support/tickets/", aPage([]));
});

function signIn(user: User) {
  viewer = user;
  tokenStore.set({ access: "access-1", refresh: "refresh-1" });
}

function serverMessage(text: string): Message {
  const message = aMessage({ id: `server-${text}`, message_text: text, created_at: new Date().toISOString() });
  stored = { ...stored, messages: [...stored.messages, message] };
  return message;
}

/** A ticket's page (ticket-1, or the empty ticket-2), as `user`. */
async function open(path = "/tickets/ticket-1", user: User = CAROL) {
  signIn(user);
  const rendered = renderApp(path);
  await screen.findByRole("log", { name: "Conversation" });
  return rendered;
}

describe("reply drafts", () => {
  it("keeps an unsent reply per ticket across leaving and reloading, until the server accepts it", async () => {
    const user = userEvent.setup();
    const first = await open();
    await user.type(screen.getByLabelText("Your reply"), "Half a thought");
    first.unmount();

    const other = await open("/tickets/ticket-2");
    expect(screen.getByLabelText("Your reply")).toHaveValue("");
    other.unmount();

    await open();
    const box = screen.getByLabelText("Your reply");
    expect(box).toHaveValue("Half a thought");

    const reply = deferred<Response>();
    fakeApi.once("POST", MESSAGES, () => reply.promise);
    await user.type(box, ", finished.");
    await user.click(screen.getByRole("button", { name: "Send" }));
    expect(box).toHaveValue("");
    // On its way, not yet accepted: a reload now would still find it.
    expect(readDraft(REPLY_DRAFT)).toBe("Half a thought, finished.");

    reply.resolve(json(serverMessage("Half a thought, finished."), { status: 201 }));
    await waitFor(() => expect(readDraft(REPLY_DRAFT)).toBeNull());
  });

  it("keeps a reply the server refused for after a reload, until that message is discarded", async () => {
    const user = userEvent.setup();
    const first = await open();
    fakeApi.once("POST", MESSAGES, apiError(503, "server_error", "Down for a moment."));
    await user.type(screen.getByLabelText("Your reply"), "Please call me back");
    await user.click(screen.getByRole("button", { name: "Send" }));
    expect(await screen.findByText("Not sent: Down for a moment.")).toBeInTheDocument();
    first.unmount();

    await open();
    expect(screen.getByLabelText("Your reply")).toHaveValue("Please call me back");

    // Refused again and then discarded from the conversation: the draft goes with it.
    fakeApi.once("POST", MESSAGES, apiError(503, "server_error", "Down for a moment."));
    await user.click(screen.getByRole("button", { name: "Send" }));
    const failed = await screen.findByRole("alert");
    expect(readDraft(REPLY_DRAFT)).toBe("Please call me back");
    await user.click(within(failed).getByRole("button", { name: "Discard" }));
    expect(readDraft(REPLY_DRAFT)).toBeNull();
  });

  it("asks before discarding a draft, and forgets it only when told to", async () => {
    const user = userEvent.setup();
    const first = await open();
    const box = screen.getByLabelText("Your reply");
    expect(screen.queryByRole("button", { name: "Discard draft" })).not.toBeInTheDocument();
    await user.type(box, "Never mind");

    await user.click(screen.getByRole("button", { name: "Discard draft" }));
    let confirm = screen.getByRole("alertdialog", { name: "Discard this draft?" });
    expect(confirm).toHaveAccessibleDescription("The reply you were writing will be deleted.");
    expect(within(confirm).getByRole("button", { name: "Keep editing" })).toHaveFocus();
    await user.click(within(confirm).getByRole("button", { name: "Keep editing" }));
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(box).toHaveValue("Never mind");
    expect(readDraft(REPLY_DRAFT)).toBe("Never mind");

    await user.click(screen.getByRole("button", { name: "Discard draft" }));
    confirm = screen.getByRole("alertdialog", { name: "Discard this draft?" });
    await user.click(within(confirm).getByRole("button", { name: "Discard" }));
    expect(box).toHaveValue("");
    expect(box).toHaveFocus();
    expect(readDraft(REPLY_DRAFT)).toBeNull();
    expect(screen.queryByRole("button", { name: "Discard draft" })).not.toBeInTheDocument();
    first.unmount();

    await open();
    expect(screen.getByLabelText("Your reply")).toHaveValue("");
    expect(fakeApi.calls("POST", MESSAGES)).toHaveLength(0);
  });

  it("shows a draft only to the user who wrote it, and signing out forgets it", async () => {
    const user = userEvent.setup();
    const first = await open();
    await user.type(screen.getByLabelText("Your reply"), "Carol's words");
    first.unmount();

    // Carol's session ended without a sign-out; Dan signs in on the same browser.
    tokenStore.clear();
    const dan = await open("/tickets/ticket-1", aUser({ id: "user-dan", email: "dan@example.com", name: "Dan Customer" }));
    expect(screen.getByLabelText("Your reply")).toHaveValue("");
    dan.unmount();

    // Carol signs in again: her draft is back; she signs out: it is gone.
    await open();
    expect(screen.getByLabelText("Your reply")).toHaveValue("Carol's words");
    await user.click(screen.getByRole("button", { name: "Sign out" }));
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(Object.keys(window.localStorage).filter((key) => key.startsWith("desk.draft:"))).toEqual([]);
  });
});
