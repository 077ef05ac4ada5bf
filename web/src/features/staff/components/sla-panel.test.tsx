import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Sla, TicketDetail } from "@/lib/types";
import { aPage, aTicket } from "@/testing/data";
import { fakeApi, json } from "@/testing/fake-api";
import { FakeWebSocket } from "@/testing/fake-websocket";
import { renderApp, signInAs } from "@/testing/render";
import { AGENTS, anAgentUser, anEvent, anSla, anSlaTarget } from "@/testing/staff-data";

const DETAIL = "/api/support/tickets/ticket-1/";
const HISTORY = "/api/support/tickets/ticket-1/history/";
const ALICE = anAgentUser();

// A fixed local morning: due times read as times of this day.
const NOW = new Date(2026, 11, 7, 10, 0, 0).getTime();
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

let stored: TicketDetail;

afterEach(() => {
  vi.useRealTimers();
});

/** The docs' example, seen at 10:00: first response due 10:30, resolution due 18:00. */
function running(): Sla {
  return anSla({
    first_response_due_at: at(30),
    resolution_due_at: at(480),
    next_breach_at: at(30),
    at_risk_at: at(22.5),
    targets: [
      anSlaTarget({ name: "first_response", due_at: at(30), at_risk_at: at(22.5) }),
      anSlaTarget({ name: "next_response", minutes: 60, state: "idle", due_at: null, at_risk_at: null, remaining_minutes: 60 }),
      anSlaTarget({ name: "resolution", minutes: 480, due_at: at(480), at_risk_at: at(360), remaining_minutes: 480 }),
    ],
  });
}

async function openAsStaff(ticket: TicketDetail, history = [anEvent({ kind: "priority_changed", old_value: "medium", new_value: "high" })]) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
  const user = userEvent.setup();
  signInAs(ALICE);
  stored = ticket;
  fakeApi.on("GET", DETAIL, () => json(stored));
  fakeApi.on("GET", HISTORY, history);
  fakeApi.on("GET", "/api/support/agents/", AGENTS);
  fakeApi.on("GET", "/api/support/tickets/", aPage([]));
  fakeApi.on("GET", "/api/notifications/unread-count/", { unread: 0 });
  const rendered = renderApp("/tickets/ticket-1");
  await screen.findByRole("log", { name: "Conversation" });
  return { user, ...rendered };
}

const panel = () => screen.getByRole("region", { name: "SLA" });
const target = (name: string) => panel().querySelector<HTMLElement>(`[data-sla-target="${name}"]`)!;

describe("ticket view: SLA panel", () => {
  it("shows the policy, then each target's due time with a countdown, or that it waits for the customer", async () => {
    await openAsStaff(aTicket({ sla: running() }));

    expect(panel()).toHaveTextContent("Policy: Urgent billing");
    expect(within(panel()).getByRole("list", { name: "SLA targets" }).children).toHaveLength(3);
    expect(target("first_response")).toHaveTextContent("First responseRunningDue 10:30 · 30m left");
    expect(within(target("first_response")).getByText("10:30")).toHaveAttribute("dateTime", at(30));
    expect(target("first_response")).toHaveClass("sla-ok");
    expect(target("next_response")).toHaveTextContent("Next responseWaiting for a customer message");
    expect(target("resolution")).toHaveTextContent("ResolutionRunningDue 18:00 · 8h left");
    expect(panel()).not.toHaveTextContent("Paused");
  });

  it("marks a target at risk in amber, met with its time, and missed in red", async () => {
    await openAsStaff(
      aTicket({
        sla: anSla({
          breached: ["next_response"],
          targets: [
            anSlaTarget({ name: "first_response", state: "met", due_at: null, at_risk_at: null, met_at: at(-48) }),
            anSlaTarget({ name: "next_response", minutes: 60, state: "breached", due_at: at(-30), at_risk_at: at(-45) }),
            anSlaTarget({ name: "resolution", minutes: 480, due_at: at(10), at_risk_at: at(-20), remaining_minutes: 10 }),
          ],
        }),
      }),
    );

    expect(target("first_response")).toHaveTextContent("First responseMet 09:12");
    expect(target("next_response")).toHaveTextContent("Next responseMissed — due 09:30");
    expect(target("next_response")).toHaveClass("sla-breached");
    expect(target("resolution")).toHaveTextContent("ResolutionAt riskDue 10:10 · 10m left");
    expect(target("resolution")).toHaveClass("sla-at-risk");
  });

  it("says the clocks are paused while pending, after staff set the ticket pending", async () => {
    const { user } = await openAsStaff(aTicket({ sla: running() }));
    const options = within(screen.getByLabelText("Status")).getAllByRole("option").map((option) => option.textContent);
    expect(options).toEqual(["Open", "In progress", "Pending", "Resolved", "Closed"]);

    const paused = anSla({
      paused: true,
      first_response_due_at: null,
      resolution_due_at: null,
      next_breach_at: null,
      at_risk_at: null,
      targets: [
        anSlaTarget({ name: "first_response", state: "paused", due_at: null, at_risk_at: null, remaining_minutes: 25 }),
        anSlaTarget({ name: "resolution", minutes: 480, state: "paused", due_at: null, at_risk_at: null, remaining_minutes: 475 }),
      ],
    });
    fakeApi.once("PATCH", DETAIL, () => {
      stored = { ...stored, status: "pending", sla: paused };
      return json(stored);
    });
    await user.selectOptions(screen.getByLabelText("Status"), "Pending");

    expect(await screen.findByText("Status set to pending.")).toBeInTheDocument();
    expect(fakeApi.calls("PATCH", DETAIL)[0]!.body).toEqual({ status: "pending" });
    await waitFor(() => expect(panel()).toHaveTextContent("Paused while pending"));
    expect(target("first_response")).toHaveTextContent("First responsePaused25m left");
    expect(target("resolution")).toHaveTextContent("ResolutionPaused7h 55m left");
    expect(target("first_response")).toHaveClass("sla-paused");
    const header = screen.getByRole("heading", { level: 1 }).closest("header")!;
    expect(header).toHaveTextContent("Status: Pending");
  });

  it("says when no policy applies, and shows no panel when the server sends no SLA at all", async () => {
    const { unmount } = await openAsStaff(aTicket({ sla: null }));
    expect(panel()).toHaveTextContent("No SLA policy applies.");
    expect(within(panel()).queryByRole("list")).not.toBeInTheDocument();
    unmount();

    await openAsStaff(aTicket());
    expect(screen.queryByRole("region", { name: "SLA" })).not.toBeInTheDocument();
  });

  it("follows the live ticket.sla event", async () => {
    await openAsStaff(aTicket({ sla: running() }));
    await act(async () => {
      FakeWebSocket.latest.open(ALICE.id);
    });
    expect(target("first_response")).toHaveTextContent("Running");

    const breached = anSla({
      breached: ["first_response"],
      next_breach_at: at(480),
      at_risk_at: at(360),
      targets: [
        anSlaTarget({ name: "first_response", state: "breached", due_at: at(-5), at_risk_at: at(-12.5) }),
        anSlaTarget({ name: "resolution", minutes: 480, due_at: at(480), at_risk_at: at(360) }),
      ],
    });
    await act(async () => {
      FakeWebSocket.latest.emit({ type: "ticket.sla", ticket: "ticket-1", sla: breached });
    });
    await waitFor(() => expect(target("first_response")).toHaveTextContent("Missed — due 09:55"));
    expect(target("first_response")).toHaveClass("sla-breached");

    await act(async () => {
      FakeWebSocket.latest.emit({ type: "ticket.sla", ticket: "ticket-1", sla: null });
    });
    await waitFor(() => expect(panel()).toHaveTextContent("No SLA policy applies."));
  });

  it("tells the SLA's story in the history", async () => {
    await openAsStaff(aTicket({ sla: running() }), [
      anEvent({
        kind: "sla_met",
        actor: null,
        new_value: { target: "first_response", due_at: at(30), met_at: at(12) },
      }),
      anEvent({
        kind: "sla_policy",
        actor: null,
        old_value: null,
        new_value: { id: "policy-urgent-billing", name: "Urgent billing" },
        note: "Priority changed",
      }),
    ]);
    const history = screen.getByRole("region", { name: "History" });
    expect(await within(history).findByText(/First response met \(due 10:30\)/)).toBeInTheDocument();
    const applied = within(history).getByText(/SLA policy Urgent billing applied/).closest("li")!;
    expect(applied).toHaveTextContent("Reason: Priority changed");
    expect(applied).toHaveClass("history-sla_policy");
  });
});
