import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { errorMessage } from "@/lib/api-client";
import { humanize, statusLabel } from "@/lib/format";
import { PRIORITIES, STATUSES } from "@/lib/types";
import { useMetrics } from "@/features/staff/api/get-metrics";
import { useDateRange } from "@/features/staff/hooks/use-date-range";
import { formatDuration, formatRate } from "@/features/staff/lib/duration";
import "@/features/staff/staff.css";
import type { Metrics } from "@/features/staff/types";
import { BarList, DayColumns, formatDay } from "./charts";
import { DateRangePicker } from "./date-range";
import { SlaAttainmentSection } from "./sla-attainment";

function Figure({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd className="figure-value">{value}</dd>
      {detail ? <dd className="figure-detail">{detail}</dd> : null}
    </div>
  );
}

function DashboardSkeleton() {
  return (
    <div aria-busy="true">
      <p className="visually-hidden" role="status">
        Loading the figures…
      </p>
      <div className="figures" aria-hidden="true">
        {Array.from({ length: 5 }, (_, index) => (
          <div key={index} className="figure">
            <Skeleton width="60%" />
            <Skeleton width="40%" height="1.8rem" />
          </div>
        ))}
      </div>
      <Skeleton height="10rem" />
    </div>
  );
}

function MetricsView({ metrics }: { metrics: Metrics }) {
  const byStatus = metrics.backlog.by_status;
  const backlog = byStatus.open + byStatus.in_progress + (byStatus.pending ?? 0);
  const backlogDetail = [
    `${byStatus.open} open`,
    `${byStatus.in_progress} in progress`,
    ...(byStatus.pending !== undefined ? [`${byStatus.pending} pending`] : []),
  ].join(" · ");
  const done = metrics.status_counts.resolved + metrics.status_counts.closed;
  const first = metrics.first_response;
  const resolution = metrics.resolution;
  const empty = metrics.tickets_created === 0;
  return (
    <>
      <section aria-labelledby="figures-heading" className="dashboard-section">
        <h2 id="figures-heading" className="visually-hidden">
          Key figures
        </h2>
        <dl className="figures">
          <Figure label="Tickets created" value={String(metrics.tickets_created)} />
          <Figure
            label="Resolution rate"
            value={formatRate(metrics.resolution_rate)}
            detail={empty ? "No tickets in this period" : `${done} of ${metrics.tickets_created} resolved or closed`}
          />
          <Figure
            label="First response (median)"
            value={formatDuration(first.median_seconds)}
            detail={first.count ? `Mean ${formatDuration(first.mean_seconds)} · ${first.count} answered` : "No replies yet"}
          />
          <Figure
            label="Resolution time (median)"
            value={formatDuration(resolution.median_seconds)}
            detail={
              resolution.count ? `Mean ${formatDuration(resolution.mean_seconds)} · ${resolution.count} resolved` : "None resolved yet"
            }
          />
          <Figure
            label="Open backlog"
            value={String(backlog)}
            detail={backlogDetail}
          />
        </dl>
      </section>

      <section aria-labelledby="per-day-heading" className="dashboard-section card">
        <h2 id="per-day-heading" className="section-heading">
          Tickets created per day
        </h2>
        {empty ? (
          <EmptyState title="No tickets were created in this period.">Choose a longer range to see more.</EmptyState>
        ) : (
          <DayColumns days={metrics.created_per_day} label="Tickets created per day" />
        )}
      </section>

      <div className="dashboard-columns">
        <section aria-labelledby="backlog-heading" className="dashboard-section card">
          <h2 id="backlog-heading" className="section-heading">
            Open backlog by priority
          </h2>
          <p className="muted section-note">
            All tickets open{byStatus.pending !== undefined ? ", in progress or pending" : " or in progress"} now.
          </p>
          <BarList
            label="Open tickets by priority"
            items={[...PRIORITIES].reverse().map((priority) => ({
              key: priority,
              label: humanize(priority),
              value: metrics.backlog.by_priority[priority],
            }))}
          />
        </section>
        <section aria-labelledby="status-heading" className="dashboard-section card">
          <h2 id="status-heading" className="section-heading">
            Created in this period, by status now
          </h2>
          <p className="muted section-note">What became of the {metrics.tickets_created} tickets created.</p>
          <BarList
            label="Tickets created in this period by status"
            items={STATUSES.filter((status) => status !== "pending" || metrics.status_counts.pending !== undefined).map(
              (status) => ({ key: status, label: statusLabel(status), value: metrics.status_counts[status] ?? 0 }),
            )}
          />
        </section>
      </div>

      <section aria-labelledby="agents-heading" className="dashboard-section card">
        <h2 id="agents-heading" className="section-heading">
          Agents
        </h2>
        {metrics.agents.length === 0 ? (
          <p className="muted">No active agents.</p>
        ) : (
          // On a phone the table scrolls sideways: the keyboard can scroll it once it has focus.
          <div className="table-scroll" role="region" aria-labelledby="agents-table-caption" tabIndex={0}>
            <table className="data-table agents-table">
              <caption id="agents-table-caption" className="visually-hidden">
                Agents’ open tickets, tickets resolved and first response times
              </caption>
              <thead>
                <tr>
                  <th scope="col">Agent</th>
                  <th scope="col">Open tickets now</th>
                  <th scope="col">Resolved in period</th>
                  <th scope="col">Median first response</th>
                </tr>
              </thead>
              <tbody>
                {metrics.agents.map((agent) => (
                  <tr key={agent.id}>
                    <th scope="row">
                      {agent.name}
                      <span className="agent-email">{agent.email}</span>
                    </th>
                    <td>{agent.open_load}</td>
                    <td>{agent.resolved_count}</td>
                    <td>{formatDuration(agent.median_first_response_seconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {metrics.sla ? <SlaAttainmentSection sla={metrics.sla} /> : null}
    </>
  );
}

/** The metrics dashboard for a date range: figures, simple charts and the agents' load. */
export function Dashboard() {
  const { from, to, setRange } = useDateRange();
  const metrics = useMetrics(from, to);

  let body;
  if (metrics.isPending) body = <DashboardSkeleton />;
  else if (metrics.isError && !metrics.data)
    body = (
      <ErrorState
        title="The figures could not be loaded."
        message={errorMessage(metrics.error)}
        onRetry={() => void metrics.refetch()}
        retrying={metrics.isFetching}
      />
    );
  else if (metrics.data)
    body = (
      <div aria-busy={metrics.isPlaceholderData || undefined} className={metrics.isPlaceholderData ? "is-stale" : undefined}>
        {metrics.isError ? (
          <ErrorState title="These figures could not be updated." message={errorMessage(metrics.error)} />
        ) : null}
        <MetricsView metrics={metrics.data} />
      </div>
    );

  return (
    <div className="staff-page staff-wide dashboard">
      <div className="page-header">
        <h1>Dashboard</h1>
        <p className="muted" aria-live="polite">
          Tickets created {formatDay(from)} – {formatDay(to)}
        </p>
      </div>
      <DateRangePicker from={from} to={to} onChange={setRange} />
      {body}
    </div>
  );
}
