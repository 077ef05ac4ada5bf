import { Link } from "react-router";
import { TicketNumber } from "@/components/ui/ticket-number";
import { humanize } from "@/lib/format";
import { PRIORITIES, type SlaTargetName } from "@/lib/types";
import { formatPercentage } from "@/features/staff/lib/duration";
import { SLA_TARGET_LABELS } from "@/features/staff/lib/sla";
import type { SlaAttainment, SlaMetrics } from "@/features/staff/types";
import { DueCountdown } from "./sla-countdown";

const TARGETS: SlaTargetName[] = ["first_response", "next_response", "resolution"];

function AttainmentTable({
  id,
  caption,
  heading,
  rows,
}: {
  id: string;
  caption: string;
  heading: string;
  rows: { key: string; label: string; value: SlaAttainment }[];
}) {
  return (
    // On a phone the table scrolls sideways: the keyboard can scroll it once it has focus.
    <div className="table-scroll" role="region" aria-labelledby={`${id}-caption`} tabIndex={0}>
      <table className="data-table sla-table">
        <caption id={`${id}-caption`} className="visually-hidden">
          {caption}
        </caption>
        <thead>
          <tr>
            <th scope="col">{heading}</th>
            <th scope="col">Met</th>
            <th scope="col">Breached</th>
            <th scope="col">Attainment</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              <td>{row.value.met}</td>
              <td className={row.value.breached ? "sla-breached-count" : undefined}>{row.value.breached}</td>
              <td>{formatPercentage(row.value.percentage)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Service levels in the period (targets met or missed) and the tickets at risk right now. */
export function SlaAttainmentSection({ sla }: { sla: SlaMetrics }) {
  const targets = TARGETS.flatMap((name) => {
    const value = sla.targets?.[name];
    return value ? [{ key: name, label: SLA_TARGET_LABELS[name], value }] : [];
  });
  const priorities = [...PRIORITIES].reverse().flatMap((priority) => {
    const value = sla.by_priority?.[priority];
    return value ? [{ key: priority, label: humanize(priority), value }] : [];
  });
  const agents = (sla.by_agent ?? []).map((agent) => ({ key: agent.id, label: agent.name, value: agent }));
  const atRisk = sla.at_risk ?? [];

  return (
    <section aria-labelledby="sla-attainment-heading" className="dashboard-section card sla-attainment">
      <h2 id="sla-attainment-heading" className="section-heading">
        SLA attainment
      </h2>
      <p className="muted section-note">Targets decided in this period: met, or missed at their due time.</p>
      <dl className="figures sla-figures">
        <div className="figure">
          <dt>At risk now</dt>
          <dd className="figure-value">{sla.at_risk_count}</dd>
        </div>
        <div className="figure">
          <dt>Breached and still open</dt>
          <dd className="figure-value">{sla.breached_open_count}</dd>
        </div>
      </dl>
      {targets.length ? (
        <AttainmentTable id="sla-targets" caption="SLA targets met and breached in this period" heading="Target" rows={targets} />
      ) : (
        <p className="muted">No SLA targets were decided in this period.</p>
      )}
      <div className="dashboard-columns">
        <div>
          <h3 className="side-subheading">By priority</h3>
          {priorities.length ? (
            <AttainmentTable id="sla-priorities" caption="SLA attainment by priority" heading="Priority" rows={priorities} />
          ) : (
            <p className="muted">Nothing decided yet.</p>
          )}
        </div>
        <div>
          <h3 className="side-subheading">By agent</h3>
          {agents.length ? (
            <AttainmentTable id="sla-agents" caption="SLA attainment by agent" heading="Agent" rows={agents} />
          ) : (
            <p className="muted">Nothing decided yet.</p>
          )}
        </div>
      </div>
      <h3 className="side-subheading" id="sla-at-risk-heading">
        At risk now
      </h3>
      {atRisk.length ? (
        <ul className="sla-at-risk-list" aria-labelledby="sla-at-risk-heading">
          {atRisk.map((ticket) => (
            <li key={ticket.id} className="sla-at-risk-item">
              <span className="sla-at-risk-title">
                <TicketNumber number={ticket.number} />{" "}
                <Link to={`/tickets/${ticket.id}`} dir="auto">
                  {ticket.title}
                </Link>
              </span>
              <DueCountdown dueAt={ticket.next_breach_at} breached={ticket.breached} />
              <span className="muted">{ticket.assigned_agent ? ticket.assigned_agent.name : "Unassigned"}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No open ticket is at risk right now.</p>
      )}
    </section>
  );
}
