import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { InboundEmail, Message, TicketDetail } from "@/lib/types";
import { aMessage, aPage, aTicket, anInboundEmail } from "@/testing/data";
import { apiError, fakeApi, json } from "@/testing/fake-api";
import { FakeWebSocket } from "@/testing/fake-websocket";
import { renderApp, signInAs } from "@/testing/render";
import { AGENTS, anAgentUser } from "@/testing/staff-data";

const DETAIL = "/api/support/tickets/ticket-1/";
const EMAILS = "/api/support/tickets/ticket-1/emails/";
const RAW = "/api/support/inbound-emails/email-1/raw/";

afterEach(() => {
  vi.restoreAllMocks();
});

const emailed = (overrides: Partial<Message> = {}) =>
  aMessage({
    id: "m-mail",
    message_text: "Still charged twice, see my bank statement.",
    via: "email",
    email_from: "carol@example.com",
    ...overrides,
  });

const processed = anInboundEmail({
  id: "email-1",
  message: "m-mail",
  opened_ticket: true,
  subject: "Charged twice",
  raw_url: RAW,
});
const outOfOffice = anInboundEmail({
  id: "email-2",
  subject: "Automatic reply: [#1042] Charged twice",
  status: "ignored",
  reason: "Auto-reply (Auto-Submitted: auto-replied): not posted.",
  message: null,
});
const broken = anInboundEmail({
  id: "email-3",
  subject: "Re: [#1042] Charged twice",
  status: "failed",
  reason: "Could not decode the message body.",
  message: null,
});

/** The ticket as the server has it now. */
let stored: TicketDetail;

async function openAsStaff(ticket: TicketDetail, emails: InboundEmail[] = [processed, outOfOffice, broken]) {
  const user = userEvent.setup();
  signInAs(anAgentUser());
  stored = ticket;
  fakeApi.on("GET", DETAIL, () => json(stored));
  fakeApi.on("GET", EMAILS, () => json({ results: emails }));
  fakeApi.on("GET", "/api/support/tickets/ticket-1/history/", []);
  fakeApi.on("GET", "/api/support/agents/", AGENTS);
  fakeApi.on("GET", "/api/support/tickets/", aPage([]));
  fakeApi.on("GET", "/api/notifications/unread-count/", { unread: 0 });
  const rendered = renderApp("/tickets/ticket-1");
  const conversation = await screen.findByRole("log", { name: "Conversation" });
  return { user, conversation, ...rendered };
}

function messageItem(conversation: HTMLElement, id: string): HTMLElement {
  return conversation.querySelector<HTMLElement>(`[data-message-id="${id}"]`)!;
}

/** Files the app hands to the browser to save: their names and bytes. */
function captureSaves() {
  const blobs: Blob[] = [];
  const names: string[] = [];
  vi.spyOn(URL, "createObjectURL").mockImplementation((blob) => {
    blobs.push(blob as Blob);
    return `blob:fake/${blobs.length}`;
  });
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    names.push(this.download);
  });
  return { blobs, names };
}

function emailsToggle() {
  return screen.getByRole("button", { name: /^Emails/ });
}

describe("emailed messages, for staff", () => {
  it("mark the message 'via email' with the sender's address and offer the original mail", async () => {
    const { conversation } = await openAsStaff(aTicket({ messages: [aMessage({ id: "m-web" }), emailed()] }));

    const mail = messageItem(conversation, "m-mail");
    expect(mail).toHaveTextContent("via email from carol@example.com");
    expect(await within(mail).findByRole("button", { name: "Original mail" })).toBeInTheDocument();

    // A web message carries neither.
    const web = messageItem(conversation, "m-web");
    expect(web).not.toHaveTextContent("via email");
    expect(within(web).queryByRole("button", { name: "Original mail" })).not.toBeInTheDocument();
  });

  it("download the original mail with the bearer token, saved under the server's .eml name", async () => {
    const saves = captureSaves();
    fakeApi.on(
      "GET",
      RAW,
      () =>
        new Response("From: carol@example.com\r\nSubject: Charged twice\r\n\r\nStill charged twice.", {
          headers: { "Content-Type": "message/rfc822", "Content-Disposition": 'attachment; filename="ticket-1042-email-1.eml"' },
        }),
    );
    const { user, conversation } = await openAsStaff(aTicket({ messages: [emailed()] }));

    await user.click(await within(messageItem(conversation, "m-mail")).findByRole("button", { name: "Original mail" }));

    await waitFor(() => expect(saves.names).toEqual(["ticket-1042-email-1.eml"]));
    const request = fakeApi.calls("GET", RAW);
    expect(request).toHaveLength(1);
    expect(request[0]!.headers.get("Authorization")).toBe("Bearer access-1");
    expect(await saves.blobs[0]!.text()).toContain("Subject: Charged twice");
  });

  it("fetch each message's own mail", async () => {
    captureSaves();
    const first = anInboundEmail({ id: "email-a", message: "m-first", raw_url: "/api/support/inbound-emails/email-a/raw/" });
    const second = anInboundEmail({ id: "email-b", message: "m-second", raw_url: "/api/support/inbound-emails/email-b/raw/" });
    fakeApi.on("GET", /^\/api\/support\/inbound-emails\/.+\/raw\/$/, () => new Response("raw"));
    const { user, conversation } = await openAsStaff(
      aTicket({ messages: [emailed({ id: "m-first" }), aMessage({ id: "m-web" }), emailed({ id: "m-second" })] }),
      [outOfOffice, first, second],
    );

    await user.click(await within(messageItem(conversation, "m-second")).findByRole("button", { name: "Original mail" }));

    await waitFor(() => expect(fakeApi.calls("GET", second.raw_url)).toHaveLength(1));
    expect(fakeApi.calls("GET", first.raw_url)).toHaveLength(0);
    expect(within(messageItem(conversation, "m-web")).queryByRole("button", { name: "Original mail" })).not.toBeInTheDocument();
  });

  it("say so when the original mail cannot be downloaded", async () => {
    captureSaves();
    fakeApi.on("GET", RAW, apiError(404, "not_found", "That email is gone."));
    const { user, conversation } = await openAsStaff(aTicket({ messages: [emailed()] }));

    const mail = messageItem(conversation, "m-mail");
    await user.click(await within(mail).findByRole("button", { name: "Original mail" }));

    expect(await within(mail).findByRole("alert")).toHaveTextContent("That email is gone.");
  });

  it("arrive live from the customer's mail like web replies, and then get their original", async () => {
    const { conversation } = await openAsStaff(aTicket({ messages: [aMessage({ id: "m-web" })] }));
    const socket = FakeWebSocket.latest;
    await act(async () => {
      socket.open("agent-alice");
    });
    // Nothing came by email yet: the ticket's mails were never asked for.
    expect(fakeApi.calls("GET", EMAILS)).toHaveLength(0);

    // The customer answered a notification email from their mail app.
    const reply = emailed({ created_at: new Date().toISOString() });
    stored = { ...stored, messages: [...stored.messages, reply] };
    await act(async () => {
      socket.emit({ type: "message.created", ticket: "ticket-1", message: reply });
    });

    const mail = await waitFor(() => {
      const item = messageItem(conversation, "m-mail");
      expect(item).not.toBeNull();
      return item;
    });
    expect(mail).toHaveTextContent("Still charged twice, see my bank statement.");
    expect(mail).toHaveTextContent("via email from carol@example.com");
    expect(await within(mail).findByRole("button", { name: "Original mail" })).toBeInTheDocument();
  });
});

describe("the ticket's emails panel", () => {
  it("is collapsed, and asks for nothing until opened on a ticket without emailed messages", async () => {
    const { user } = await openAsStaff(aTicket({ messages: [aMessage()] }), [outOfOffice]);
    const toggle = emailsToggle();
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(screen.queryByRole("list", { name: "Emails" })).not.toBeInTheDocument();
    expect(fakeApi.calls("GET", EMAILS)).toHaveLength(0);

    await user.click(toggle);

    expect(toggle).toHaveAttribute("aria-expanded", "true");
    const list = await screen.findByRole("list", { name: "Emails" });
    // An out-of-office reply to a web ticket: recorded, never posted.
    expect(within(list).getByRole("listitem")).toHaveTextContent("Status: Ignored");
    expect(fakeApi.calls("GET", EMAILS)).toHaveLength(1);
  });

  it("lists each mail with its status and reason, and downloads any of them", async () => {
    const saves = captureSaves();
    fakeApi.on("GET", /^\/api\/support\/inbound-emails\/.+\/raw\/$/, (request) =>
      new Response("raw", {
        headers: { "Content-Disposition": `attachment; filename="${request.path.split("/")[4]}.eml"` },
      }),
    );
    const { user } = await openAsStaff(aTicket({ messages: [emailed()] }));

    // Fetched at once for the emailed message, so the closed panel already counts them.
    const toggle = emailsToggle();
    await waitFor(() => expect(toggle).toHaveTextContent("Emails (3) · 1 failed"));
    await user.click(toggle);

    const items = within(screen.getByRole("list", { name: "Emails" })).getAllByRole("listitem");
    expect(items).toHaveLength(3);
    expect(items[0]).toHaveTextContent("Status: Processed");
    expect(items[0]).toHaveTextContent("Opened this ticket");
    expect(items[0]).toHaveTextContent("From: Carol Customer <carol@example.com>");
    expect(items[1]).toHaveTextContent("Status: Ignored");
    expect(items[1]).toHaveTextContent("Reason: Auto-reply (Auto-Submitted: auto-replied): not posted.");
    expect(items[2]).toHaveTextContent("Status: Failed");
    expect(items[2]).toHaveTextContent("Reason: Could not decode the message body.");
    expect(items[2]).not.toHaveTextContent("Opened this ticket");

    await user.click(within(items[1]!).getByRole("button", { name: "Download .eml" }));
    await waitFor(() => expect(saves.names).toEqual(["email-2.eml"]));
    expect(fakeApi.calls("GET", outOfOffice.raw_url)).toHaveLength(1);
    expect(fakeApi.calls("GET", processed.raw_url)).toHaveLength(0);

    // The panel and the message's "Original mail" shared one request.
    expect(fakeApi.calls("GET", EMAILS)).toHaveLength(1);
  });

  it("shows a mail's full text, quoted history included, as text", async () => {
    const quoted = anInboundEmail({
      id: "email-9",
      full_text: "Thanks!\n\n> On Monday Support wrote:\n> <b>We refunded it</b>",
    });
    const { user } = await openAsStaff(aTicket({ messages: [aMessage()] }), [quoted]);
    await user.click(emailsToggle());
    const item = within(await screen.findByRole("list", { name: "Emails" })).getByRole("listitem");

    await user.click(within(item).getByRole("button", { name: "Full text" }));

    const text = item.querySelector("pre")!;
    expect(text.textContent).toBe(quoted.full_text);
    expect(text.querySelector("b")).toBeNull();
  });
});
