import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { draftKey, readDraft } from "@/lib/drafts";
import type { Message, TicketDetail } from "@/lib/types";
import { aMessage, aPage, aTicket, aTicketListItem } from "@/testing/data";
import { apiError, fakeApi, json } from "@/testing/fake-api";
import { renderApp, signInAs } from "@/testing/render";
import { AGENTS, aCannedResponse, anAgentUser, anEvent } from "@/testing/staff-data";

const DETAIL = "/api/support/tickets/ticket-1/";
const MESSAGES = "/api/support/tickets/ticket-1/messages/";
const HISTORY = "/api/support/tickets/ticket-1/history/";
const CANNED = "/api/support/canned-responses/";
const ALICE = anAgentUser();

let stored: TicketDetail;

function accept(text: string, internal: boolean): Message {
  const message = aMessage({
    id: `server-${text}`,
    message_text: text,
    sender: { id: ALICE.id, name: ALICE.name, is_staff: true },
    is_from_customer: false,
    is_internal: internal,
    created_at: new Date().toISOString(),
  });
  stored = { ...stored, messages: [...stored.messages, message] };
  return message;
}

async function openAsStaff(ticket: TicketDetail = aTicket()) {
  const user = userEvent.setup();
  signInAs(ALICE);
  stored = ticket;
  fakeApi.on("GET", DETAIL, () => json(stored));
  fakeApi.on("GET", HISTORY, [
    anEvent({ kind: "priority_changed", old_value: "medium", new_value: "high" }),
    anEvent({
      kind: "created",
      actor: { id: "user-carol", name: "Carol Customer", is_staff: false },
      new_value: { status: "open", priority: "medium" },
      created_at: new Date(Date.now() - 3600_000).toISOString(),
    }),
  ]);
  fakeApi.on("GET", "/api/support/agents/", AGENTS);
  fakeApi.on("GET", "/api/support/tickets/", (request) =>
    json(
      request.query.get("customer") === "user-carol"
        ? aPage([aTicketListItem({ id: "ticket-1", title: "Charged twice" }), aTicketListItem({ id: "ticket-9", number: 988, title: "Old booking question", status: "closed" })])
        : aPage([]),
    ),
  );
  const rendered = renderApp("/tickets/ticket-1");
  const conversation = await screen.findByRole("log", { name: "Conversation" });
  return { user, conversation, ...rendered };
}

describe("staff conversation: internal notes", () => {
  it("sends a note with is_internal: true, and shows the composer and the note as a note", async () => {
    const { user, conversation } = await openAsStaff();
    const form = screen.getByRole("form", { name: "Reply" });
    expect(form).not.toHaveClass("composer-note");

    await user.click(screen.getByRole("radio", { name: "Internal note" }));

    const noteForm = screen.getByRole("form", { name: "Write an internal note" });
    expect(noteForm).toHaveClass("composer-note");
    const box = screen.getByLabelText("Note for staff");
    expect(box).toHaveAccessibleDescription(/only staff will see it/);
    expect(screen.queryByLabelText("Your reply")).not.toBeInTheDocument();

    fakeApi.once("POST", MESSAGES, () => json(accept("Customer was double charged by the bank", true), { status: 201 }));
    await user.type(box, "Customer was double charged by the bank");
    await user.click(screen.getByRole("button", { name: "Add note" }));

    await waitFor(() => expect(fakeApi.calls("POST", MESSAGES)).toHaveLength(1));
    expect(fakeApi.calls("POST", MESSAGES)[0]!.body).toEqual({
      message_text: "Customer was double charged by the bank",
      attachment_ids: [],
      is_internal: true,
    });
    const note = await within(conversation).findByRole("article", { name: "You wrote an internal note" });
    expect(note).toHaveTextContent("Internal note");
    expect(note.closest("li")).toHaveClass("message-internal");

    // Back to replying: no longer a note.
    await user.click(screen.getByRole("radio", { name: "Reply to customer" }));
    fakeApi.once("POST", MESSAGES, () => json(accept("We are on it", false), { status: 201 }));
    await user.type(screen.getByLabelText("Your reply"), "We are on it");
    await user.click(screen.getByRole("button", { name: "Send" }));
    await waitFor(() => expect(fakeApi.calls("POST", MESSAGES)).toHaveLength(2));
    expect(fakeApi.calls("POST", MESSAGES)[1]!.body).toEqual({ message_text: "We are on it", attachment_ids: [] });
    const reply = await within(conversation).findByRole("article", { name: "You wrote" });
    expect(reply.closest("li")).not.toHaveClass("message-internal");
  });

  it("shows other staff's notes apart from replies", async () => {
    await openAsStaff(
      aTicket({
        messages: [
          aMessage({ message_text: "Where is my refund?" }),
          aMessage({
            message_text: "Checked with finance",
            sender: { id: "agent-bob", name: "Bob Agent", is_staff: true },
            is_from_customer: false,
            is_internal: true,
          }),
        ],
      }),
    );

    const note = screen.getByRole("article", { name: "Support wrote an internal note" });
    expect(note).toHaveTextContent("Bob Agent");
    expect(note).toHaveTextContent("Internal note");
    expect(screen.getByRole("article", { name: "Carol Customer wrote" }).closest("li")).not.toHaveClass("message-internal");
  });
});

describe("staff conversation: drafts", () => {
  it("keeps the reply and the internal note as separate drafts, and a reload comes back to the reply", async () => {
    const { user, unmount } = await openAsStaff();
    await user.type(screen.getByLabelText("Your reply"), "We are checking with the bank");
    await user.click(screen.getByRole("radio", { name: "Internal note" }));
    expect(screen.getByLabelText("Note for staff")).toHaveValue("");
    await user.type(screen.getByLabelText("Note for staff"), "Looks like a duplicate charge");
    await user.click(screen.getByRole("radio", { name: "Reply to customer" }));
    expect(screen.getByLabelText("Your reply")).toHaveValue("We are checking with the bank");
    expect(readDraft(draftKey(ALICE.id, { kind: "note", ticketId: "ticket-1" }))).toBe("Looks like a duplicate charge");
    unmount();

    // After a reload the composer is in reply mode: the note never turns into a reply.
    await openAsStaff();
    expect(screen.getByLabelText("Your reply")).toHaveValue("We are checking with the bank");
    await user.click(screen.getByRole("radio", { name: "Internal note" }));
    expect(screen.getByLabelText("Note for staff")).toHaveValue("Looks like a duplicate charge");
    expect(fakeApi.calls("POST", MESSAGES)).toHaveLength(0);
  });
});

describe("staff conversation: canned responses", () => {
  it("renders the chosen response for this ticket and inserts it into the composer", async () => {
    const { user } = await openAsStaff();
    fakeApi.on("GET", CANNED, (request) =>
      json(
        request.query.get("search") === "refund"
          ? [aCannedResponse()]
          : [aCannedResponse(), aCannedResponse({ id: "canned-2", title: "Password reset", shared: false, can_edit: true })],
      ),
    );
    fakeApi.once("POST", "/api/support/canned-responses/canned-1/render/", {
      body: "Hi Carol, your refund is on its way.",
    });
    const box = screen.getByLabelText("Your reply");
    await user.type(box, "Thanks for waiting.");

    await user.click(screen.getByRole("button", { name: "Canned responses" }));
    const dialog = await screen.findByRole("dialog", { name: "Canned responses" });
    expect(within(dialog).getByLabelText("Search responses")).toHaveFocus();
    expect(await within(dialog).findByText("Password reset")).toBeInTheDocument();
    expect(within(dialog).getByText("Shared by Bob Agent")).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText("Search responses"), "refund");
    await waitFor(() => expect(within(dialog).queryByText("Password reset")).not.toBeInTheDocument());
    expect(fakeApi.calls("GET", CANNED).at(-1)!.query.get("search")).toBe("refund");

    await user.click(within(dialog).getByRole("button", { name: "Insert “Refund on its way”" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(fakeApi.calls("POST", "/api/support/canned-responses/canned-1/render/")[0]!.body).toEqual({
      ticket_id: "ticket-1",
    });
    expect(box).toHaveValue("Thanks for waiting. Hi Carol, your refund is on its way.");
    await waitFor(() => expect(box).toHaveFocus());
    expect(fakeApi.calls("POST", MESSAGES)).toHaveLength(0); // inserted, not sent
  });

  it("creates a shared response, showing the server's refusal of an unknown placeholder on the text", async () => {
    const { user } = await openAsStaff();
    fakeApi.on("GET", CANNED, []);
    fakeApi.once(
      "POST",
      CANNED,
      apiError(400, "validation_error", "Unknown placeholder(s): order_id.", { body: ["Unknown placeholder(s): order_id."] }),
    );
    fakeApi.once("POST", CANNED, json(aCannedResponse({ id: "canned-3", title: "Greeting" }), { status: 201 }));

    await user.click(screen.getByRole("button", { name: "Canned responses" }));
    const dialog = await screen.findByRole("dialog", { name: "Canned responses" });
    expect(await within(dialog).findByText("There are no canned responses yet.")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "New response" }));

    const form = screen.getByRole("dialog", { name: "New canned response" });
    expect(within(form).getByLabelText(/Title/)).toHaveFocus();
    await user.type(within(form).getByLabelText(/Title/), "Greeting");
    await user.type(within(form).getByLabelText(/Text/), "Hello {{{{order_id}}");
    await user.click(within(form).getByLabelText("Share with all staff"));
    await user.click(within(form).getByRole("button", { name: "Create response" }));

    expect(await within(form).findByText("Unknown placeholder(s): order_id.")).toBeInTheDocument();
    expect(within(form).getByLabelText(/Text/)).toHaveAccessibleDescription(/Unknown placeholder/);

    await user.clear(within(form).getByLabelText(/Text/));
    await user.type(within(form).getByLabelText(/Text/), "Hello {{{{customer_first_name}}");
    await user.click(within(form).getByRole("button", { name: "Create response" }));

    expect(await screen.findByRole("dialog", { name: "Canned responses" })).toBeInTheDocument();
    expect(fakeApi.calls("POST", CANNED)[1]!.body).toEqual({
      title: "Greeting",
      body: "Hello {{customer_first_name}}",
      shared: true,
    });
  });
});

describe("staff conversation: properties, history and customer", () => {
  it("assigns to me, changes status, and shows who did what", async () => {
    const { user } = await openAsStaff();
    const history = screen.getByRole("region", { name: "History" });
    expect(await within(history).findByText(/Alice Agent changed priority from medium to high/)).toHaveTextContent(
      "3 minutes ago",
    );
    expect(within(history).getByText(/Carol Customer opened the ticket/)).toBeInTheDocument();

    const assigned = { ...stored, status: "in_progress" as const, assigned_agent: { id: ALICE.id, email: ALICE.email, name: ALICE.name } };
    fakeApi.once("POST", "/api/support/tickets/ticket-1/assign/", () => {
      stored = assigned;
      return json(assigned);
    });
    const historyCalls = fakeApi.calls("GET", HISTORY).length;
    await user.click(screen.getByRole("button", { name: "Assign to me" }));

    await waitFor(() => expect(screen.getByLabelText("Assignee")).toHaveValue(ALICE.id));
    expect(fakeApi.calls("POST", "/api/support/tickets/ticket-1/assign/")[0]!.body).toEqual({ agent_id: ALICE.id });
    expect(screen.getByLabelText("Status")).toHaveValue("in_progress");
    expect(screen.queryByRole("button", { name: "Assign to me" })).not.toBeInTheDocument();
    await waitFor(() => expect(fakeApi.calls("GET", HISTORY).length).toBeGreaterThan(historyCalls));

    fakeApi.once("PATCH", DETAIL, () => json({ ...stored, status: "resolved" }));
    await user.selectOptions(screen.getByLabelText("Status"), "resolved");
    await waitFor(() => expect(screen.getByText("Status set to resolved.")).toBeInTheDocument());
    expect(fakeApi.calls("PATCH", DETAIL)[0]!.body).toEqual({ status: "resolved" });
  });

  it("escalates with a reason and an optional higher priority", async () => {
    const { user } = await openAsStaff(aTicket({ priority: "medium" }));
    fakeApi.once("POST", "/api/support/tickets/ticket-1/escalate/", () => json({ ...stored, escalated: true, priority: "urgent" }));

    await user.click(screen.getByRole("button", { name: "Escalate" }));
    const dialog = screen.getByRole("dialog", { name: "Escalate this ticket" });
    expect(within(dialog).getByLabelText(/Reason/)).toHaveFocus();
    await user.click(within(dialog).getByRole("button", { name: "Escalate" }));
    expect(within(dialog).getByLabelText(/Reason/)).toHaveAccessibleDescription(/Say why/);
    expect(fakeApi.calls("POST", "/api/support/tickets/ticket-1/escalate/")).toHaveLength(0);

    expect(within(dialog).getByLabelText("Priority")).toHaveDisplayValue("One level up (high)");
    await user.type(within(dialog).getByLabelText(/Reason/), "Third double charge this month");
    await user.selectOptions(within(dialog).getByLabelText("Priority"), "urgent");
    await user.click(within(dialog).getByRole("button", { name: "Escalate" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(fakeApi.calls("POST", "/api/support/tickets/ticket-1/escalate/")[0]!.body).toEqual({
      reason: "Third double charge this month",
      priority: "urgent",
    });
    expect(screen.getByRole("button", { name: "Escalate again" })).toBeInTheDocument();
  });

  it("shows the customer and links to their other tickets", async () => {
    await openAsStaff();
    const panel = screen.getByRole("region", { name: "Customer" });

    expect(within(panel).getByText("Carol Customer")).toBeInTheDocument();
    expect(within(panel).getByRole("link", { name: "carol@example.com" })).toHaveAttribute("href", "mailto:carol@example.com");
    const other = await within(panel).findByRole("link", { name: "Old booking question" });
    expect(other).toHaveAttribute("href", "/tickets/ticket-9");
    expect(other.closest("li")).toHaveTextContent(/^#988 Old booking question/);
    expect(within(panel).queryByRole("link", { name: "Charged twice" })).not.toBeInTheDocument();
  });

  it("names the ticket by its #number and links the closed ticket it follows up", async () => {
    await openAsStaff(aTicket({ number: 1077, follows: { id: "ticket-9", number: 988, title: "Old booking question" } }));
    const header = screen.getByRole("heading", { level: 1, name: "Charged twice" }).closest("header")!;

    expect(within(header).getByText("#1077")).toHaveClass("ticket-number");
    expect(within(header).getByText(/Follow-up to/)).toBeInTheDocument();
    expect(within(header).getByRole("link", { name: "#988 Old booking question" })).toHaveAttribute("href", "/tickets/ticket-9");
    await waitFor(() => expect(document.title).toBe("#1077 Charged twice · Support Desk"));
  });
});
