import { describe, expect, it } from "vitest";
import type { TicketEvent } from "@/features/staff/types";
import { historySentence } from "./history-sentence";

const alice = { id: "agent-alice", name: "Alice Agent", is_staff: true };
const base = { id: "event-1", actor: alice, note: "", created_at: "2026-03-01T10:00:00Z" };

function event(fields: Record<string, unknown>): TicketEvent {
  return { ...base, ...fields } as TicketEvent;
}

describe("history sentences", () => {
  it.each([
    [
      { kind: "created", actor: { id: "c", name: "Carol Customer", is_staff: false }, old_value: null, new_value: { status: "open", priority: "medium" } },
      "Carol Customer opened the ticket with medium priority",
    ],
    [{ kind: "status_changed", old_value: "open", new_value: "in_progress" }, "Alice Agent changed status from open to in progress"],
    [{ kind: "priority_changed", old_value: "medium", new_value: "high" }, "Alice Agent changed priority from medium to high"],
    [{ kind: "category_changed", old_value: "general", new_value: "billing" }, "Alice Agent changed category from general to billing"],
    [{ kind: "title_changed", old_value: "Help", new_value: "Refund missing" }, "Alice Agent renamed the ticket from “Help” to “Refund missing”"],
    [{ kind: "assigned", old_value: null, new_value: { id: "agent-alice", name: "Alice Agent" } }, "Alice Agent assigned the ticket to themself"],
    [{ kind: "assigned", old_value: null, new_value: { id: "agent-bob", name: "Bob Agent" } }, "Alice Agent assigned the ticket to Bob Agent"],
    [
      { kind: "assigned", old_value: { id: "agent-bob", name: "Bob Agent" }, new_value: { id: "agent-cy", name: "Cy Agent" } },
      "Alice Agent reassigned the ticket from Bob Agent to Cy Agent",
    ],
    [{ kind: "assigned", old_value: { id: "agent-bob", name: "Bob Agent" }, new_value: null }, "Alice Agent unassigned Bob Agent"],
    [
      { kind: "escalated", old_value: { escalated: false, priority: "high" }, new_value: { escalated: true, priority: "urgent" } },
      "Alice Agent escalated the ticket and raised priority from high to urgent",
    ],
    [{ kind: "tags_changed", old_value: ["vip"], new_value: ["vip", "refund", "card"] }, "Alice Agent added the tags refund and card"],
    [{ kind: "tags_changed", old_value: ["vip", "old"], new_value: ["new"] }, "Alice Agent added the tag new and removed the tags vip and old"],
    [{ kind: "status_changed", actor: null, old_value: "resolved", new_value: "open" }, "Someone changed status from resolved to open"],
  ])("%o", (fields, sentence) => {
    expect(historySentence(event(fields))).toBe(sentence);
  });
});

describe("service-level history sentences", () => {
  // A local morning, so due times read as the time of day.
  const now = new Date(2026, 11, 7, 12, 0).getTime();
  const local = (hours: number, minutes: number, day = 7) => new Date(2026, 11, day, hours, minutes).toISOString();
  const urgent = { id: "p-1", name: "Urgent billing" };
  const standard = { id: "p-2", name: "Standard" };

  it.each([
    [{ kind: "sla_policy", actor: null, old_value: null, new_value: urgent }, "SLA policy Urgent billing applied"],
    [{ kind: "sla_policy", old_value: standard, new_value: urgent, note: "Priority changed" }, "SLA policy changed from Standard to Urgent billing"],
    [{ kind: "sla_policy", old_value: urgent, new_value: null }, "SLA policy Urgent billing no longer applies"],
    [
      { kind: "sla_met", actor: null, new_value: { target: "first_response", due_at: local(10, 30), met_at: local(10, 12) } },
      "First response met (due 10:30)",
    ],
    [{ kind: "sla_missed", actor: null, new_value: { target: "resolution", due_at: local(17, 0, 6) } }, "Resolution missed (due Dec 6, 17:00)"],
    [
      { kind: "sla_missed", actor: null, new_value: { target: "next_response", due_at: local(9, 0), met_at: local(9, 40) } },
      "Next response missed (due 09:00, met 09:40)",
    ],
  ])("%o", (fields, sentence) => {
    expect(historySentence(event(fields), now)).toBe(sentence);
  });
});
