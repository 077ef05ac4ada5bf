/** A ticket history entry as a sentence: "Alice Agent changed priority from medium to high". */
import { formatClock, humanize } from "@/lib/format";
import { SLA_TARGET_LABELS } from "@/features/staff/lib/sla";
import type { SlaPolicyRef, TicketEvent } from "@/features/staff/types";

const lower = (value: string | null | undefined) => (value ? humanize(value).toLowerCase() : "none");
const quoted = (value: string | null | undefined) => `“${value ?? ""}”`;

function list(values: string[]): string {
  if (values.length <= 1) return values.join("");
  return `${values.slice(0, -1).join(", ")} and ${values[values.length - 1]}`;
}

function tagChanges(before: string[], after: string[]): string {
  const added = after.filter((tag) => !before.includes(tag));
  const removed = before.filter((tag) => !after.includes(tag));
  const parts: string[] = [];
  if (added.length) parts.push(`added the ${added.length === 1 ? "tag" : "tags"} ${list(added)}`);
  if (removed.length) parts.push(`removed the ${removed.length === 1 ? "tag" : "tags"} ${list(removed)}`);
  return parts.length ? parts.join(" and ") : "changed the tags";
}

function policyChange(before: SlaPolicyRef | null, after: SlaPolicyRef | null): string {
  if (after && before) return `SLA policy changed from ${before.name} to ${after.name}`;
  if (after) return `SLA policy ${after.name} applied`;
  if (before) return `SLA policy ${before.name} no longer applies`;
  return "SLA policy changed";
}

const targetLabel = (target: string) => SLA_TARGET_LABELS[target as keyof typeof SLA_TARGET_LABELS] ?? humanize(target);

/**
 * The actor's name (or "Someone" for a deleted account) and what they did. Service-level
 * entries are the system's doing and name no one: "First response met (due 10:30)".
 */
export function historySentence(event: TicketEvent, now: number = Date.now()): string {
  const who = event.actor?.name ?? "Someone";
  switch (event.kind) {
    case "created":
      return `${who} opened the ticket${event.new_value ? ` with ${lower(event.new_value.priority)} priority` : ""}`;
    case "status_changed":
      return `${who} changed status from ${lower(event.old_value)} to ${lower(event.new_value)}`;
    case "priority_changed":
      return `${who} changed priority from ${lower(event.old_value)} to ${lower(event.new_value)}`;
    case "category_changed":
      return `${who} changed category from ${lower(event.old_value)} to ${lower(event.new_value)}`;
    case "title_changed":
      return `${who} renamed the ticket from ${quoted(event.old_value)} to ${quoted(event.new_value)}`;
    case "assigned": {
      const to = event.new_value;
      const from = event.old_value;
      if (!to) return from ? `${who} unassigned ${from.name}` : `${who} unassigned the ticket`;
      const target = event.actor && to.id === event.actor.id ? "themself" : to.name;
      return from ? `${who} reassigned the ticket from ${from.name} to ${target}` : `${who} assigned the ticket to ${target}`;
    }
    case "escalated": {
      const before = event.old_value?.priority;
      const after = event.new_value?.priority;
      const raised = before && after && before !== after ? ` and raised priority from ${lower(before)} to ${lower(after)}` : "";
      return `${who} escalated the ticket${raised}`;
    }
    case "tags_changed":
      return `${who} ${tagChanges(event.old_value ?? [], event.new_value ?? [])}`;
    case "sla_policy":
      return policyChange(event.old_value, event.new_value);
    case "sla_met": {
      const value = event.new_value;
      if (!value) return "SLA target met";
      return `${targetLabel(value.target)} met (due ${formatClock(value.due_at, now)})`;
    }
    case "sla_missed": {
      const value = event.new_value;
      if (!value) return "SLA target missed";
      const late = value.met_at ? `, met ${formatClock(value.met_at, now)}` : "";
      return `${targetLabel(value.target)} missed (due ${formatClock(value.due_at, now)}${late})`;
    }
    default:
      return `${who} changed the ticket`;
  }
}
