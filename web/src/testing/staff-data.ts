/** Builders for the staff workspace's API shapes, used by the unit tests. */
import type { Agent, CannedResponse, Customer, Metrics, TicketEvent } from "@/features/staff/types";
import type { User } from "@/lib/types";
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
    status_counts: { open: 2, in_progress: 1, resolved: 2, closed: 1 },
    backlog: { by_status: { open: 5, in_progress: 2 }, by_priority: { low: 1, medium: 3, high: 2, urgent: 1 } },
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
