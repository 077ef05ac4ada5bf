/** Builders for the staff workspace's API shapes, used by the unit tests. */
import type { Agent, CannedResponse, Customer, Metrics, SlaMetrics, TicketEvent } from "@/features/staff/types";
import type { Sla, SlaTarget, User } from "@/lib/types";
import { aUser } from "./data";

export function anAgentUser(overrides: Partial<User> = {}): User {
  return aUser({
    id: "agent-alice",
    email: "alice.agent@example.com",
    first_name: "Alice",
    last_name: "Agent",
    name: "Alice Agent",
    role: "agent",
    is_staff: true,
    ...overrides,
  });
}

export function anAgent(overrides: Partial<Agent> = {}): Agent {
  return {
    id: "agent-alice",
    email: "alice.agent@example.com",
    name: "Alice Agent",
    role: "agent",
    open_tickets: 3,
    ...overrides,
  };
}

export const AGENTS: Agent[] = [
  anAgent(),
  anAgent({ id: "agent-bob", email: "bob.agent@example.com", name: "Bob Agent", open_tickets: 1 }),
];

export function aCannedResponse(overrides: Partial<CannedResponse> = {}): CannedResponse {
  return {
    id: "canned-1",
    title: "Refund on its way",
    body: "Hi {{customer_first_name}}, your refund is on its way.",
    shared: true,
    owner: { id: "agent-bob", name: "Bob Agent" },
    can_edit: false,
    created_at: "2026-02-01T10:00:00Z",
    updated_at: "2026-02-01T10:00:00Z",
    ...overrides,
  };
}

export function anEvent(overrides: Partial<TicketEvent> & Pick<TicketEvent, "kind">): TicketEvent {
  return {
    id: `event-${Math.random().toString(36).slice(2)}`,
    actor: { id: "agent-alice", name: "Alice Agent", is_staff: true },
    old_value: null,
    new_value: null,
    note: "",
    created_at: new Date(Date.now() - 180_000).toISOString(),
    ...overrides,
  } as TicketEvent;
}

export function someMetrics(overrides: Partial<Metrics> = {}): Metrics {
  return {
    from: "2026-03-01",
    to: "2026-03-03",
    tickets_created: 6,
    created_per_day: [
      { date: "2026-03-01", count: 1 },
      { date: "2026-03-02", count: 4 },
      { date: "2026-03-03", count: 1 },
    ],
    status_counts: { open: 2, in_progress: 1, pending: 0, resolved: 2, closed: 1 },
    backlog: { by_status: { open: 5, in_progress: 2, pending: 0 }, by_priority: { low: 1, medium: 3, high: 2, urgent: 1 } },
    first_response: { count: 4, median_seconds: 7500, mean_seconds: 9000 },
    resolution: { count: 3, median_seconds: 90_000, mean_seconds: 100_800 },
    resolution_rate: 0.5,
    agents: [
      {
        id: "agent-alice",
        name: "Alice Agent",
        email: "alice.agent@example.com",
        open_load: 3,
        resolved_count: 2,
        median_first_response_seconds: 1800,
      },
    ],
    ...overrides,
  };
}

export function aCustomer(overrides: Partial<Customer> = {}): Customer {
  return {
    id: "user-carol",
    email: "carol@example.com",
    name: "Carol Customer",
    role: "customer",
    ticket_count: 3,
    ...overrides,
  };
}

const inMinutes = (minutes: number, from: number = Date.now()) => new Date(from + minutes * 60_000).toISOString();

/** One target of a policy; a running first response due in 30 minutes unless told otherwise. */
export function anSlaTarget(overrides: Partial<SlaTarget> = {}): SlaTarget {
  return {
    name: "first_response",
    minutes: 30,
    state: "running",
    due_at: inMinutes(30),
    at_risk_at: inMinutes(22.5),
    met_at: null,
    remaining_minutes: 30,
    ...overrides,
  };
}

/**
 * A ticket's service level as docs/sla.md shows it: "Urgent billing", the first response due in
 * 30 minutes, no customer message waiting for a next response, resolution due in 8 hours.
 */
export function anSla(overrides: Partial<Sla> = {}): Sla {
  const firstDue = inMinutes(30);
  const firstRisk = inMinutes(22.5);
  const resolutionDue = inMinutes(480);
  return {
    policy: { id: "policy-urgent-billing", name: "Urgent billing" },
    first_response_due_at: firstDue,
    next_response_due_at: null,
    resolution_due_at: resolutionDue,
    next_breach_at: firstDue,
    at_risk_at: firstRisk,
    breached: [],
    paused: false,
    targets: [
      anSlaTarget({ due_at: firstDue, at_risk_at: firstRisk }),
      anSlaTarget({ name: "next_response", minutes: 60, state: "idle", due_at: null, at_risk_at: null, remaining_minutes: 60 }),
      anSlaTarget({ name: "resolution", minutes: 480, due_at: resolutionDue, at_risk_at: inMinutes(360), remaining_minutes: 480 }),
    ],
    ...overrides,
  };
}

/** The dashboard's service-level section. */
export function someSlaMetrics(overrides: Partial<SlaMetrics> = {}): SlaMetrics {
  return {
    targets: {
      first_response: { met: 40, breached: 3, percentage: 93.0 },
      next_response: { met: 12, breached: 1, percentage: 92.3 },
      resolution: { met: 0, breached: 0, percentage: null },
    },
    by_priority: {
      low: { met: 5, breached: 0, percentage: 100.0 },
      medium: { met: 20, breached: 1, percentage: 95.2 },
      high: { met: 15, breached: 2, percentage: 88.2 },
      urgent: { met: 12, breached: 1, percentage: 92.3 },
    },
    by_agent: [{ id: "agent-alice", name: "Alice Agent", met: 12, breached: 1, percentage: 92.3 }],
    at_risk_count: 4,
    breached_open_count: 2,
    at_risk: [
      {
        id: "ticket-late",
        number: 1050,
        title: "Refund still missing",
        next_breach_at: inMinutes(-20),
        breached: true,
        assigned_agent: { id: "agent-bob", email: "bob.agent@example.com", name: "Bob Agent" },
      },
      { id: "ticket-soon", number: 1051, title: "Cannot log in", next_breach_at: inMinutes(7.5), breached: false, assigned_agent: null },
    ],
    ...overrides,
  };
}
