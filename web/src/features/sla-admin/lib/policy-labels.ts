/** The words for a policy's conditions and targets, shared by its form and its summary. */
import { humanize } from "@/lib/format";
import { CATEGORIES, PRIORITIES } from "@/lib/types";
import type { PolicyConditions, PolicyTargets, TargetName } from "@/features/sla-admin/types";
import { formatMinutes } from "./minutes";

export type ConditionGroup = keyof PolicyConditions;

export const CONDITION_GROUPS: { name: ConditionGroup; label: string; values: readonly string[] }[] = [
  { name: "priority", label: "Priority", values: PRIORITIES },
  { name: "category", label: "Category", values: CATEGORIES },
  { name: "customer_role", label: "Customer role", values: ["customer", "provider"] },
  { name: "source", label: "Source", values: ["web", "mobile", "email", "phone"] },
];

export const TARGETS: { name: TargetName; label: string; hint: string }[] = [
  { name: "first_response", label: "First response", hint: "From creation to the first public staff reply." },
  {
    name: "next_response",
    label: "Next response",
    hint: "From a customer’s message, after their first response, to the next public staff reply.",
  },
  { name: "resolution", label: "Resolution", hint: "From creation to resolved or closed." },
];

/** "Priority: Urgent, High · Category: Billing", or "Every ticket" when nothing narrows it. */
export function conditionsSummary(conditions: PolicyConditions): string {
  const parts = CONDITION_GROUPS.flatMap(({ name, label }) => {
    const values = conditions[name] ?? [];
    return values.length ? [`${label}: ${values.map(humanize).join(", ")}`] : [];
  });
  return parts.length ? parts.join(" · ") : "Every ticket";
}

/** "First response 30m · Resolution 8h". */
export function targetsSummary(targets: Partial<PolicyTargets>): string {
  const parts = TARGETS.flatMap(({ name, label }) => {
    const minutes = targets[name];
    return typeof minutes === "number" ? [`${label} ${formatMinutes(minutes)}`] : [];
  });
  return parts.length ? parts.join(" · ") : "No targets";
}
