import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { draftKey, readDraft } from "@/lib/drafts";
import type { TicketDetail } from "@/lib/types";
import { aMessage, aPage, aTicket, aTicketListItem } from "@/testing/data";
import { apiError, fakeApi, json, type RecordedRequest } from "@/testing/fake-api";
import { FakeXhr } from "@/testing/fake-xhr";
import { renderApp, signInAs } from "@/testing/render";
import { AGENTS, aCustomer, anAgentUser } from "@/testing/staff-data";

const LIST = "/api/support/tickets/";
const CUSTOMERS = "/api/support/customers/";
const ALICE = anAgentUser();

const CUSTOMER_ACCOUNTS = [
  aCustomer(),
  aCustomer({ id: "user-dave", email: "dave@example.com", name: "Dave Provider", role: "provider", ticket_count: 1 }),
  aCustomer({ id: "user-dan", email: "dan.d@example.com", name: "Dan Dawson", ticket_count: 0 }),
];

/** The customers endpoint: matches on email or name, like the server. */
function answerCustomers(request: RecordedRequest) {
  const search = (request.query.get("search") ?? "").toLowerCase();
  const found = CUSTOMER_ACCOUNTS.filter(
    (customer) => customer.email.includes(search) || customer.name.toLowerCase().includes(search),
  );
  return json(aPage(found));
}

function searches(): (string | null)[] {
  return fakeApi.calls("GET", CUSTOMERS).map((request) => request.query.get("search"));
}

/** The ticket the server answers a create with: the first message is the agent's. */
function createdTicket(body: Record<string, unknown>, overrides: Partial<TicketDetail> = {}): TicketDetail {
  const customer = CUSTOMER_ACCOUNTS.find((account) => account.id === body.customer) ?? {
    id: "user-new-caller",
    email: String(body.customer_email),
    name: String(body.customer_name),
  };
  return aTicket({
    id: "ticket-new",
    title: String(body.title),
    customer: { id: customer.id, email: customer.email, name: customer.name },
    source: String(body.source),
    tags: body.tags as string[],
    messages: [
      aMessage({
        id: "message-first",
        ticket: "ticket-new",
        message_text: String(body.message_text),
        sender: { id: ALICE.id, name: ALICE.name, is_staff: true },
        is_from_customer: false,
      }),
    ],
    ...overrides,
  });
}

/** The server creates the ticket it is sent, and serves its staff page afterwards. */
function answerCreate() {
  let created: TicketDetail | null = null;
  fakeApi.once("POST", LIST, (request) => {
    created = createdTicket(request.body as Record<string, unknown>);
    return json(created, { status: 201 });
  });
  serveTicketPage(() => created!);
}

/** The new ticket's staff page needs these once the dialog lands there. */
function serveTicketPage(ticket: () => TicketDetail) {
  fakeApi.on("GET", "/api/support/tickets/ticket-new/", () => json(ticket()));
  fakeApi.on("GET", "/api/support/tickets/ticket-new/history/", []);
}

async function openFromQueue() {
  const user = userEvent.setup();
  signInAs(ALICE);
  fakeApi.on("GET", "/api/support/agents/", AGENTS);
  fakeApi.on("GET", LIST, () => json(aPage([aTicketListItem({ id: "t-1", title: "Refund missing" })])));
  fakeApi.on("GET", CUSTOMERS, answerCustomers);
  const rendered = renderApp("/queue?status=open");
  await screen.findByRole("table");
  await user.click(screen.getByRole("button", { name: "New ticket" }));
  const dialog = screen.getByRole("dialog", { name: "New ticket for a customer" });
  return { user, dialog, ...rendered };
}

async function chooseCustomer(user: ReturnType<typeof userEvent.setup>, dialog: HTMLElement, search: string, name: string) {
  await user.type(within(dialog).getByRole("combobox", { name: /Customer/ }), search);
  await within(dialog).findByRole("option", { name: new RegExp(name) });
  await user.click(within(dialog).getByRole("option", { name: new RegExp(name) }));
  await waitFor(() => expect(within(dialog).getByRole("group", { name: "Customer" })).toHaveTextContent(name));
}

async function fillTheRest(user: ReturnType<typeof userEvent.setup>, dialog: HTMLElement) {
  await user.type(within(dialog).getByLabelText(/Title/), "  Refund for a cancelled booking ");
  await user.selectOptions(within(dialog).getByLabelText(/Category/), "billing");
  await user.type(within(dialog).getByLabelText(/First message/), "Called to ask where the refund is.");
}

describe("new ticket for a customer: the customer picker", () => {
  it("searches as the agent types (debounced), and is chosen with the keyboard", async () => {
    const { user, dialog } = await openFromQueue();
    const box = within(dialog).getByRole("combobox", { name: /Customer/ });
    expect(box).toHaveFocus();
    expect(box).toHaveAttribute("aria-expanded", "false");
    expect(box).toHaveAttribute("aria-autocomplete", "list");

    await user.type(box, "da");

    const list = await within(dialog).findByRole("listbox", { name: "Matching customers" });
    expect(box).toHaveAttribute("aria-expanded", "true");
    expect(box).toHaveAttribute("aria-controls", list.id);
    const options = within(list).getAllByRole("option");
    expect(options.map((option) => option.textContent)).toEqual([
      "Dave Provider dave@example.com Provider · 1 ticket",
      "Dan Dawson dan.d@example.com 0 tickets",
    ]);
    // One request for what was typed, not one per keystroke.
    expect(searches().at(-1)).toBe("da");
    expect(searches()).not.toContain("d");
    expect(fakeApi.calls("GET", CUSTOMERS).at(-1)!.query.get("page_size")).toBe("8");
    expect(within(dialog).getByText(/2 customers found\. Use the up and down arrows to choose\./)).toBeInTheDocument();

    // Down, down, wraps to the first; up goes back to the last. Focus stays in the box.
    await user.keyboard("{ArrowDown}");
    expect(options[0]).toHaveAttribute("aria-selected", "true");
    expect(box).toHaveAttribute("aria-activedescendant", options[0]!.id);
    await user.keyboard("{ArrowDown}");
    expect(box).toHaveAttribute("aria-activedescendant", options[1]!.id);
    expect(options[0]).toHaveAttribute("aria-selected", "false");
    await user.keyboard("{ArrowDown}");
    expect(box).toHaveAttribute("aria-activedescendant", options[0]!.id);
    await user.keyboard("{ArrowUp}");
    expect(box).toHaveAttribute("aria-activedescendant", options[1]!.id);
    expect(box).toHaveFocus();

    // Escape closes the list, not the dialog; Down opens it again.
    await user.keyboard("{Escape}");
    expect(within(dialog).queryByRole("listbox")).not.toBeInTheDocument();
    expect(box).toHaveAttribute("aria-expanded", "false");
    expect(screen.getByRole("dialog", { name: "New ticket for a customer" })).toBeInTheDocument();
    await user.keyboard("{ArrowDown}{ArrowDown}");
    expect(box).toHaveAttribute("aria-activedescendant", within(dialog).getAllByRole("option")[1]!.id);

    // Enter chooses (and does not submit the form).
    await user.keyboard("{Enter}");
    const chosen = within(dialog).getByRole("group", { name: "Customer" });
    expect(chosen).toHaveTextContent("Dan Dawson dan.d@example.com");
    const change = within(chosen).getByRole("button", { name: "Change customer" });
    expect(change).toHaveFocus();
    expect(within(dialog).queryByRole("combobox", { name: /Customer/ })).not.toBeInTheDocument();
    expect(within(dialog).queryByText(/Some fields need attention/)).not.toBeInTheDocument();
    expect(fakeApi.calls("POST", LIST)).toHaveLength(0);

    // "Change" brings the search back, empty and focused.
    await user.click(change);
    const again = within(dialog).getByRole("combobox", { name: /Customer/ });
    expect(again).toHaveFocus();
    expect(again).toHaveValue("");
  });

  it("says when nothing matches, and is required before anything is sent", async () => {
    const { user, dialog } = await openFromQueue();
    const box = within(dialog).getByRole("combobox", { name: /Customer/ });

    await user.type(box, "zed");
    expect(await within(dialog).findByText("No customer matches “zed”.", { selector: ".combobox-message" })).toBeVisible();
    expect(within(dialog).getByText("No customer matches “zed”.", { selector: "[role=status]" })).toBeInTheDocument();
    expect(box).toHaveAttribute("aria-expanded", "false");
    expect(within(dialog).queryByRole("listbox")).not.toBeInTheDocument();

    // Text in the box is not a choice.
    await fillTheRest(user, dialog);
    await user.click(within(dialog).getByRole("button", { name: "Create ticket" }));

    expect(box).toHaveAccessibleDescription(/Choose the customer this ticket is for\./);
    expect(box).toHaveAttribute("aria-invalid", "true");
    expect(box).toHaveFocus();
    expect(fakeApi.calls("POST", LIST)).toHaveLength(0);

    await user.clear(box);
    await chooseCustomer(user, dialog, "carol", "Carol Customer");
    expect(within(dialog).queryByText("Choose the customer this ticket is for.")).not.toBeInTheDocument();
  });
});

describe("new ticket for a customer: the dialog", () => {
  it("checks the other fields too, and the tags' limits, before sending", async () => {
    const { user, dialog } = await openFromQueue();
    await chooseCustomer(user, dialog, "carol", "Carol Customer");

    await user.type(within(dialog).getByLabelText(/Tags/), `refund, ${"x".repeat(51)}`);
    await user.click(within(dialog).getByRole("button", { name: "Create ticket" }));

    expect(within(dialog).getByLabelText(/Title/)).toHaveAccessibleDescription("Give the ticket a title.");
    expect(within(dialog).getByLabelText(/Category/)).toHaveAccessibleDescription("Choose a category.");
    expect(within(dialog).getByLabelText(/Tags/)).toHaveAccessibleDescription(/Keep each tag to 50 characters/);
    expect(within(dialog).getByLabelText(/First message/)).toHaveAccessibleDescription(/Write the first message/);
    expect(within(dialog).getByLabelText(/Title/)).toHaveFocus();
    expect(fakeApi.calls("POST", LIST)).toHaveLength(0);
  });

  it("sends the customer, source and tags, and lands on the new ticket", async () => {
    const { user, dialog, router } = await openFromQueue();
    answerCreate();

    expect(within(dialog).getByLabelText("Source")).toHaveValue("phone");
    expect(within(dialog).getByLabelText(/Priority/)).toHaveValue("medium");
    await chooseCustomer(user, dialog, "dave", "Dave Provider");
    await fillTheRest(user, dialog);
    await user.selectOptions(within(dialog).getByLabelText(/Priority/), "high");
    await user.selectOptions(within(dialog).getByLabelText("Source"), "email");
    await user.type(within(dialog).getByLabelText(/Tags/), " Refund,VIP   customer ,, refund");
    expect(within(dialog).getByLabelText(/Tags/)).toHaveAccessibleDescription(/Adds: refund, vip customer/);
    await user.click(within(dialog).getByRole("button", { name: "Create ticket" }));

    await waitFor(() => expect(router.state.location.pathname).toBe("/tickets/ticket-new"));
    expect(fakeApi.calls("POST", LIST)[0]!.body).toEqual({
      customer: "user-dave",
      message_as: "customer",
      title: "Refund for a cancelled booking",
      category: "billing",
      priority: "high",
      source: "email",
      tags: ["refund", "vip customer"],
      message_text: "Called to ask where the refund is.",
    });
    expect(await screen.findByRole("heading", { level: 1, name: "Refund for a cancelled booking" })).toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    // "← Queue" goes back to the queue as it was filtered.
    expect(screen.getByRole("navigation", { name: "Breadcrumb" }).querySelector("a")).toHaveAttribute(
      "href",
      "/queue?status=open",
    );
  });

  it("puts the server's field errors on the fields, list items on the list's field", async () => {
    const { user, dialog } = await openFromQueue();
    fakeApi.once(
      "POST",
      LIST,
      apiError(400, "validation_error", "The request has invalid fields.", {
        customer: ["The customer must be an active customer or provider account."],
        "tags.1": ["Ensure this field has no more than 50 characters."],
      }),
    );

    await chooseCustomer(user, dialog, "carol", "Carol Customer");
    await fillTheRest(user, dialog);
    await user.type(within(dialog).getByLabelText(/Tags/), "refund, late");
    await user.click(within(dialog).getByRole("button", { name: "Create ticket" }));

    const chosen = within(dialog).getByRole("group", { name: "Customer" });
    await waitFor(() =>
      expect(chosen).toHaveAccessibleDescription("The customer must be an active customer or provider account."),
    );
    expect(within(dialog).getByLabelText(/Tags/)).toHaveAccessibleDescription(
      /Ensure this field has no more than 50 characters\./,
    );
    // Sent as phone, the default; the agent is taken to the first field to fix.
    expect(fakeApi.calls("POST", LIST)[0]!.body).toMatchObject({ customer: "user-carol", source: "phone", tags: ["refund", "late"] });
    await waitFor(() => expect(within(chosen).getByRole("button", { name: "Change customer" })).toHaveFocus());
    expect(screen.getByRole("dialog", { name: "New ticket for a customer" })).toBeInTheDocument();
    expect(within(dialog).queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows errors that belong to no field above the form", async () => {
    const { user, dialog } = await openFromQueue();
    fakeApi.once("POST", LIST, apiError(429, "rate_limit_exceeded", "Too many requests.", {}, { "Retry-After": "30" }));

    await chooseCustomer(user, dialog, "carol", "Carol Customer");
    await fillTheRest(user, dialog);
    await user.click(within(dialog).getByRole("button", { name: "Create ticket" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent("Too many requests, try again in 30 seconds.");
  });

  it("uploads picked files to the first message once the ticket exists", async () => {
    const { user, dialog, router } = await openFromQueue();
    let created: TicketDetail | null = null;
    fakeApi.once("POST", LIST, (request) => {
      created = createdTicket(request.body as Record<string, unknown>);
      return json(created, { status: 201 });
    });
    serveTicketPage(() => created!);

    await chooseCustomer(user, dialog, "carol", "Carol Customer");
    await fillTheRest(user, dialog);
    const receipt = new File(["%PDF-1.4 receipt"], "receipt.pdf", { type: "application/pdf" });
    await user.upload(within(dialog).getByTestId("attachment-input"), receipt);
    expect(within(dialog).getByText("Ready to upload")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Create ticket" }));

    await waitFor(() => expect(FakeXhr.instances).toHaveLength(1));
    const upload = FakeXhr.instances[0]!;
    expect(upload.url).toBe("/api/support/tickets/ticket-new/attachments/");
    expect(upload.body!.get("message")).toBe("message-first");
    expect(upload.file!.name).toBe("receipt.pdf");
    expect(router.state.location.pathname).toBe("/queue");
    expect(within(dialog).getByRole("button", { name: "Uploading files…" })).toBeDisabled();
    upload.respond(201, {
      id: "attachment-1",
      ticket: "ticket-new",
      message: "message-first",
      uploaded_by: ALICE.id,
      filename: "receipt.pdf",
      file_size: 16,
      content_type: "application/pdf",
      is_image: false,
      created_at: new Date().toISOString(),
      download_url: "/api/support/attachments/attachment-1/download/",
    });

    await waitFor(() => expect(router.state.location.pathname).toBe("/tickets/ticket-new"));
    expect(await screen.findByRole("button", { name: /receipt\.pdf/ })).toBeInTheDocument();
  });
});

describe("new ticket for a customer: from a ticket's customer panel", () => {
  it("opens with that customer chosen and the title focused", async () => {
    const user = userEvent.setup();
    signInAs(ALICE);
    fakeApi.on("GET", "/api/support/tickets/ticket-1/", aTicket());
    fakeApi.on("GET", "/api/support/tickets/ticket-1/history/", []);
    fakeApi.on("GET", "/api/support/agents/", AGENTS);
    fakeApi.on("GET", LIST, aPage([]));
    answerCreate();
    const { router } = renderApp("/tickets/ticket-1");
    const panel = await screen.findByRole("region", { name: "Customer" });

    const opener = within(panel).getByRole("button", { name: "New ticket for this customer" });
    await user.click(opener);
    const dialog = screen.getByRole("dialog", { name: "New ticket for a customer" });
    expect(within(dialog).getByRole("group", { name: "Customer" })).toHaveTextContent("Carol Customer carol@example.com");
    expect(within(dialog).getByLabelText(/Title/)).toHaveFocus();

    // Escape closes it and gives focus back.
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(opener).toHaveFocus();

    await user.click(opener);
    const reopened = screen.getByRole("dialog", { name: "New ticket for a customer" });
    await fillTheRest(user, reopened);
    await user.click(within(reopened).getByRole("button", { name: "Create ticket" }));

    await waitFor(() => expect(router.state.location.pathname).toBe("/tickets/ticket-new"));
    expect(fakeApi.calls("POST", LIST)[0]!.body).toMatchObject({ customer: "user-carol", source: "phone", tags: [] });
    expect(fakeApi.calls("GET", CUSTOMERS)).toHaveLength(0);
  });
});

describe("new ticket for a customer: drafts", () => {
  it("keeps the customer and every field after closing and reloading, and a customer's panel starts its own", async () => {
    const { user, dialog, unmount } = await openFromQueue();
    await chooseCustomer(user, dialog, "dave", "Dave Provider");
    await fillTheRest(user, dialog);
    await user.selectOptions(within(dialog).getByLabelText("Source"), "email");
    await user.type(within(dialog).getByLabelText("Tags"), "payout, vip");
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    unmount();

    const reloaded = await openFromQueue();
    const restored = reloaded.dialog;
    expect(within(restored).getByRole("group", { name: "Customer" })).toHaveTextContent("Dave Provider");
    // The customer is chosen already, so the first field to fill is the title.
    expect(within(restored).getByLabelText(/Title/)).toHaveFocus();
    expect(within(restored).getByLabelText(/Title/)).toHaveValue("  Refund for a cancelled booking ");
    expect(within(restored).getByLabelText(/Category/)).toHaveValue("billing");
    expect(within(restored).getByLabelText("Source")).toHaveValue("email");
    expect(within(restored).getByLabelText("Tags")).toHaveValue("payout, vip");
    expect(within(restored).getByLabelText(/First message/)).toHaveValue("Called to ask where the refund is.");
    await user.click(within(restored).getByRole("button", { name: "Cancel" }));
    reloaded.unmount();

    // From Carol's ticket, a new ticket for Carol starts blank (the queue's draft is Dave's).
    fakeApi.on("GET", "/api/support/tickets/ticket-1/", aTicket());
    fakeApi.on("GET", "/api/support/tickets/ticket-1/history/", []);
    renderApp("/tickets/ticket-1");
    const panel = await screen.findByRole("region", { name: "Customer" });
    await user.click(within(panel).getByRole("button", { name: "New ticket for this customer" }));
    const forCarol = screen.getByRole("dialog", { name: "New ticket for a customer" });
    expect(within(forCarol).getByRole("group", { name: "Customer" })).toHaveTextContent("Carol Customer");
    expect(within(forCarol).getByLabelText(/Title/)).toHaveValue("");
    expect(within(forCarol).queryByRole("button", { name: "Discard draft" })).not.toBeInTheDocument();
    expect(readDraft(draftKey(ALICE.id, { kind: "new-ticket-for-customer" }))).toMatchObject({
      customer: { id: "user-dave" },
      source: "email",
    });
    expect(fakeApi.calls("POST", LIST)).toHaveLength(0);
  });
});

describe("new ticket for a customer: what the first message is, and callers without an account", () => {
  it("sends an internal note when the agent says so, and says who will see it", async () => {
    const { user, dialog } = await openFromQueue();
    answerCreate();
    await chooseCustomer(user, dialog, "dave", "Dave Provider");
    await fillTheRest(user, dialog);
    const message = within(dialog).getByLabelText(/First message/);
    expect(message).toHaveAccessibleDescription(/shown as theirs, marked as entered by you/);
    await user.click(within(dialog).getByRole("radio", { name: "An internal note" }));
    expect(message).toHaveAccessibleDescription(/Only staff see this note/);
    await user.click(within(dialog).getByRole("button", { name: "Create ticket" }));
    await waitFor(() => expect(fakeApi.calls("POST", LIST)).toHaveLength(1));
    expect(fakeApi.calls("POST", LIST)[0]!.body).toMatchObject({ customer: "user-dave", message_as: "internal_note" });
  });

  it("opens a ticket for a caller by name and email, with no account to choose", async () => {
    const { user, dialog } = await openFromQueue();
    answerCreate();
    await user.click(within(dialog).getByRole("button", { name: "New caller without an account" }));
    const caller = within(dialog).getByRole("group", { name: "New caller" });
    await fillTheRest(user, dialog);
    await user.click(within(dialog).getByRole("button", { name: "Create ticket" }));
    expect(within(caller).getByLabelText(/Email/)).toHaveAccessibleDescription(/Give the caller's email/);
    expect(fakeApi.calls("POST", LIST)).toHaveLength(0);

    await user.type(within(caller).getByLabelText(/Name/), "Ram Thapa");
    await user.type(within(caller).getByLabelText(/Email/), "ram@example.com");
    await user.click(within(dialog).getByRole("button", { name: "Create ticket" }));
    await waitFor(() => expect(fakeApi.calls("POST", LIST)).toHaveLength(1));
    const body = fakeApi.calls("POST", LIST)[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({ customer_email: "ram@example.com", customer_name: "Ram Thapa", message_as: "customer" });
    expect(body).not.toHaveProperty("customer");
  });
});
