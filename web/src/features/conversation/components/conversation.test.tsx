import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ticketKeys } from "@/lib/query-keys";
import type { Message, TicketDetail } from "@/lib/types";
import { aMessage, aTicket, aUser } from "@/testing/data";
import { apiError, fakeApi, json } from "@/testing/fake-api";
import { renderApp, signInAs } from "@/testing/render";

const DETAIL = "/api/support/tickets/ticket-1/";
const MESSAGES = "/api/support/tickets/ticket-1/messages/";

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

let stored: TicketDetail;

/** What the server answers to an accepted message; it is then part of the stored ticket too. */
function serverMessage(text: string): Message {
  const message = aMessage({ id: `server-${text}`, message_text: text, created_at: new Date().toISOString() });
  stored = { ...stored, messages: [...stored.messages, message] };
  return message;
}

async function openTicket(ticket: TicketDetail = aTicket()) {
  const user = userEvent.setup();
  signInAs(aUser());
  stored = ticket;
  fakeApi.on("GET", DETAIL, () => json(stored));
  const rendered = renderApp("/tickets/ticket-1");
  const conversation = await screen.findByRole("log", { name: "Conversation" });
  return { user, conversation, ...rendered };
}

function messagesIn(conversation: HTMLElement) {
  return within(conversation).queryAllByRole("listitem");
}

describe("conversation", () => {
  it("tells the customer a pending ticket is waiting for their reply", async () => {
    await openTicket(aTicket({ status: "pending" }));
    const header = screen.getByRole("heading", { level: 1 }).closest("header")!;
    expect(header).toHaveTextContent("Status: Waiting for your reply");
    expect(header).not.toHaveTextContent("Pending");
    // Customers never see service levels.
    expect(screen.queryByRole("region", { name: "SLA" })).not.toBeInTheDocument();
  });

  it("shows messages in order with 'You' and 'Support' labels and exact times on hover", async () => {
    const ticket = aTicket({
      status: "in_progress",
      priority: "urgent",
      messages: [
        aMessage({ message_text: "First from me", created_at: "2026-03-01T10:00:00Z" }),
        aMessage({
          message_text: "Reply from support",
          sender: { id: "agent-1", name: "Alice Agent", is_staff: true },
          is_from_customer: false,
          created_at: "2026-03-01T11:00:00Z",
        }),
        aMessage({ message_text: "<b>not bold</b>", created_at: "2026-03-01T12:00:00Z" }),
      ],
    });
    const { conversation } = await openTicket(ticket);

    expect(screen.getByRole("heading", { level: 1, name: "Charged twice" })).toBeInTheDocument();
    expect(screen.getByText("In progress")).toBeInTheDocument();
    expect(screen.getByText(/Urgent/)).toBeInTheDocument();
    const items = messagesIn(conversation);
    expect(items.map((item) => within(item).getByRole("article").getAttribute("aria-label"))).toEqual([
      "You wrote",
      "Support wrote",
      "You wrote",
    ]);
    expect(items[1]).toHaveTextContent("Alice Agent");
    const time = items[0]!.querySelector("time")!;
    expect(time).toHaveAttribute("dateTime", "2026-03-01T10:00:00Z");
    expect(time.getAttribute("title")).toMatch(/2026/);
    // User text is text, never markup.
    expect(items[2]!.querySelector("b")).toBeNull();
    expect(items[2]).toHaveTextContent("<b>not bold</b>");
  });

  it("makes web addresses in messages links to a new tab, keeps all else text, and lets each text set its direction", async () => {
    const ticket = aTicket({
      title: "لم أستلم المبلغ المسترد",
      messages: [
        aMessage({ message_text: "Track it at https://track.example.com/parcel?id=42 or www.example.com/help." }),
        aMessage({ message_text: "javascript:alert(document.cookie)" }),
        aMessage({ message_text: '<a href="https://evil.example/">Click here</a>' }),
        aMessage({ message_text: "مرحبا، دفعت مرتين للحجز نفسه" }),
      ],
    });
    const { conversation } = await openTicket(ticket);
    const [withLinks, script, html, arabic] = messagesIn(conversation);

    const track = within(withLinks!).getByRole("link", { name: "https://track.example.com/parcel?id=42" });
    expect(track).toHaveAttribute("href", "https://track.example.com/parcel?id=42");
    expect(track).toHaveAttribute("target", "_blank");
    expect(track).toHaveAttribute("rel", "noopener noreferrer nofollow");
    expect(within(withLinks!).getByRole("link", { name: "www.example.com/help" })).toHaveAttribute(
      "href",
      "https://www.example.com/help",
    );
    expect(withLinks!.querySelector(".message-text")).toHaveTextContent(
      "Track it at https://track.example.com/parcel?id=42 or www.example.com/help.",
    );
    for (const item of [script!, html!]) {
      expect(item.querySelector("a")).toBeNull();
    }
    expect(script!.querySelector(".message-text")).toHaveTextContent("javascript:alert(document.cookie)");
    expect(html!.querySelector(".message-text")!.textContent).toBe('<a href="https://evil.example/">Click here</a>');

    expect(arabic!.querySelector(".message-text")).toHaveAttribute("dir", "auto");
    expect(screen.getByRole("heading", { level: 1, name: "لم أستلم المبلغ المسترد" })).toHaveAttribute("dir", "auto");
  });

  it("shows a sent message at once, then exactly once when the server accepts it", async () => {
    const { user, conversation, queryClient } = await openTicket();
    const reply = deferred<Response>();
    fakeApi.once("POST", MESSAGES, () => reply.promise);

    await user.type(screen.getByLabelText("Your reply"), "  Any news?  ");
    await user.click(screen.getByRole("button", { name: "Send" }));

    // Optimistic: visible and marked as sending before the server answers.
    const pending = within(conversation).getByText("Any news?").closest("li")!;
    expect(pending).toHaveAttribute("data-outgoing", "sending");
    expect(pending).toHaveTextContent("Sending…");
    expect(screen.getByLabelText("Your reply")).toHaveValue("");
    expect(fakeApi.calls("POST", MESSAGES)[0]!.body).toEqual({ message_text: "Any news?", attachment_ids: [] });

    reply.resolve(json(serverMessage("Any news?"), { status: 201 }));

    await waitFor(() => expect(within(conversation).getByText("Any news?").closest("li")).not.toHaveAttribute("data-outgoing"));
    expect(within(conversation).getAllByText("Any news?")).toHaveLength(1);
    const cached = queryClient.getQueryData<TicketDetail>(ticketKeys.detail("ticket-1"))!;
    expect(cached.messages.map((message) => message.message_text)).toContain("Any news?");
    expect(messagesIn(conversation)).toHaveLength(2);
  });

  it("never shows a message twice when a refresh brings the server's copy before the reply does", async () => {
    const { user, conversation, queryClient } = await openTicket();
    const reply = deferred<Response>();
    let accepted: Message | undefined;
    fakeApi.once("POST", MESSAGES, () => {
      accepted = serverMessage("Racing");
      return reply.promise;
    });

    await user.type(screen.getByLabelText("Your reply"), "Racing");
    await user.click(screen.getByRole("button", { name: "Send" }));
    await waitFor(() => expect(accepted).toBeDefined());
    await queryClient.refetchQueries({ queryKey: ticketKeys.detail("ticket-1") });

    await waitFor(() => expect(within(conversation).getByText("Racing").closest("li")).toHaveAttribute("data-message-id"));
    expect(within(conversation).getAllByText("Racing")).toHaveLength(1);

    reply.resolve(json(accepted, { status: 201 }));
    await waitFor(() => expect(fakeApi.calls("GET", DETAIL).length).toBeGreaterThanOrEqual(3));
    expect(within(conversation).getAllByText("Racing")).toHaveLength(1);
    expect(messagesIn(conversation)).toHaveLength(2);
  });

  it("marks a refused message as failed, leaves the conversation as it was, and retries without duplicates", async () => {
    const { user, conversation, queryClient } = await openTicket();
    fakeApi.once(
      "POST",
      MESSAGES,
      apiError(400, "validation_error", "This ticket is closed; reopen it to add a message."),
    );

    await user.type(screen.getByLabelText("Your reply"), "Hello?");
    await user.click(screen.getByRole("button", { name: "Send" }));

    const failed = await within(conversation).findByRole("alert");
    expect(failed).toHaveTextContent("Not sent: This ticket is closed; reopen it to add a message.");
    expect(within(conversation).getByText("Hello?").closest("li")).toHaveAttribute("data-outgoing", "failed");
    // Rolled back: the cached conversation never held the refused message.
    const cached = queryClient.getQueryData<TicketDetail>(ticketKeys.detail("ticket-1"))!;
    expect(cached.messages.map((message) => message.message_text)).not.toContain("Hello?");

    fakeApi.once("POST", MESSAGES, () => json(serverMessage("Hello?"), { status: 201 }));
    await user.click(within(failed).getByRole("button", { name: "Retry" }));

    await waitFor(() => expect(within(conversation).queryByRole("alert")).not.toBeInTheDocument());
    expect(within(conversation).getAllByText("Hello?")).toHaveLength(1);
    expect(fakeApi.calls("POST", MESSAGES)).toHaveLength(2);
  });

  it("lets a failed message be discarded", async () => {
    const { user, conversation } = await openTicket();
    fakeApi.once("POST", MESSAGES, apiError(503, "server_error", "Down for a moment."));

    await user.type(screen.getByLabelText("Your reply"), "Lost words");
    await user.click(screen.getByRole("button", { name: "Send" }));
    const failed = await within(conversation).findByRole("alert");
    await user.click(within(failed).getByRole("button", { name: "Discard" }));

    expect(within(conversation).queryByText("Lost words")).not.toBeInTheDocument();
  });

  it("sends with Ctrl+Enter and refuses an empty message", async () => {
    const { user } = await openTicket();
    fakeApi.once("POST", MESSAGES, () => json(serverMessage("Quick one"), { status: 201 }));
    const box = screen.getByLabelText("Your reply");

    await user.click(box);
    await user.keyboard("{Control>}{Enter}{/Control}");
    expect(box).toHaveAccessibleDescription(/Write a message first\./);
    expect(fakeApi.calls("POST", MESSAGES)).toHaveLength(0);

    await user.type(box, "Quick one");
    await user.keyboard("{Control>}{Enter}{/Control}");
    await waitFor(() => expect(fakeApi.calls("POST", MESSAGES)).toHaveLength(1));
  });

  it("closes after confirming, then disables the composer and says why; reopening enables it", async () => {
    const open = aTicket();
    const { user } = await openTicket(open);
    fakeApi.once("PATCH", DETAIL, json({ ...open, status: "closed", closed_at: new Date().toISOString() }));

    await user.click(screen.getByRole("button", { name: "Close ticket" }));
    const confirm = screen.getByRole("alertdialog", { name: "Close this ticket?" });
    expect(within(confirm).getByRole("button", { name: "Keep open" })).toHaveFocus();
    expect(fakeApi.calls("PATCH", DETAIL)).toHaveLength(0);
    await user.click(within(confirm).getByRole("button", { name: "Close ticket" }));

    await waitFor(() => expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument());
    expect(fakeApi.calls("PATCH", DETAIL)[0]!.body).toEqual({ status: "closed" });
    expect(screen.getByLabelText("Your reply")).toBeDisabled();
    expect(screen.getByLabelText("Your reply")).toHaveAccessibleDescription(/This ticket is closed/);
    expect(screen.getByRole("button", { name: "Send" })).toBeDisabled();

    fakeApi.once("PATCH", DETAIL, json({ ...open, status: "open" }));
    await user.click(screen.getByRole("button", { name: "Reopen ticket" }));
    await waitFor(() => expect(screen.getByLabelText("Your reply")).toBeEnabled());
    expect(fakeApi.calls("PATCH", DETAIL)[1]!.body).toEqual({ status: "open" });
  });

  it("says a ticket is not found (another customer's ticket answers 404)", async () => {
    signInAs();
    fakeApi.on("GET", "/api/support/tickets/someone-elses/", apiError(404, "ticket_not_found", "Ticket not found."));

    renderApp("/tickets/someone-elses");

    expect(await screen.findByText("Ticket not found")).toBeInTheDocument();
    expect(screen.queryByLabelText("Your reply")).not.toBeInTheDocument();
  });
});

describe("conversation: ticket numbers and email", () => {
  it("shows the ticket's number in the header and the page title", async () => {
    await openTicket(aTicket({ number: 1042 }));
    const header = screen.getByRole("heading", { level: 1, name: "Charged twice" }).closest("header")!;
    expect(within(header).getByText("#1042")).toHaveClass("ticket-number");
    await waitFor(() => expect(document.title).toBe("#1042 Charged twice · Support Desk"));
  });

  it("links a follow-up to the closed ticket it continues", async () => {
    const { router } = await openTicket(
      aTicket({ number: 1077, follows: { id: "ticket-old", number: 1041, title: "Refund not received" } }),
    );
    const note = screen.getByText(/Follow-up to/);
    const link = within(note).getByRole("link", { name: "#1041 Refund not received" });
    expect(link).toHaveAttribute("href", "/tickets/ticket-old");

    fakeApi.on("GET", "/api/support/tickets/ticket-old/", aTicket({ id: "ticket-old", number: 1041, status: "closed" }));
    await userEvent.setup().click(link);
    await waitFor(() => expect(router.state.location.pathname).toBe("/tickets/ticket-old"));
  });

  it("says nothing about a follow-up on a ticket that continues none", async () => {
    await openTicket(aTicket({ follows: null }));
    expect(screen.queryByText(/Follow-up to/)).not.toBeInTheDocument();
  });

  it("shows the customer that a message came by email, without the address or the staff's mail records", async () => {
    const { conversation } = await openTicket(
      aTicket({
        messages: [
          aMessage({ id: "m-web", message_text: "From the form" }),
          aMessage({ id: "m-mail", message_text: "From my inbox", via: "email", email_from: "carol@example.com" }),
        ],
      }),
    );
    const [web, mail] = messagesIn(conversation);
    expect(mail).toHaveTextContent("From my inbox");
    expect(mail).toHaveTextContent("via email");
    expect(mail).not.toHaveTextContent("carol@example.com");
    expect(within(mail!).queryByRole("button", { name: "Original mail" })).not.toBeInTheDocument();
    expect(web).not.toHaveTextContent("via email");
    // Customers never ask for a ticket's mails (the server would refuse them anyway).
    expect(screen.queryByRole("button", { name: /^Emails/ })).not.toBeInTheDocument();
    expect(fakeApi.calls("GET", /\/emails\/$/)).toHaveLength(0);
  });
});
