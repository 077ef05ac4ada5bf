/** Moving one policy to a new place, as the server does: the others shift, positions stay 1…n. */
import type { SlaPolicy } from "@/features/sla-admin/types";

export function moveTo(policies: SlaPolicy[], id: string, position: number): SlaPolicy[] {
  const ordered = [...policies].sort((a, b) => a.position - b.position);
  const from = ordered.findIndex((policy) => policy.id === id);
  if (from < 0) return ordered;
  const to = Math.min(Math.max(position, 1), ordered.length) - 1;
  const [moved] = ordered.splice(from, 1);
  ordered.splice(to, 0, moved!);
  return ordered.map((policy, index) => (policy.position === index + 1 ? policy : { ...policy, position: index + 1 }));
}
