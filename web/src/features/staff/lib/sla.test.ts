import { describe, expect, it } from "vitest";
import { anSla, anSlaTarget } from "@/testing/staff-data";
import { orderedTargets, slaSummary, targetView } from "./sla";

// A fixed local morning: deadlines read as wall-clock times of the same day.
const NOW = new Date(2026, 11, 7, 10, 0, 0).getTime();
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

describe("the queue's SLA summary", () => {
  it.each([
    ["no policy", null, { tone: "none", text: "—" }],
    ["time to spare", anSla({ next_breach_at: at(80.5), at_risk_at: at(60) }), { tone: "ok", text: "1h 20m left" }],
    ["under a quarter left", anSla({ next_breach_at: at(7), at_risk_at: at(-1) }), { tone: "at-risk", text: "7m left" }],
    ["past the due time before the server says so", anSla({ next_breach_at: at(-20), at_risk_at: at(-27) }), { tone: "breached", text: "20m overdue" }],
    ["a target missed", anSla({ breached: ["first_response"], next_breach_at: at(180), at_risk_at: at(120) }), { tone: "breached", text: "Breached" }],
    ["paused", anSla({ paused: true, next_breach_at: null, at_risk_at: null }), { tone: "paused", text: "Paused" }],
    ["nothing due", anSla({ next_breach_at: null, at_risk_at: null }), { tone: "none", text: "—" }],
    ["days away", anSla({ next_breach_at: at(3 * 1440 + 4 * 60 + 30), at_risk_at: at(3 * 1440) }), { tone: "ok", text: "3d 4h left" }],
  ])("%s", (_, sla, expected) => {
    expect(slaSummary(sla, NOW)).toMatchObject(expected);
  });
});

describe("an SLA target's state", () => {
  it("counts a running target down to its due time, amber once at risk, red once overdue", () => {
    const target = anSlaTarget({ due_at: at(30), at_risk_at: at(22.5) });
    expect(targetView(target, NOW)).toMatchObject({
      label: "First response",
      tone: "ok",
      state: "Running",
      due: { at: at(30), clock: "10:30", countdown: "30m left" },
    });
    expect(targetView(target, NOW + 25 * 60_000)).toMatchObject({ tone: "at-risk", state: "At risk", due: { countdown: "5m left" } });
    expect(targetView(target, NOW + 50 * 60_000)).toMatchObject({ tone: "breached", state: "Overdue", due: { countdown: "20m overdue" } });
  });

  it("says when it was met, missed, paused or waiting for the customer", () => {
    expect(targetView(anSlaTarget({ state: "met", due_at: null, met_at: at(12) }), NOW)).toMatchObject({ tone: "ok", state: "Met 10:12", due: null });
    expect(targetView(anSlaTarget({ state: "breached", due_at: at(30) }), NOW)).toMatchObject({
      tone: "breached",
      state: "Missed — due 10:30",
    });
    expect(targetView(anSlaTarget({ state: "breached", due_at: at(30), met_at: at(45) }), NOW).state).toBe("Missed — due 10:30, met 10:45");
    expect(targetView(anSlaTarget({ name: "resolution", state: "paused", due_at: null, remaining_minutes: 85 }), NOW)).toMatchObject({
      label: "Resolution",
      tone: "paused",
      state: "Paused",
      due: { at: null, countdown: "1h 25m left" },
    });
    expect(targetView(anSlaTarget({ name: "next_response", state: "idle", due_at: null }), NOW)).toMatchObject({
      label: "Next response",
      state: "Waiting for a customer message",
      due: null,
    });
  });

  it("names a deadline on another day with its date", () => {
    const tomorrow = new Date(2026, 11, 8, 9, 5).toISOString();
    expect(targetView(anSlaTarget({ due_at: tomorrow, at_risk_at: tomorrow }), NOW).due?.clock).toBe("Dec 8, 09:05");
  });

  it("lists the targets in the order they come due", () => {
    const sla = anSla();
    const shuffled = { ...sla, targets: [sla.targets[2]!, sla.targets[0]!, sla.targets[1]!] };
    expect(orderedTargets(shuffled).map((target) => target.name)).toEqual(["first_response", "next_response", "resolution"]);
  });
});
