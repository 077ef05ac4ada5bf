import { useEffect, useRef, useState, type DragEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/states";
import { errorMessage } from "@/lib/api-client";
import { useCalendars } from "@/features/sla-admin/api/get-calendars";
import { useSlaPolicies } from "@/features/sla-admin/api/get-sla-policies";
import { useDeleteSlaPolicy } from "@/features/sla-admin/api/delete-sla-policy";
import { useMoveSlaPolicy } from "@/features/sla-admin/api/move-sla-policy";
import { conditionsSummary, targetsSummary } from "@/features/sla-admin/lib/policy-labels";
import type { SlaPolicy } from "@/features/sla-admin/types";
import { ConfirmDelete } from "./confirm-delete";
import { ListState } from "./list-state";
import { PolicyForm } from "./policy-form";

type Editing = { policy?: SlaPolicy } | null;
type Direction = "up" | "down";

/**
 * The policies in the order they are tried, the first match applying. Admins reorder them with
 * the up/down buttons (or by dragging), and create, change and delete them.
 */
export function PolicyList({ canEdit }: { canEdit: boolean }) {
  const policies = useSlaPolicies();
  const calendars = useCalendars();
  const move = useMoveSlaPolicy();
  const remove = useDeleteSlaPolicy();
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<SlaPolicy | null>(null);
  const [status, setStatus] = useState("");
  const [moveError, setMoveError] = useState<string | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  // The button that moved a policy keeps focus as its row moves (or its twin, at the ends).
  const refocus = useRef<{ id: string; direction: Direction } | null>(null);

  const calendarName = (id: string) => calendars.data?.find((calendar) => calendar.id === id)?.name ?? "Unknown calendar";

  const moveTo = (policy: SlaPolicy, position: number) => {
    if (move.isPending || position === policy.position) return;
    setMoveError(null);
    move.mutate(
      { id: policy.id, position },
      {
        onSuccess: () => setStatus(`Moved “${policy.name}” to position ${position}.`),
        onError: (error) => setMoveError(`“${policy.name}” was not moved: ${errorMessage(error)}`),
      },
    );
  };
  const step = (policy: SlaPolicy, direction: Direction) => {
    refocus.current = { id: policy.id, direction };
    moveTo(policy, policy.position + (direction === "up" ? -1 : 1));
  };

  useEffect(() => {
    const target = refocus.current;
    const list = listRef.current;
    if (!target || !list) return;
    // Only when the move lost focus (the row was re-inserted, or its button became disabled):
    // never take it from wherever the user has gone since.
    const active = document.activeElement;
    const lost = !active || active === document.body || (list.contains(active) && active.hasAttribute("data-move"));
    if (!lost) {
      refocus.current = null;
      return;
    }
    const find = (direction: Direction) =>
      Array.from(list.querySelectorAll<HTMLButtonElement>(`[data-move="${direction}"]`)).find(
        (button) => button.dataset.policy === target.id,
      );
    const button = find(target.direction);
    const other = find(target.direction === "up" ? "down" : "up");
    const next = button && !button.disabled ? button : other && !other.disabled ? other : null;
    if (next && document.activeElement !== next) next.focus();
  }, [policies.data]);

  const drop = (event: DragEvent, target: SlaPolicy) => {
    event.preventDefault();
    const policy = policies.data?.find((item) => item.id === dragging);
    setDragging(null);
    setOver(null);
    if (policy) moveTo(policy, target.position);
  };

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
        setStatus(`Deleted “${name}”.`);
      },
    });
  };

  let body;
  if (policies.isPending || policies.isError) {
    body = <ListState query={policies} what="policies" />;
  } else if (policies.data.length === 0) {
    body = <EmptyState title="No policies yet.">Without a policy, tickets have no service-level targets.</EmptyState>;
  } else {
    const count = policies.data.length;
    body = (
      <ol ref={listRef} className="sla-cards sla-policies" aria-label="Policies, in the order they are tried">
        {policies.data.map((policy, index) => {
          const classes = ["sla-card", "sla-policy"];
          if (dragging === policy.id) classes.push("sla-dragging");
          if (over === policy.id && dragging !== policy.id) classes.push("sla-drop-target");
          return (
            <li
              key={policy.id}
              className={classes.join(" ")}
              aria-label={policy.name}
              draggable={canEdit || undefined}
              onDragStart={
                canEdit
                  ? (event) => {
                      event.dataTransfer.effectAllowed = "move";
                      event.dataTransfer.setData("text/plain", policy.id);
                      setDragging(policy.id);
                    }
                  : undefined
              }
              onDragOver={
                canEdit
                  ? (event) => {
                      if (!dragging) return;
                      event.preventDefault();
                      event.dataTransfer.dropEffect = "move";
                      if (over !== policy.id) setOver(policy.id);
                    }
                  : undefined
              }
              onDrop={canEdit ? (event) => drop(event, policy) : undefined}
              onDragEnd={
                canEdit
                  ? () => {
                      setDragging(null);
                      setOver(null);
                    }
                  : undefined
              }
            >
              {canEdit ? (
                <span className="sla-grip" aria-hidden="true" title="Drag to reorder">
                  ⋮⋮
                </span>
              ) : null}
              <span className="sla-position" aria-hidden="true">
                {index + 1}
              </span>
              <div className="sla-card-main">
                <h3 className="sla-card-title">
                  {policy.name}
                  {policy.escalate_on_breach ? <span className="badge sla-badge">Escalates on breach</span> : null}
                </h3>
                <p className="sla-card-meta">
                  <span>{conditionsSummary(policy.conditions)}</span>
                  <span>{targetsSummary(policy.targets)}</span>
                  <span>Calendar: {calendarName(policy.calendar)}</span>
                </p>
              </div>
              {canEdit ? (
                <div className="sla-card-actions">
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Move ${policy.name} up`}
                    data-move="up"
                    data-policy={policy.id}
                    disabled={index === 0}
                    onClick={() => step(policy, "up")}
                  >
                    <span aria-hidden="true">↑</span> Up
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Move ${policy.name} down`}
                    data-move="down"
                    data-policy={policy.id}
                    disabled={index === count - 1}
                    onClick={() => step(policy, "down")}
                  >
                    <span aria-hidden="true">↓</span> Down
                  </Button>
                  <Button size="sm" aria-label={`Edit ${policy.name}`} onClick={() => {
                      refocus.current = null;
                      setEditing({ policy });
                    }}>
                    Edit
                  </Button>
                  <Button size="sm" variant="danger" aria-label={`Delete ${policy.name}`} onClick={() => {
                      refocus.current = null;
                      setDeleting(policy);
                    }}>
                    Delete
                  </Button>
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
    );
  }

  return (
    <div className="sla-block">
      <div className="sla-block-header">
        <p className="muted">Tried from the top: the first policy a ticket matches sets its targets.</p>
        {canEdit ? (
          <Button variant="primary" onClick={() => setEditing({})}>
            New policy
          </Button>
        ) : null}
      </div>
      {moveError ? <Alert>{moveError}</Alert> : null}
      <p className="sla-status" role="status">
        {status}
      </p>
      {body}
      <Dialog
        open={editing !== null}
        onClose={() => setEditing(null)}
        size="lg"
        title={editing?.policy ? `Edit “${editing.policy.name}”` : "New policy"}
      >
        {editing ? (
          <PolicyForm
            policy={editing.policy}
            onDone={(saved) => {
              setEditing(null);
              if (saved) setStatus(`Saved “${saved.name}”.`);
            }}
          />
        ) : null}
      </Dialog>
      <ConfirmDelete
        open={deleting !== null}
        title={`Delete “${deleting?.name ?? ""}”?`}
        description="Open tickets it covers are re-evaluated against the other policies. This cannot be undone."
        pending={remove.isPending}
        onCancel={closeDelete}
        onConfirm={confirmDelete}
        error={remove.isError ? <Alert title="Not deleted">{errorMessage(remove.error)}</Alert> : null}
      />
    </div>
  );
}
