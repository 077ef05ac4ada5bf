import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/states";
import { errorMessage, isApiError } from "@/lib/api-client";
import { useCalendars } from "@/features/sla-admin/api/get-calendars";
import { useDeleteCalendar } from "@/features/sla-admin/api/delete-calendar";
import { weekSummary } from "@/features/sla-admin/lib/week";
import type { BusinessCalendar } from "@/features/sla-admin/types";
import { CalendarForm } from "./calendar-form";
import { ConfirmDelete } from "./confirm-delete";
import { ListState } from "./list-state";

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

type Editing = { calendar?: BusinessCalendar; readOnly: boolean } | null;

/** The business calendars, with their forms (admins) or a read-only view (other staff, the built-in one). */
export function CalendarList({ canEdit }: { canEdit: boolean }) {
  const calendars = useCalendars();
  const remove = useDeleteCalendar();
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<BusinessCalendar | null>(null);
  const [saved, setSaved] = useState("");

  const closeDelete = () => {
    setDeleting(null);
    remove.reset();
  };
  const confirmDelete = () => {
    if (!deleting) return;
    const { name } = deleting;
    remove.mutate(deleting.id, {
      onSuccess: () => {
        setDeleting(null);
        setSaved(`Deleted “${name}”.`);
      },
    });
  };
  const done = (calendar?: BusinessCalendar) => {
    setEditing(null);
    if (calendar) setSaved(`Saved “${calendar.name}” (${plural(calendar.holidays.length, "holiday")}).`);
  };

  let body;
  if (calendars.isPending || calendars.isError) {
    body = <ListState query={calendars} what="calendars" />;
  } else if (calendars.data.length === 0) {
    body = <EmptyState title="No calendars yet." />;
  } else {
    body = (
      <ul className="sla-cards" aria-label="Calendars">
        {calendars.data.map((calendar) => {
          const editable = canEdit && !calendar.builtin;
          return (
            <li key={calendar.id} className="sla-card" aria-label={calendar.name}>
              <div className="sla-card-main">
                <h3 className="sla-card-title">
                  {calendar.name}
                  {calendar.builtin ? <span className="badge sla-badge">Built in</span> : null}
                </h3>
                <p className="sla-card-meta">
                  <span>{calendar.time_zone}</span>
                  <span>{weekSummary(calendar.hours)}</span>
                  <span>{plural(calendar.holidays.length, "holiday")}</span>
                  {calendar.policy_count ? <span>Used by {plural(calendar.policy_count, "policy", "policies")}</span> : null}
                </p>
              </div>
              <div className="sla-card-actions">
                {editable ? (
                  <>
                    <Button size="sm" aria-label={`Edit ${calendar.name}`} onClick={() => setEditing({ calendar, readOnly: false })}>
                      Edit
                    </Button>
                    <Button size="sm" variant="danger" aria-label={`Delete ${calendar.name}`} onClick={() => setDeleting(calendar)}>
                      Delete
                    </Button>
                  </>
                ) : (
                  <Button size="sm" aria-label={`View ${calendar.name}`} onClick={() => setEditing({ calendar, readOnly: true })}>
                    View
                  </Button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    );
  }

  const conflict = isApiError(remove.error) && remove.error.status === 409;
  return (
    <div className="sla-block">
      <div className="sla-block-header">
        <p className="muted">Business hours and holidays that targets are counted in.</p>
        {canEdit ? (
          <Button variant="primary" onClick={() => setEditing({ readOnly: false })}>
            New calendar
          </Button>
        ) : null}
      </div>
      <p className="sla-status" role="status">
        {saved}
      </p>
      {body}
      <Dialog
        open={editing !== null}
        onClose={() => setEditing(null)}
        size="lg"
        title={
          editing?.calendar ? (editing.readOnly ? editing.calendar.name : `Edit “${editing.calendar.name}”`) : "New calendar"
        }
      >
        {editing ? <CalendarForm calendar={editing.calendar} readOnly={editing.readOnly} onDone={done} /> : null}
      </Dialog>
      <ConfirmDelete
        open={deleting !== null}
        title={`Delete “${deleting?.name ?? ""}”?`}
        description="Tickets counted on this calendar are re-evaluated. This cannot be undone."
        pending={remove.isPending}
        onCancel={closeDelete}
        onConfirm={confirmDelete}
        error={
          remove.isError ? (
            <Alert title={conflict ? "This calendar is in use" : "Not deleted"}>
              {errorMessage(remove.error)}
              {conflict ? " Move the policies that use it to another calendar first." : null}
            </Alert>
          ) : null
        }
      />
    </div>
  );
}
