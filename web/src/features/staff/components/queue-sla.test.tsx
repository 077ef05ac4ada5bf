import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { TicketListItem } from "@/lib/types";
import { aPage, aTicketListItem } from "@/testing/data";
import { fakeApi, json } from "@/testing/fake-api";
import { FakeWebSocket } from "@/testing/fake-websocket";
import { renderApp, signInAs } from "@/testing/render";
import { AGENTS, anAgentUser, anSla } from "@/testing/staff-data";

const LIST = "/api/support/tickets/";
const BULK = "/api/support/tickets/bulk/";

// A fixed local morning: every countdown below is measured from it.
const NOW = new Date(2026, 11, 7, 10, 0, 0).getTime();
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

afterEach(() => {
  vi.useRealTimers();
});

function fixClock(options: { ticking?: boolean } = {}) {
  vi.useFakeTimers({ toFake: options.ticking ? ["Date", "setInterval", "clearInterval"] : ["Date"] });
  vi.setSystemTime(NOW);
}

function tickets(): TicketListItem[] {
  return [
    aTicketListItem({ id: "t-ok", title: "Plenty of time", sla: anSla({ next_breach_at: at(80.5), at_risk_at: at(60) }) }),
    aTicketListItem({ id: "t-risk", title: "Almost due", sla: anSla({ next_breach_at: at(7.5), at_risk_at: at(-1) }) }),
    aTicketListItem({ id: "t-over", title: "Past due", sla: anSla({ next_breach_at: at(-20.5), at_risk_at: at(-28) }) }),
    aTicketListItem({
      id: "t-missed",
      title: "Missed first response",
      sla: anSla({ breached: ["first_response"], next_breach_at: at(300), at_risk_at: at(240) }),
    }),
    aTicketListItem({
      id: "t-paused",
      title: "Waiting on the customer",
      status: "pending",
      sla: anSla({ paused: true, next_breach_at: null, at_risk_at: null }),
    }),
    aTicketListItem({ id: "t-none", title: "No policy", sla: null }),
    aTicketListItem({ id: "t-idle", title: "Nothing due", sla: anSla({ next_breach_at: null, at_risk_at: null }) }),
  ];
}

function lastListQuery(): Record<string, string> {
  const calls = fakeApi.calls("GET", LIST);
  return Object.fromEntries(calls[calls.length - 1]!.query);
}

async function openQueue(path = "/queue", list: TicketListItem[] = tickets()) {
  const user = userEvent.setup();
  signInAs(anAgentUser());
  fakeApi.on("GET", "/api/support/agents/", AGENTS);
  fakeApi.on("GET", LIST, () => json(aPage(list)));
  const rendered = renderApp(path);
  await screen.findByRole("table");
  return { user, ...rendered };
}

/** The SLA cell of a ticket's row. */
function slaCell(title: string): HTMLElement {
  const row = screen.getByRole("link", { name: title }).closest("tr")!;
  const headers = screen.getAllByRole("columnheader");
  const column = headers.findIndex((header) => header.textContent?.startsWith("SLA"));
  expect(column).toBeGreaterThan(-1);
  return row.querySelectorAll("td")[column] as HTMLElement;
}

const chip = (cell: HTMLElement) => cell.querySelector(".sla-chip")!;

describe("queue: SLA countdown", () => {
  it("shows each ticket's next deadline: time left, amber at risk, red overdue or breached, paused, or none", async () => {
    fixClock();
    await openQueue();

    expect(screen.getByRole("columnheader", { name: /SLA/ })).toBeInTheDocument();
    expect(slaCell("Plenty of time")).toHaveTextContent("1h 20m left");
    expect(chip(slaCell("Plenty of time"))).toHaveClass("sla-ok");
    expect(chip(slaCell("Plenty of time"))).toHaveAttribute("title", expect.stringMatching(/^Due /));

    expect(slaCell("Almost due")).toHaveTextContent("7m left (at risk)");
    expect(chip(slaCell("Almost due"))).toHaveClass("sla-at-risk");

    expect(slaCell("Past due")).toHaveTextContent("20m overdue");
    expect(chip(slaCell("Past due"))).toHaveClass("sla-breached");

    expect(slaCell("Missed first response")).toHaveTextContent("Breached");
    expect(chip(slaCell("Missed first response"))).toHaveClass("sla-breached");

    expect(slaCell("Waiting on the customer")).toHaveTextContent("Paused");
    expect(chip(slaCell("Waiting on the customer"))).toHaveClass("sla-paused");
    const pendingRow = screen.getByRole("link", { name: "Waiting on the customer" }).closest("tr")!;
    expect(within(pendingRow).getByText("Pending")).toHaveClass("badge-status-pending");

    expect(slaCell("No policy")).toHaveTextContent("—No SLA");
    expect(slaCell("Nothing due")).toHaveTextContent("—Nothing due");
    expect(chip(slaCell("Nothing due"))).toHaveClass("sla-none");
  });

  it("counts down as time passes, turning amber at the at-risk time and red at the due time", async () => {
    fixClock({ ticking: true });
    await openQueue("/queue", [
      aTicketListItem({ id: "t-ok", title: "Plenty of time", sla: anSla({ next_breach_at: at(80.5), at_risk_at: at(60) }) }),
    ]);
    expect(slaCell("Plenty of time")).toHaveTextContent("1h 20m left");

    // The clock moves on by another 30 s as the timers fire.
    vi.setSystemTime(NOW + 61 * 60_000);
    await act(async () => {
      vi.advanceTimersByTime(30_000);
    });
    expect(slaCell("Plenty of time")).toHaveTextContent("19m left (at risk)");
    expect(chip(slaCell("Plenty of time"))).toHaveClass("sla-at-risk");

    vi.setSystemTime(NOW + 100 * 60_000);
    await act(async () => {
      vi.advanceTimersByTime(30_000);
    });
    expect(slaCell("Plenty of time")).toHaveTextContent("20m overdue");
    expect(chip(slaCell("Plenty of time"))).toHaveClass("sla-breached");
  });

  it("sorts by SLA (soonest breach first) from the column header, and turns it off again", async () => {
    const { user, router } = await openQueue();
    expect(lastListQuery()).toMatchObject({ ordering: "-created_at" });

    await user.click(screen.getByRole("button", { name: "SLA" }));
    await waitFor(() => expect(lastListQuery()).toMatchObject({ ordering: "sla" }));
    expect(screen.getByRole("columnheader", { name: /SLA/ })).toHaveAttribute("aria-sort", "ascending");
    expect(new URLSearchParams(router.state.location.search).get("ordering")).toBe("sla");

    // Off again: back to the default order (its page is still in the cache).
    await user.click(screen.getByRole("button", { name: "SLA" }));
    await waitFor(() => expect(screen.getByRole("columnheader", { name: /SLA/ })).not.toHaveAttribute("aria-sort"));
    expect(new URLSearchParams(router.state.location.search).get("ordering")).toBeNull();
    expect(screen.getByRole("columnheader", { name: /Created/ })).toHaveAttribute("aria-sort", "descending");

    // The server has no reversed SLA order, so a link asking for one gets the default.
    await act(async () => {
      await router.navigate("/queue?ordering=-sla&priority=urgent");
    });
    await waitFor(() => expect(lastListQuery()).toEqual({ priority: "urgent", ordering: "-created_at", page_size: "25" }));
  });

  it("follows a live ticket.sla event in the row at once", async () => {
    fixClock();
    await openQueue();
    fakeApi.on("GET", "/api/notifications/unread-count/", { unread: 0 });
    await act(async () => {
      FakeWebSocket.latest.open("agent-alice");
    });
    expect(slaCell("Plenty of time")).toHaveTextContent("1h 20m left");

    await act(async () => {
      FakeWebSocket.latest.emit({
        type: "ticket.sla",
        ticket: "t-ok",
        sla: anSla({ breached: ["first_response"], next_breach_at: at(300), at_risk_at: at(240) }),
      });
    });
    await waitFor(() => expect(slaCell("Plenty of time")).toHaveTextContent("Breached"));
    expect(chip(slaCell("Plenty of time"))).toHaveClass("sla-breached");
  });

});

describe("queue: pending and SLA views", () => {
  it("has Pending, At risk and Breached quick views sending the status and sla filters", async () => {
    const { user } = await openQueue();

    await user.click(screen.getByRole("link", { name: "Pending" }));
    await waitFor(() => expect(lastListQuery()).toEqual({ status: "pending", ordering: "-created_at", page_size: "25" }));
    expect(screen.getByRole("link", { name: "Pending" })).toHaveAttribute("aria-current", "page");
    expect(screen.getByLabelText("Status")).toHaveValue("pending");

    await user.click(screen.getByRole("link", { name: "At risk" }));
    await waitFor(() =>
      expect(lastListQuery()).toEqual({ sla: "at_risk", status: "open,in_progress", ordering: "-created_at", page_size: "25" }),
    );
    expect(screen.getByRole("link", { name: "At risk" })).toHaveAttribute("aria-current", "page");
    expect(screen.getByLabelText("SLA")).toHaveValue("at_risk");

    await user.click(screen.getByRole("button", { name: "SLA" }));
    await waitFor(() => expect(lastListQuery()).toMatchObject({ ordering: "sla" }));

    // The chosen sort stays with the next view.
    await user.click(screen.getByRole("link", { name: "Breached" }));
    await waitFor(() =>
      expect(lastListQuery()).toEqual({ sla: "breached", status: "open,in_progress,pending", ordering: "sla", page_size: "25" }),
    );
    expect(screen.getByRole("link", { name: "Breached" })).toHaveAttribute("aria-current", "page");
    expect(screen.getByLabelText("Status")).toHaveDisplayValue("Open, in progress or pending");
  });

  it("filters by SLA state and by the pending status from the filters", async () => {
    const { user, router } = await openQueue();

    await user.selectOptions(screen.getByLabelText("SLA"), "No SLA");
    await waitFor(() => expect(lastListQuery()).toMatchObject({ sla: "none" }));
    await user.selectOptions(screen.getByLabelText("Status"), "Pending");
    await waitFor(() => expect(lastListQuery()).toMatchObject({ sla: "none", status: "pending" }));

    await user.click(screen.getAllByRole("button", { name: "Clear filters" })[0]!);
    await waitFor(() => expect(router.state.location.search).toBe(""));
    expect(screen.getByLabelText("SLA")).toHaveValue("");
  });

  it("sets tickets to pending in bulk", async () => {
    const { user } = await openQueue();
    await user.click(screen.getByRole("checkbox", { name: "Select “Plenty of time”" }));
    const bar = screen.getByRole("region", { name: "Bulk actions" });
    fakeApi.once("POST", BULK, { updated: 1, ticket_ids: ["t-ok"] });

    await user.selectOptions(within(bar).getByLabelText("Action"), "set_status");
    expect(within(within(bar).getByLabelText("Status")).getAllByRole("option").map((option) => option.textContent)).toEqual([
      "Choose a status",
      "Open",
      "In progress",
      "Pending",
      "Resolved",
      "Closed",
    ]);
    await user.selectOptions(within(bar).getByLabelText("Status"), "Pending");
    await user.click(within(bar).getByRole("button", { name: "Apply to 1 ticket" }));

    await waitFor(() => expect(fakeApi.calls("POST", BULK)).toHaveLength(1));
    expect(fakeApi.calls("POST", BULK)[0]!.body).toEqual({ ticket_ids: ["t-ok"], action: "set_status", value: "pending" });
    expect(await screen.findByText("1 ticket set to pending.")).toBeInTheDocument();
  });
});

describe("queue: SLA on a phone", () => {
  function phone() {
    vi.stubGlobal("matchMedia", (query: string) => ({
      matches: query.includes("max-width"),
      media: query,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    }));
  }

  it("shows the countdown on each card and sorts by SLA from the picker", async () => {
    fixClock();
    const user = userEvent.setup();
    signInAs(anAgentUser());
    fakeApi.on("GET", "/api/support/agents/", AGENTS);
    fakeApi.on("GET", LIST, () => json(aPage(tickets())));
    phone();
    const { router } = renderApp("/queue");

    const cards = await screen.findByRole("list", { name: "Tickets" });
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
    const card = (title: string) => within(cards).getByRole("link", { name: title }).closest("li")!;
    expect(card("Almost due")).toHaveTextContent("SLA ⚠ 7m left (at risk)");
    expect(card("Almost due").querySelector(".sla-chip")).toHaveClass("sla-at-risk");
    expect(card("Past due")).toHaveTextContent("SLA 20m overdue");
    expect(card("Waiting on the customer")).toHaveTextContent("SLA Paused");

    await user.selectOptions(screen.getByLabelText("Sort by"), "SLA due");
    await waitFor(() => expect(lastListQuery()).toMatchObject({ ordering: "sla" }));
    expect(new URLSearchParams(router.state.location.search).get("ordering")).toBe("sla");
    // One way only: no direction to flip.
    expect(screen.queryByRole("button", { name: /Ascending|Descending/ })).not.toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText("Sort by"), "Updated");
    await waitFor(() => expect(lastListQuery()).toMatchObject({ ordering: "-updated_at" }));
    expect(screen.getByRole("button", { name: "Descending" })).toBeInTheDocument();
  });
});
