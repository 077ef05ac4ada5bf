import { useNow } from "@/components/ui/use-now";
import { formatExact } from "@/lib/format";
import type { Sla } from "@/lib/types";
import { countdown, slaSummary, type SlaTone } from "@/features/staff/lib/sla";

/** A tone's chip; amber and red also say so in words, for those who cannot tell the colours. */
function SlaChip({ tone, text, dueAt, hidden }: { tone: SlaTone; text: string; dueAt: string | null; hidden?: string }) {
  return (
    <span className={`sla-chip sla-${tone}`} title={dueAt ? `Due ${formatExact(dueAt)}` : undefined}>
      {tone === "at-risk" ? (
        <span className="sla-icon" aria-hidden="true">
          ⚠{" "}
        </span>
      ) : null}
      <span aria-hidden={hidden ? true : undefined}>{text}</span>
      {hidden ? <span className="visually-hidden">{hidden}</span> : null}
      {tone === "at-risk" ? <span className="visually-hidden"> (at risk)</span> : null}
    </span>
  );
}

/** The ticket's next SLA deadline as a live countdown: "1h 20m left", "20m overdue", "Paused". */
export function SlaCountdown({ sla }: { sla: Sla | null | undefined }) {
  const now = useNow();
  const summary = slaSummary(sla, now);
  const hidden = summary.text === "—" ? (sla ? "Nothing due" : "No SLA") : undefined;
  return <SlaChip tone={summary.tone} text={summary.text} dueAt={summary.dueAt} hidden={hidden} />;
}

/** A countdown to one deadline of a ticket known to be at risk (the dashboard's list); red when
 * a target of the ticket was already missed. */
export function DueCountdown({ dueAt, breached = false }: { dueAt: string | null; breached?: boolean }) {
  const now = useNow();
  if (!dueAt) return <SlaChip tone="none" text="—" dueAt={null} hidden="No due time" />;
  const left = countdown(dueAt, now);
  return <SlaChip tone={left.overdue || breached ? "breached" : "at-risk"} text={left.text} dueAt={dueAt} />;
}
