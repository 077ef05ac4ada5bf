import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { aPage, aTicketListItem } from "@/testing/data";
import { apiError, fakeApi, json } from "@/testing/fake-api";
import { renderApp, signInAs } from "@/testing/render";

const LIST = "/api/support/tickets/";

function lastListQuery(): Record<string, string> {
  const calls = fakeApi.calls("GET", LIST);
  return Object.fromEntries(calls[calls.length - 1]!.query);
}

describe("ticket list", () => {
  it("shows each ticket with its snippet, badges and unread marker", async () => {
    signInAs();
    fakeApi.on(
      "GET",
      LIST,
      aPage([
        aTicketListItem({ title: "Charged twice", unread_count: 2, last_message_snippet: "We refunded one charge" }),
        aTicketListItem({ title: "Change my address", status: "resolved", priority: "low", unread_count: 0 }),
      ]),
    );

    renderApp("/tickets");

    const list = await screen.findByRole("list", { name: "Tickets" });
    const items = within(list).getAllByRole("listitem");
    expect(items).toHaveLength(2);
    expect(within(items[0]!).getByRole("link", { name: "Charged twice" })).toHaveAttribute(
      "href",
      expect.stringMatching(/^\/tickets\/ticket-/),
    );
    // Titles and snippets in Arabic, Hebrew or Urdu read right to left.
    expect(within(items[0]!).getByRole("link", { name: "Charged twice" })).toHaveAttribute("dir", "auto");
    expect(within(items[0]!).getByText("We refunded one charge")).toHaveAttribute("dir", "auto");
    expect(items[0]).toHaveTextContent("We refunded one charge");
    expect(items[0]).toHaveTextContent("2 new unread messages");
    expect(items[1]).not.toHaveTextContent(/unread/);
    expect(items[1]).toHaveTextContent("Status: Resolved");
    expect(items[1]).toHaveTextContent(/Priority: Low/);
    expect(items[1]).toHaveTextContent(/Updated 10 minutes ago/);
  });

  it("shows a pending ticket to its customer as waiting for their reply, and filters by it", async () => {
    const user = userEvent.setup();
    signInAs();
    fakeApi.on("GET", LIST, aPage([aTicketListItem({ title: "Charged twice", status: "pending" })]));

    renderApp("/tickets");

    const list = await screen.findByRole("list", { name: "Tickets" });
    const [item] = within(list).getAllByRole("listitem");
    expect(item).toHaveTextContent("Status: Waiting for your reply");
    expect(item).not.toHaveTextContent("Pending");
    expect(within(item!).getByText("Waiting for your reply")).toHaveClass("badge-status-pending");

    await user.selectOptions(screen.getByLabelText("Status"), "Waiting for your reply");
    await waitFor(() => expect(lastListQuery()).toMatchObject({ status: "pending" }));
    expect(screen.queryByRole("option", { name: "Pending" })).not.toBeInTheDocument();
  });

  it("names each ticket by its #number next to its title", async () => {
    signInAs();
    fakeApi.on("GET", LIST, aPage([aTicketListItem({ number: 1042, title: "Charged twice" }), aTicketListItem({ number: 7 })]));

    renderApp("/tickets");

    const items = within(await screen.findByRole("list", { name: "Tickets" })).getAllByRole("listitem");
    const title = within(items[0]!).getByRole("heading", { level: 3 });
    expect(title).toHaveTextContent(/^#1042 Charged twice$/);
    expect(within(title).getByText("#1042")).toHaveClass("ticket-number");
    // The link stays the title, so the number is read once, before it.
    expect(within(title).getByRole("link")).toHaveAccessibleName("Charged twice");
    expect(items[1]).toHaveTextContent("#7");
  });

  it("finds a ticket by #number through the search box", async () => {
    const user = userEvent.setup();
    signInAs();
    fakeApi.on("GET", LIST, aPage([aTicketListItem({ number: 1042 })]));

    const { router } = renderApp("/tickets");
    await screen.findByRole("list", { name: "Tickets" });
    const search = screen.getByLabelText("Search");
    expect(search).toHaveAttribute("placeholder", expect.stringContaining("#number"));
    expect(search).toHaveAccessibleDescription(/#1042/);

    await user.type(search, "#1042{Enter}");

    await waitFor(() => expect(lastListQuery()).toEqual({ search: "#1042", page_size: "10" }));
    expect(new URLSearchParams(router.state.location.search).get("search")).toBe("#1042");
  });

  it("sends the chosen filters to the API, keeps them in the URL, and starts again at page 1", async () => {
    const user = userEvent.setup();
    signInAs();
    fakeApi.on("GET", LIST, (request) =>
      json(
        aPage([aTicketListItem({ title: `Result for ${request.query.toString() || "all"}` })], {
          count: 25,
          next: "/api/support/tickets/?page=3",
        }),
      ),
    );

    const { router } = renderApp("/tickets?page=2");
    await screen.findByRole("list", { name: "Tickets" });
    expect(lastListQuery()).toEqual({ page: "2", page_size: "10" });

    await user.selectOptions(screen.getByLabelText("Status"), "open");
    await waitFor(() => expect(lastListQuery()).toEqual({ status: "open", page_size: "10" }));

    await user.selectOptions(screen.getByLabelText("Priority"), "urgent");
    await user.selectOptions(screen.getByLabelText("Category"), "billing");
    await waitFor(() =>
      expect(lastListQuery()).toEqual({ status: "open", priority: "urgent", category: "billing", page_size: "10" }),
    );
    expect(router.state.location.search).toBe("?status=open&priority=urgent&category=billing");

    await user.type(screen.getByLabelText("Search"), "refund");
    await waitFor(() => expect(lastListQuery()).toMatchObject({ search: "refund", status: "open" }));
    expect(await screen.findByText(/Result for .*search=refund/)).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Next" }));
    await waitFor(() => expect(lastListQuery()).toMatchObject({ page: "2", search: "refund" }));
    expect(screen.getByText(/Page 2 of 3/)).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Clear filters" }));
    await waitFor(() => expect(lastListQuery()).toEqual({ page_size: "10" }));
    expect(screen.getByLabelText("Search")).toHaveValue("");
    expect(screen.getByLabelText("Status")).toHaveValue("");
  });

  it("reads its filters from the URL (deep links and reloads)", async () => {
    signInAs();
    fakeApi.on("GET", LIST, aPage([aTicketListItem()]));

    renderApp("/tickets?status=closed&search=invoice");

    await screen.findByRole("list", { name: "Tickets" });
    expect(lastListQuery()).toEqual({ status: "closed", search: "invoice", page_size: "10" });
    expect(screen.getByLabelText("Status")).toHaveValue("closed");
    expect(screen.getByLabelText("Search")).toHaveValue("invoice");
  });

  it("shows an empty state, and a different one when filters match nothing", async () => {
    const user = userEvent.setup();
    signInAs();
    fakeApi.on("GET", LIST, aPage([]));

    renderApp("/tickets");

    expect(await screen.findByText("You have no tickets yet.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Open your first ticket" })).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText("Status"), "closed");
    expect(await screen.findByText("No tickets match these filters.")).toBeInTheDocument();
  });

  it("shows skeletons while loading, then an error with a retry that works", async () => {
    const user = userEvent.setup();
    signInAs();
    let release!: () => void;
    fakeApi.once(
      "GET",
      LIST,
      () =>
        new Promise<Response>((resolve) => {
          release = () => resolve(apiError(503, "server_error", "The service is busy."));
        }),
    );
    fakeApi.once("GET", LIST, aPage([aTicketListItem({ title: "Back again" })]));

    renderApp("/tickets");

    expect(await screen.findByText("Loading tickets…")).toBeInTheDocument();
    release();
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Your tickets could not be loaded.");
    expect(alert).toHaveTextContent("The service is busy.");

    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("link", { name: "Back again" })).toBeInTheDocument();
  });
});
