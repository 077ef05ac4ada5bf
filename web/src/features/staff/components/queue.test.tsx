import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { TicketListItem } from "@/lib/types";
import { aPage, aTicketListItem, aUser } from "@/testing/data";
import { apiError, fakeApi, json } from "@/testing/fake-api";
import { renderApp, signInAs } from "@/testing/render";
import { AGENTS, anAgentUser } from "@/testing/staff-data";

const LIST = "/api/support/tickets/";
const BULK = "/api/support/tickets/bulk/";

const TICKETS: TicketListItem[] = [
  aTicketListItem({ id: "t-1", title: "Refund missing" }),
  aTicketListItem({ id: "t-2", title: "Cannot log in", category: "account" }),
  aTicketListItem({ id: "t-3", title: "Cleaner was late", category: "service", priority: "urgent" }),
  aTicketListItem({ id: "t-4", title: "Invoice address wrong" }),
];

function lastListQuery(): Record<string, string> {
  const calls = fakeApi.calls("GET", LIST);
  return Object.fromEntries(calls[calls.length - 1]!.query);
}

async function openQueue(path = "/queue", tickets = TICKETS) {
  const user = userEvent.setup();
  signInAs(anAgentUser());
  fakeApi.on("GET", "/api/support/agents/", AGENTS);
  fakeApi.on("GET", LIST, () => json(aPage(tickets)));
  const rendered = renderApp(path);
  const table = await screen.findByRole("table");
  return { user, table, ...rendered };
}

function rowCheckbox(title: string) {
  return screen.getByRole("checkbox", { name: `Select “${title}”` });
}

describe("queue: selection and bulk actions", () => {
  it("selects rows, applies a bulk action with the right body, then clears the selection", async () => {
    const { user } = await openQueue();
    expect(screen.queryByRole("region", { name: "Bulk actions" })).not.toBeInTheDocument();

    await user.click(rowCheckbox("Refund missing"));
    await user.click(rowCheckbox("Cleaner was late"));

    const bar = screen.getByRole("region", { name: "Bulk actions" });
    expect(bar).toHaveTextContent("2 tickets selected");
    expect(screen.getByRole("checkbox", { name: "Select all tickets on this page" })).toHaveProperty("indeterminate", true);

    fakeApi.once("POST", BULK, { updated: 2, ticket_ids: ["t-1", "t-3"] });
    await user.selectOptions(within(bar).getByLabelText("Action"), "set_status");
    await user.selectOptions(within(bar).getByLabelText("Status"), "resolved");
    const listCallsBefore = fakeApi.calls("GET", LIST).length;
    await user.click(within(bar).getByRole("button", { name: "Apply to 2 tickets" }));

    await waitFor(() => expect(screen.queryByRole("region", { name: "Bulk actions" })).not.toBeInTheDocument());
    expect(fakeApi.calls("POST", BULK)[0]!.body).toEqual({
      ticket_ids: ["t-1", "t-3"],
      action: "set_status",
      value: "resolved",
    });
    expect(screen.getByText("2 tickets set to resolved.")).toBeInTheDocument();
    expect(rowCheckbox("Refund missing")).not.toBeChecked();
    expect(rowCheckbox("Cleaner was late")).not.toBeChecked();
    // The list is fetched again to show the change.
    await waitFor(() => expect(fakeApi.calls("GET", LIST).length).toBeGreaterThan(listCallsBefore));
  });

  it("selects every ticket on the page at once, and none again", async () => {
    const { user } = await openQueue();
    const all = screen.getByRole("checkbox", { name: "Select all tickets on this page" });

    await user.click(all);

    for (const ticket of TICKETS) expect(rowCheckbox(ticket.title)).toBeChecked();
    expect(screen.getByRole("region", { name: "Bulk actions" })).toHaveTextContent("4 tickets selected");

    fakeApi.once("POST", BULK, { updated: 4, ticket_ids: TICKETS.map((ticket) => ticket.id) });
    const bar = screen.getByRole("region", { name: "Bulk actions" });
    await user.selectOptions(within(bar).getByLabelText("Agent"), "agent-bob");
    await user.click(within(bar).getByRole("button", { name: "Apply to 4 tickets" }));
    await waitFor(() => expect(fakeApi.calls("POST", BULK)).toHaveLength(1));
    expect(fakeApi.calls("POST", BULK)[0]!.body).toEqual({
      ticket_ids: ["t-1", "t-2", "t-3", "t-4"],
      action: "assign",
      value: "agent-bob",
    });
    expect(await screen.findByText("4 tickets assigned to Bob Agent.")).toBeInTheDocument();
    expect(all).not.toBeChecked();
  });

  it("selects a range with shift-click", async () => {
    const { user } = await openQueue();

    await user.click(rowCheckbox("Refund missing"));
    await user.keyboard("{Shift>}");
    await user.click(rowCheckbox("Cleaner was late"));
    await user.keyboard("{/Shift}");

    expect(rowCheckbox("Refund missing")).toBeChecked();
    expect(rowCheckbox("Cannot log in")).toBeChecked();
    expect(rowCheckbox("Cleaner was late")).toBeChecked();
    expect(rowCheckbox("Invoice address wrong")).not.toBeChecked();
  });

  it("shows the server's all-or-nothing refusal with ticket titles, and keeps the selection", async () => {
    const { user } = await openQueue();
    await user.click(rowCheckbox("Refund missing"));
    await user.click(rowCheckbox("Cannot log in"));
    fakeApi.once(
      "POST",
      BULK,
      apiError(400, "validation_error", "Ticket t-2: No active staff member has this id. Nothing was changed.", {
        agent_id: ["No active staff member has this id."],
      }),
    );

    const bar = screen.getByRole("region", { name: "Bulk actions" });
    await user.selectOptions(within(bar).getByLabelText("Action"), "add_tag");
    await user.click(within(bar).getByRole("button", { name: "Apply to 2 tickets" }));
    expect(within(bar).getByRole("alert")).toHaveTextContent("Type a tag.");
    expect(fakeApi.calls("POST", BULK)).toHaveLength(0);

    await user.type(within(bar).getByLabelText("Tag"), "  refund ");
    await user.click(within(bar).getByRole("button", { name: "Apply to 2 tickets" }));

    const alert = await within(bar).findByRole("alert");
    expect(alert).toHaveTextContent("Nothing was changed.");
    expect(alert).toHaveTextContent("Ticket “Cannot log in”: No active staff member has this id.");
    expect(fakeApi.calls("POST", BULK)[0]!.body).toEqual({ ticket_ids: ["t-1", "t-2"], action: "add_tag", value: "refund" });
    expect(rowCheckbox("Refund missing")).toBeChecked();
    expect(rowCheckbox("Cannot log in")).toBeChecked();
    expect(bar).toHaveTextContent("2 tickets selected");
  });

  it("unassigns with a null value, and clears the selection on request", async () => {
    const { user } = await openQueue();
    await user.click(rowCheckbox("Invoice address wrong"));
    const bar = screen.getByRole("region", { name: "Bulk actions" });
    fakeApi.once("POST", BULK, { updated: 1, ticket_ids: ["t-4"] });

    await user.selectOptions(within(bar).getByLabelText("Agent"), "Nobody (unassign)");
    await user.click(within(bar).getByRole("button", { name: "Apply to 1 ticket" }));

    await waitFor(() => expect(fakeApi.calls("POST", BULK)).toHaveLength(1));
    expect(fakeApi.calls("POST", BULK)[0]!.body).toEqual({ ticket_ids: ["t-4"], action: "assign", value: null });

    await user.click(rowCheckbox("Cannot log in"));
    await user.click(screen.getByRole("button", { name: "Clear selection" }));
    expect(rowCheckbox("Cannot log in")).not.toBeChecked();
  });

  it("forgets the selection when the page or filters change", async () => {
    const { user } = await openQueue();
    await user.click(rowCheckbox("Refund missing"));

    await user.selectOptions(screen.getByLabelText("Priority"), "urgent");

    await waitFor(() => expect(lastListQuery()).toMatchObject({ priority: "urgent" }));
    await waitFor(() => expect(screen.queryByRole("region", { name: "Bulk actions" })).not.toBeInTheDocument());
    expect(rowCheckbox("Refund missing")).not.toBeChecked();
  });

  it("moves with j / k and selects with x from the keyboard", async () => {
    const { user } = await openQueue();

    await user.keyboard("j");
    expect(screen.getByRole("link", { name: "Refund missing" })).toHaveFocus();
    await user.keyboard("jx");
    expect(screen.getByRole("link", { name: "Cannot log in" })).toHaveFocus();
    expect(rowCheckbox("Cannot log in")).toBeChecked();
    await user.keyboard("k");
    expect(screen.getByRole("link", { name: "Refund missing" })).toHaveFocus();
    await user.keyboard("/");
    expect(screen.getByLabelText("Search")).toHaveFocus();
  });
});

describe("queue: views, filters and sorting", () => {
  it("lets each title and snippet set its own direction, for right-to-left languages", async () => {
    await openQueue("/queue", [aTicketListItem({ id: "t-9", title: "הכרטיס לא הגיע", last_message_snippet: "שילמתי פעמיים" })]);
    expect(screen.getByRole("link", { name: "הכרטיס לא הגיע" })).toHaveAttribute("dir", "auto");
    expect(screen.getByText("שילמתי פעמיים")).toHaveAttribute("dir", "auto");
  });

  it("shows each ticket's #number by its title, and searches by #number", async () => {
    const { user, router } = await openQueue("/queue", [aTicketListItem({ id: "t-7", number: 1042, title: "Refund missing" })]);
    const row = screen.getByRole("link", { name: "Refund missing" }).closest("tr")!;
    expect(within(row).getByText("#1042")).toHaveClass("ticket-number");

    const search = screen.getByLabelText("Search");
    expect(search).toHaveAttribute("placeholder", expect.stringContaining("#number"));
    // Enter applies it at once (and the tag box, applied with it, must not undo it).
    await user.type(search, "#1042{Enter}");
    await waitFor(() => expect(lastListQuery()).toMatchObject({ search: "#1042" }));
    expect(new URLSearchParams(router.state.location.search).get("search")).toBe("#1042");
  });

  it("sends quick views, filters and sort order to the API and keeps them in the URL", async () => {
    const { user, router } = await openQueue();
    expect(lastListQuery()).toEqual({ ordering: "-created_at", page_size: "25" });

    await user.click(screen.getByRole("link", { name: "Unassigned" }));
    await waitFor(() =>
      expect(lastListQuery()).toEqual({
        assigned_agent: "none",
        status: "open,in_progress",
        ordering: "-created_at",
        page_size: "25",
      }),
    );
    expect(screen.getByRole("link", { name: "Unassigned" })).toHaveAttribute("aria-current", "page");

    await user.click(screen.getByRole("button", { name: "Priority" }));
    await waitFor(() => expect(lastListQuery()).toMatchObject({ ordering: "-priority" }));
    expect(screen.getByRole("columnheader", { name: /Priority/ })).toHaveAttribute("aria-sort", "descending");

    await user.selectOptions(screen.getByLabelText("Assignee"), "agent-bob");
    await user.type(screen.getByLabelText("Tag"), "VIP{Enter}");
    await waitFor(() => expect(lastListQuery()).toMatchObject({ assigned_agent: "agent-bob", tag: "vip" }));
    expect(screen.getByRole("link", { name: "Unassigned" })).not.toHaveAttribute("aria-current");
    expect(new URLSearchParams(router.state.location.search).get("tag")).toBe("vip");

    await user.click(screen.getByRole("link", { name: "Mine" }));
    await waitFor(() =>
      expect(lastListQuery()).toEqual({
        assigned_agent: "me",
        status: "open,in_progress",
        ordering: "-priority",
        page_size: "25",
      }),
    );
  });

  it("shows an estimated count as approximate", async () => {
    signInAs(anAgentUser());
    fakeApi.on("GET", "/api/support/agents/", AGENTS);
    fakeApi.on(
      "GET",
      LIST,
      aPage(TICKETS, { count: 1_000_212, count_exact: false, next: "/api/support/tickets/?page=2" }),
    );

    renderApp("/queue");
    await screen.findByRole("table");
    expect(screen.getByText("Page 1 of about 40,009 · about 1,000,212 tickets")).toBeInTheDocument();
  });

  it("opens from a shared link with its filters, and pages through", async () => {
    const user = userEvent.setup();
    signInAs(anAgentUser());
    fakeApi.on("GET", "/api/support/agents/", AGENTS);
    fakeApi.on("GET", LIST, aPage(TICKETS, { count: 120, next: "/api/support/tickets/?page=2" }));

    renderApp("/queue?escalated=true&category=billing&page_size=50");
    await screen.findByRole("table");
    expect(lastListQuery()).toEqual({ escalated: "true", category: "billing", ordering: "-created_at", page_size: "50" });
    expect(screen.getByLabelText("Escalation")).toHaveValue("true");
    expect(screen.getByText(/Page 1 of 3 · 120 tickets/)).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Next" }));
    await waitFor(() => expect(lastListQuery()).toMatchObject({ page: "2", page_size: "50" }));
  });

  it("says when nothing matches", async () => {
    const user = userEvent.setup();
    signInAs(anAgentUser());
    fakeApi.on("GET", "/api/support/agents/", AGENTS);
    fakeApi.on("GET", LIST, aPage([]));

    renderApp("/queue?priority=urgent");

    expect(await screen.findByText("No tickets match these filters.")).toBeInTheDocument();
    await user.click(screen.getAllByRole("button", { name: "Clear filters" })[0]!);
    expect(await screen.findByText("There are no tickets yet.")).toBeInTheDocument();
  });

  it("sends staff from / and /tickets to the queue", async () => {
    signInAs(anAgentUser());
    fakeApi.on("GET", "/api/support/agents/", AGENTS);
    fakeApi.on("GET", LIST, aPage(TICKETS));

    const { router } = renderApp("/tickets?status=open");

    expect(await screen.findByRole("heading", { level: 1, name: "Queue" })).toBeInTheDocument();
    expect(router.state.location.pathname + router.state.location.search).toBe("/queue?status=open");
  });

  it("shows customers a refusal at staff addresses", async () => {
    signInAs(aUser());

    renderApp("/queue");

    expect(await screen.findByRole("heading", { level: 1, name: "This page is for support staff" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Go to your tickets" })).toHaveAttribute("href", "/tickets");
    expect(fakeApi.calls("GET", LIST)).toHaveLength(0);
    expect(screen.queryByRole("navigation", { name: "Staff workspace" })).not.toBeInTheDocument();
  });
});
