/** Shapes of the staff workspace API (agents, customers, canned responses, bulk actions, history, metrics). */
import type { SlaTargetName, TicketPriority, TicketStatus, UserBrief } from "@/lib/types";

export interface Agent {
  id: string;
  email: string;
  name: string;
  role: "agent" | "admin";
  open_tickets: number;
}

/** A customer-side account, as the staff customer lookup returns it. */
export interface Customer {
  id: string;
  email: string;
  name: string;
  role: "customer" | "provider";
  ticket_count: number;
}

export interface CannedResponse {
  id: string;
  title: string;
  body: string;
  shared: boolean;
  owner: { id: string; name: string };
  can_edit: boolean;
  created_at: string;
  updated_at: string;
}

export interface CannedResponseInput {
  title: string;
  body: string;
  shared: boolean;
}

export const PLACEHOLDERS = [
  "customer_first_name",
  "customer_name",
  "ticket_title",
  "agent_name",
  "agent_first_name",
] as const;

export type BulkAction = "assign" | "set_status" | "set_priority" | "add_tag" | "remove_tag";

export interface BulkInput {
  ticket_ids: string[];
  action: BulkAction;
  value: string | null;
}

export interface BulkResult {
  updated: number;
  ticket_ids: string[];
}

export interface PersonRef {
  id: string;
  name: string;
}

interface EventBase {
  id: string;
  actor: { id: string; name: string; is_staff: boolean } | null;
  note: string;
  created_at: string;
}

/** One entry of a ticket's history; old and new values depend on the kind. */
export type TicketEvent = EventBase &
  (
    | { kind: "created"; old_value: null; new_value: { status: TicketStatus; priority: TicketPriority } | null }
    | {
        kind: "status_changed" | "priority_changed" | "category_changed" | "title_changed";
        old_value: string | null;
        new_value: string | null;
      }
    | { kind: "assigned"; old_value: PersonRef | null; new_value: PersonRef | null }
    | {
        kind: "escalated";
        old_value: { escalated: boolean; priority: TicketPriority } | null;
        new_value: { escalated: boolean; priority: TicketPriority } | null;
      }
    | { kind: "tags_changed"; old_value: string[] | null; new_value: string[] | null }
    /** A policy applied or changed (the note says why: "Priority changed"); null is no policy. */
    | { kind: "sla_policy"; old_value: SlaPolicyRef | null; new_value: SlaPolicyRef | null }
    | { kind: "sla_met"; old_value: null; new_value: { target: SlaTargetName; due_at: string; met_at: string } | null }
    /** `met_at` is added when a late reply or resolution meets the target afterwards. */
    | {
        kind: "sla_missed";
        old_value: null;
        new_value: { target: SlaTargetName; due_at: string; met_at?: string | null } | null;
      }
  );

export interface SlaPolicyRef {
  id: string;
  name: string;
}

export interface DurationSummary {
  count: number;
  median_seconds: number | null;
  mean_seconds: number | null;
}

export interface AgentMetrics {
  id: string;
  name: string;
  email: string;
  open_load: number;
  resolved_count: number;
  median_first_response_seconds: number | null;
}

/** Targets decided in a period: met, or missed at their due time; percentage null when none were. */
export interface SlaAttainment {
  met: number;
  breached: number;
  percentage: number | null;
}

/** A ticket at risk or breached now, soonest breach first. */
export interface SlaAtRiskTicket {
  id: string;
  number: number;
  title: string;
  next_breach_at: string | null;
  /** A target of the ticket was already missed. */
  breached: boolean;
  assigned_agent: UserBrief | null;
}

/** The dashboard's service-level figures (docs/sla.md "Dashboard"). */
export interface SlaMetrics {
  targets: Partial<Record<SlaTargetName, SlaAttainment>>;
  by_priority: Partial<Record<TicketPriority, SlaAttainment>>;
  by_agent: (SlaAttainment & { id: string; name: string })[];
  at_risk_count: number;
  breached_open_count: number;
  /** At most 20. */
  at_risk: SlaAtRiskTicket[];
}

export interface Metrics {
  from: string;
  to: string;
  tickets_created: number;
  created_per_day: { date: string; count: number }[];
  /** `pending` comes with the service-level release; older servers leave it out. */
  status_counts: Record<Exclude<TicketStatus, "pending">, number> & { pending?: number };
  backlog: {
    by_status: { open: number; in_progress: number; pending?: number };
    by_priority: Record<TicketPriority, number>;
  };
  first_response: DurationSummary;
  resolution: DurationSummary;
  resolution_rate: number | null;
  agents: AgentMetrics[];
  /** Absent from servers without service levels. */
  sla?: SlaMetrics;
}

/** The queue's filters, named as the ticket list API names them (and as the URL shows them). */
export interface QueueFilters {
  status?: string;
  priority?: string;
  category?: string;
  assigned_agent?: string;
  escalated?: string;
  /** `breached`, `at_risk`, `ok` or `none`, comma-separated. */
  sla?: string;
  tag?: string;
  customer?: string;
  search?: string;
  ordering?: string;
  page?: number;
  page_size?: number;
}

/** Sent along when the queue opens a ticket, so "← Queue" returns to the same filtered list. */
export interface FromQueueState {
  queueSearch?: string;
}
