import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { apiError, fakeApi, json } from "@/testing/fake-api";
import { renderApp, signInAs } from "@/testing/render";
import { anAgentUser, someMetrics, someSlaMetrics } from "@/testing/staff-data";
import { lastDays } from "@/features/staff/hooks/use-date-range";

// The dashboard asks for days in the viewer's time zone.
const BROWSER_TZ = Intl.DateTimeFormat().resolvedOptions().timeZone;

const METRICS = "/api/support/metrics/";

function figure(label: string): HTMLElement {
  return screen.getByText(label, { selector: "dt" }).parentElement!;
}

describe("dashboard", () => {
  it("shows the figures in human units and the charts for the range in the URL", async () => {
    signInAs(anAgentUser());
    fakeApi.on("GET", METRICS, someMetrics());

    renderApp("/dashboard?from=2026-03-01&to=2026-03-03");

    expect(await screen.findByText("Tickets created", { selector: "dt" })).toBeInTheDocument();
    expect(Object.fromEntries(fakeApi.calls("GET", METRICS)[0]!.query)).toEqual({ from: "2026-03-01", to: "2026-03-03", tz: BROWSER_TZ });
    expect(figure("Tickets created")).toHaveTextContent("6");
    expect(figure("Resolution rate")).toHaveTextContent("50%3 of 6 resolved or closed");
    expect(figure("First response (median)")).toHaveTextContent("2 h 5 minMean 2 h 30 min · 4 answered");
    expect(figure("Resolution time (median)")).toHaveTextContent("1 d 1 hMean 1 d 4 h · 3 resolved");
    expect(figure("Open backlog")).toHaveTextContent("75 open · 2 in progress");
    expect(screen.getByRole("img", { name: /Tickets created per day: busiest day Mar 2 with 4/ })).toBeInTheDocument();
    const priorities = within(screen.getByRole("list", { name: "Open tickets by priority" })).getAllByRole("listitem");
    expect(priorities.map((item) => item.textContent)).toEqual(["Urgent1", "High2", "Medium3", "Low1"]);
    const agents = screen.getByRole("row", { name: /Alice Agent/ });
    expect(agents).toHaveTextContent("32" + "30 min");
    // Scrolls sideways on a phone: a named region the keyboard can reach.
    const scroller = screen.getByRole("region", { name: /Agents’ open tickets/ });
    expect(scroller).toHaveAttribute("tabindex", "0");
    expect(within(scroller).getByRole("table")).toContainElement(agents);
  });

  it("asks for another range, refuses a backwards one, and shows the server's refusal", async () => {
    const user = userEvent.setup();
    signInAs(anAgentUser());
    fakeApi.on("GET", METRICS, (request) =>
      request.query.get("from") === "2025-01-01"
        ? apiError(400, "validation_error", "Choose at most 366 days.", { to: ["Choose at most 366 days."] })
        : json(someMetrics()),
    );

    renderApp("/dashboard");
    await screen.findByText("Tickets created", { selector: "dt" });
    const { from, to } = lastDays(30);
    expect(Object.fromEntries(fakeApi.calls("GET", METRICS)[0]!.query)).toEqual({ from, to, tz: BROWSER_TZ });
    expect(screen.getByRole("button", { name: "Last 30 days" })).toHaveAttribute("aria-pressed", "true");

    await user.click(screen.getByRole("button", { name: "Last 7 days" }));
    await waitFor(() => expect(fakeApi.calls("GET", METRICS).at(-1)!.query.get("from")).toBe(lastDays(7).from));

    const fromInput = screen.getByLabelText("From");
    const toInput = screen.getByLabelText("To");
    await user.clear(fromInput);
    await user.type(fromInput, "2026-03-10");
    await user.clear(toInput);
    await user.type(toInput, "2026-03-01");
    const calls = fakeApi.calls("GET", METRICS).length;
    await user.click(screen.getByRole("button", { name: "Show" }));
    expect(screen.getByRole("alert")).toHaveTextContent("The first day must be on or before the last day.");
    expect(fakeApi.calls("GET", METRICS)).toHaveLength(calls);

    await user.clear(toInput);
    await user.type(toInput, "2025-12-31");
    await user.clear(fromInput);
    await user.type(fromInput, "2025-01-01");
    await user.click(screen.getByRole("button", { name: "Show" }));
    expect(await screen.findByText("The figures could not be loaded.")).toBeInTheDocument();
    expect(screen.getByText("Choose at most 366 days.")).toBeInTheDocument();
  });

  it("shows a loading state, then an empty period", async () => {
    signInAs(anAgentUser());
    let release!: () => void;
    fakeApi.once(
      "GET",
      METRICS,
      () =>
        new Promise<Response>((resolve) => {
          release = () =>
            resolve(
              json(
                someMetrics({
                  tickets_created: 0,
                  created_per_day: [{ date: "2026-03-01", count: 0 }],
                  status_counts: { open: 0, in_progress: 0, resolved: 0, closed: 0 },
                  first_response: { count: 0, median_seconds: null, mean_seconds: null },
                  resolution: { count: 0, median_seconds: null, mean_seconds: null },
                  resolution_rate: null,
                }),
              ),
            );
        }),
    );

    renderApp("/dashboard?from=2026-03-01&to=2026-03-01");

    expect(await screen.findByText("Loading the figures…")).toBeInTheDocument();
    release();
    expect(await screen.findByText("No tickets were created in this period.")).toBeInTheDocument();
    expect(figure("Resolution rate")).toHaveTextContent("—No tickets in this period");
    expect(figure("First response (median)")).toHaveTextContent("—No replies yet");
  });
});

describe("dashboard: pending and service levels", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("counts pending tickets in the backlog and in the period's statuses", async () => {
    signInAs(anAgentUser());
    fakeApi.on(
      "GET",
      METRICS,
      someMetrics({
        status_counts: { open: 2, in_progress: 1, pending: 2, resolved: 1, closed: 0 },
        backlog: { by_status: { open: 5, in_progress: 2, pending: 3 }, by_priority: { low: 1, medium: 5, high: 3, urgent: 1 } },
      }),
    );

    renderApp("/dashboard?from=2026-03-01&to=2026-03-03");

    expect(await screen.findByText("Open backlog", { selector: "dt" })).toBeInTheDocument();
    expect(figure("Open backlog")).toHaveTextContent("105 open · 2 in progress · 3 pending");
    const statuses = within(screen.getByRole("list", { name: "Tickets created in this period by status" })).getAllByRole("listitem");
    expect(statuses.map((item) => item.textContent)).toEqual(["Open2", "In progress1", "Pending2", "Resolved1", "Closed0"]);
  });

  it("shows SLA attainment per target, priority and agent, and links the tickets at risk now", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(2026, 11, 7, 10, 0));
    signInAs(anAgentUser());
    fakeApi.on("GET", METRICS, someMetrics({ sla: someSlaMetrics() }));

    renderApp("/dashboard?from=2026-12-01&to=2026-12-07");

    const section = await screen.findByRole("region", { name: "SLA attainment" });
    expect(within(section).getByText("At risk now", { selector: "dt" }).parentElement).toHaveTextContent("4");
    expect(within(section).getByText("Breached and still open", { selector: "dt" }).parentElement).toHaveTextContent("2");

    const targets = within(within(section).getByRole("region", { name: "SLA targets met and breached in this period" })).getByRole("table");
    expect(within(targets).getByRole("row", { name: /First response/ })).toHaveTextContent("First response40393%");
    expect(within(targets).getByRole("row", { name: /Next response/ })).toHaveTextContent("Next response12192.3%");
    expect(within(targets).getByRole("row", { name: /Resolution/ })).toHaveTextContent("Resolution00—");

    const priorities = within(within(section).getByRole("region", { name: "SLA attainment by priority" })).getAllByRole("row");
    expect(priorities.slice(1).map((row) => row.textContent)).toEqual(["Urgent12192.3%", "High15288.2%", "Medium20195.2%", "Low50100%"]);
    const agents = within(section).getByRole("region", { name: "SLA attainment by agent" });
    expect(within(agents).getByRole("row", { name: /Alice Agent/ })).toHaveTextContent("Alice Agent12192.3%");

    const atRisk = within(section).getByRole("list", { name: "At risk now" });
    const [late, soon] = within(atRisk).getAllByRole("listitem");
    expect(within(late!).getByRole("link", { name: "Refund still missing" })).toHaveAttribute("href", "/tickets/ticket-late");
    expect(late).toHaveTextContent("#1050 Refund still missing20m overdueBob Agent");
    expect(late!.querySelector(".sla-chip")).toHaveClass("sla-breached");
    expect(within(soon!).getByRole("link", { name: "Cannot log in" })).toHaveAttribute("href", "/tickets/ticket-soon");
    expect(soon).toHaveTextContent("#1051 Cannot log in⚠ 7m left (at risk)Unassigned");
    expect(soon!.querySelector(".sla-chip")).toHaveClass("sla-at-risk");
  });

  it("says when nothing is at risk or decided, and shows no SLA section from a server without one", async () => {
    signInAs(anAgentUser());
    fakeApi.once(
      "GET",
      METRICS,
      someMetrics({ sla: someSlaMetrics({ targets: {}, by_priority: {}, by_agent: [], at_risk: [], at_risk_count: 0, breached_open_count: 0 }) }),
    );
    const { unmount } = renderApp("/dashboard?from=2026-03-01&to=2026-03-03");
    const section = await screen.findByRole("region", { name: "SLA attainment" });
    expect(section).toHaveTextContent("No SLA targets were decided in this period.");
    expect(section).toHaveTextContent("No open ticket is at risk right now.");
    expect(within(section).queryByRole("table")).not.toBeInTheDocument();
    unmount();

    fakeApi.once("GET", METRICS, someMetrics());
    renderApp("/dashboard?from=2026-03-01&to=2026-03-03");
    expect(await screen.findByText("Tickets created", { selector: "dt" })).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "SLA attainment" })).not.toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Agents" })).toBeInTheDocument();
  });
});
