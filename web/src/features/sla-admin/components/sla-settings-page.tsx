import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { CalendarList } from "./calendar-list";
import { PolicyList } from "./policy-list";
import "./sla-admin.css";

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="sla-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/**
 * "Service levels": the business calendars and the SLA policies (docs/sla.md). Admins change
 * them; other staff see them read-only (the API refuses their writes anyway).
 */
export function SlaSettingsPage({ canEdit }: { canEdit: boolean }) {
  return (
    <div className="page sla-page">
      <div className="page-header">
        <h1>Service levels</h1>
      </div>
      <p className="muted">
        Targets for first response, next response and resolution, in business minutes. Customers never see them.
      </p>
      {canEdit ? null : <Alert tone="info">You can view these settings. Only admins can change them.</Alert>}
      <Section id="sla-calendars" title="Business calendars">
        <CalendarList canEdit={canEdit} />
      </Section>
      <Section id="sla-policies" title="Policies">
        <PolicyList canEdit={canEdit} />
      </Section>
    </div>
  );
}
