import { useNow } from "@/components/ui/use-now";
import { formatExact, statusLabel } from "@/lib/format";
import type { Sla, TicketStatus } from "@/lib/types";
import { orderedTargets, targetView } from "@/features/staff/lib/sla";

/**
 * The ticket's service level: its policy and, for each target, the deadline counting down, or
 * whether it was met or missed. Nothing at all from a server that sends no `sla`.
 */
export function SlaPanel({ sla, status }: { sla: Sla | null | undefined; status: TicketStatus }) {
  const now = useNow();
  if (sla === undefined) return null;
  return (
    <section className="side-section sla-panel" aria-labelledby="sla-heading">
      <h2 id="sla-heading" className="side-heading">
        SLA
      </h2>
      {sla === null ? (
        <p className="muted">No SLA policy applies.</p>
      ) : (
        <>
          <p className="sla-policy">
            Policy: <strong>{sla.policy.name}</strong>
          </p>
          {sla.paused ? <p className="sla-paused-note">Paused while {statusLabel(status).toLowerCase()}</p> : null}
          <ul className="sla-targets" aria-label="SLA targets">
            {orderedTargets(sla).map((target) => {
              const view = targetView(target, now);
              return (
                <li key={target.name} className={`sla-target sla-${view.tone}`} data-sla-target={target.name}>
                  <span className="sla-target-name">{view.label}</span>
                  <span className="sla-target-state">{view.state}</span>
                  {view.due ? (
                    <span className="sla-target-due">
                      {view.due.at ? (
                        <>
                          Due{" "}
                          <time dateTime={view.due.at} title={formatExact(view.due.at)}>
                            {view.due.clock}
                          </time>
                          {" · "}
                        </>
                      ) : null}
                      {view.due.countdown}
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
