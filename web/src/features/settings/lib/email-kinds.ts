/** Words for the email kinds the preferences endpoint knows (customers' and staff's). */
import { humanize } from "@/lib/format";

const KINDS: Record<string, { label: string; hint: string }> = {
  ticket_created: {
    label: "Ticket confirmations",
    hint: "An email when you open a ticket, confirming we received it.",
  },
  staff_reply: {
    label: "Replies from support",
    hint: "An email when our support team answers one of your tickets.",
  },
  ticket_resolved: {
    label: "Resolved tickets",
    hint: "An email when we resolve one of your tickets, with the way to reopen it.",
  },
  customer_reply: {
    label: "Customer replies",
    hint: "An email when a customer replies on a ticket assigned to you (or on an unassigned one).",
  },
  ticket_assigned: {
    label: "Assignments",
    hint: "An email when a ticket is assigned to you.",
  },
  ticket_escalated: {
    label: "Escalations",
    hint: "An email when a ticket you handle (or, for admins, any ticket) is escalated.",
  },
  sla_warning: {
    label: "SLA at risk",
    hint: "An email when a ticket assigned to you (or an unassigned one) has a quarter of its SLA time left.",
  },
  sla_breached: {
    label: "SLA breached",
    hint: "An email when a ticket assigned to you (or an unassigned one; for admins, any ticket) misses its SLA.",
  },
};

export function emailKindLabel(kind: string): { label: string; hint?: string } {
  return KINDS[kind] ?? { label: humanize(kind) };
}
