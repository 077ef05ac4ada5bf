/**
 * What a ticket's service level means right now, in words and a tone: the queue's countdown,
 * the ticket's SLA panel and the dashboard read it the same way. Times are compared with the
 * viewer's clock, so a countdown moves between the server's evaluations.
 */
import { formatClock } from "@/lib/format";
import type { Sla, SlaTarget, SlaTargetName } from "@/lib/types";
import { formatShortDuration } from "./duration";

/** `ok` running with time to spare, `at-risk` under 25% left, `breached` missed or overdue. */
export type SlaTone = "ok" | "at-risk" | "breached" | "paused" | "none";

export interface SlaSummary {
  tone: SlaTone;
  /** "1h 20m left", "20m overdue", "Breached", "Paused" or "—". */
  text: string;
  /** The deadline the text counts down to, for a tooltip. */
  dueAt: string | null;
}

export const SLA_TARGET_LABELS: Record<SlaTargetName, string> = {
  first_response: "First response",
  next_response: "Next response",
  resolution: "Resolution",
};

const TARGET_ORDER: SlaTargetName[] = ["first_response", "next_response", "resolution"];

const passed = (iso: string | null | undefined, now: number): boolean =>
  Boolean(iso) && new Date(iso!).getTime() <= now;

/** "1h 20m left" before the due time, "20m overdue" after it. */
export function countdown(dueAt: string, now: number): { text: string; overdue: boolean } {
  const left = new Date(dueAt).getTime() - now;
  return left > 0
    ? { text: `${formatShortDuration(left)} left`, overdue: false }
    : { text: `${formatShortDuration(left)} overdue`, overdue: true };
}

/** One line for a ticket in the queue: the next deadline, or why there is none. */
export function slaSummary(sla: Sla | null | undefined, now: number): SlaSummary {
  if (!sla) return { tone: "none", text: "—", dueAt: null };
  const next = sla.paused ? null : sla.next_breach_at;
  if (next && passed(next, now)) return { tone: "breached", text: countdown(next, now).text, dueAt: next };
  if (sla.breached.length > 0) return { tone: "breached", text: "Breached", dueAt: next };
  if (sla.paused) return { tone: "paused", text: "Paused", dueAt: null };
  if (!next) return { tone: "none", text: "—", dueAt: null };
  const tone = passed(sla.at_risk_at, now) ? "at-risk" : "ok";
  return { tone, text: countdown(next, now).text, dueAt: next };
}

export interface TargetView {
  name: SlaTargetName;
  label: string;
  tone: SlaTone;
  /** "Running", "At risk", "Overdue", "Paused", "Waiting for a customer message", "Met 10:12", "Missed — due 10:30". */
  state: string;
  /** A running target's deadline with its countdown, or a paused one's time left. */
  due: { at: string | null; clock: string; countdown: string } | null;
}

/** How one target of the ticket's policy stands. */
export function targetView(target: SlaTarget, now: number): TargetView {
  const base = { name: target.name, label: SLA_TARGET_LABELS[target.name] ?? target.name };
  switch (target.state) {
    case "met":
      return { ...base, tone: "ok", state: target.met_at ? `Met ${formatClock(target.met_at, now)}` : "Met", due: null };
    case "breached": {
      const due = target.due_at ? `Missed — due ${formatClock(target.due_at, now)}` : "Missed";
      const late = target.met_at ? `, met ${formatClock(target.met_at, now)}` : "";
      return { ...base, tone: "breached", state: `${due}${late}`, due: null };
    }
    case "idle":
      return { ...base, tone: "none", state: "Waiting for a customer message", due: null };
    case "paused":
      return {
        ...base,
        tone: "paused",
        state: "Paused",
        due: { at: null, clock: "", countdown: `${formatShortDuration(target.remaining_minutes * 60_000)} left` },
      };
    default: {
      if (!target.due_at) return { ...base, tone: "ok", state: "Running", due: null };
      const left = countdown(target.due_at, now);
      const tone: SlaTone = left.overdue ? "breached" : passed(target.at_risk_at, now) ? "at-risk" : "ok";
      const state = left.overdue ? "Overdue" : tone === "at-risk" ? "At risk" : "Running";
      return { ...base, tone, state, due: { at: target.due_at, clock: formatClock(target.due_at, now), countdown: left.text } };
    }
  }
}

/** The policy's targets in the order they come due: first response, next response, resolution. */
export function orderedTargets(sla: Sla): SlaTarget[] {
  return [...sla.targets].sort((a, b) => TARGET_ORDER.indexOf(a.name) - TARGET_ORDER.indexOf(b.name));
}
