import { useId, useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import { errorMessage } from "@/lib/api-client";
import { humanize, statusLabel } from "@/lib/format";
import {
  CATEGORIES,
  PRIORITIES,
  STATUSES,
  type TicketCategory,
  type TicketDetail,
  type TicketPriority,
  type TicketStatus,
  type User,
} from "@/lib/types";
import { useAssignTicket } from "@/features/staff/api/assign-ticket";
import { useAgents } from "@/features/staff/api/get-agents";
import { useUpdateTicket, type TicketChanges } from "@/features/staff/api/update-ticket";
import { normalizeTag } from "@/features/staff/lib/tags";
import { EscalateDialog } from "./escalate-dialog";

function TagEditor({ tags, onChange }: { tags: string[]; onChange: (tags: string[]) => void }) {
  const id = useId();
  const [draft, setDraft] = useState("");
  const add = (event: FormEvent) => {
    event.preventDefault();
    const tag = normalizeTag(draft);
    if (!tag) return;
    if (!tags.includes(tag)) onChange([...tags, tag]);
    setDraft("");
  };
  return (
    <div className="tag-editor">
      <h3 className="side-subheading" id={`${id}-heading`}>
        Tags
      </h3>
      {tags.length ? (
        <ul className="tag-list" aria-labelledby={`${id}-heading`}>
          {tags.map((tag) => (
            <li key={tag} className="tag tag-removable">
              {tag}
              <button
                type="button"
                className="tag-remove"
                aria-label={`Remove tag ${tag}`}
                onClick={() => onChange(tags.filter((item) => item !== tag))}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No tags.</p>
      )}
      <form className="tag-add" onSubmit={add}>
        <label htmlFor={`${id}-new`} className="visually-hidden">
          New tag
        </label>
        <input
          id={`${id}-new`}
          className="input"
          type="text"
          placeholder="Add a tag"
          maxLength={50}
          autoComplete="off"
          spellCheck={false}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
        <Button type="submit" size="sm" disabled={!draft.trim()}>
          Add
        </Button>
      </form>
    </div>
  );
}

/** Status, priority, category, assignee, tags and escalation: each change is saved at once. */
export function TicketProperties({ ticket, viewer }: { ticket: TicketDetail; viewer: User }) {
  const update = useUpdateTicket(ticket.id);
  const assign = useAssignTicket(ticket.id);
  const agents = useAgents();
  const [escalating, setEscalating] = useState(false);
  const [saved, setSaved] = useState("");
  const [failure, setFailure] = useState<string | null>(null);
  const assigneeRef = useRef<HTMLSelectElement>(null);
  const busy = update.isPending || assign.isPending;

  const change = (changes: TicketChanges, summary: string) => {
    setFailure(null);
    update.mutate(changes, {
      onSuccess: () => setSaved(summary),
      onError: (error) => setFailure(errorMessage(error)),
    });
  };

  const assignTo = (agentId: string | null) => {
    setFailure(null);
    const name = agentId === viewer.id ? "you" : (agents.data?.find((agent) => agent.id === agentId)?.name ?? "the agent");
    assign.mutate(agentId, {
      onSuccess: () => {
        setSaved(agentId ? `Assigned to ${name}.` : "Unassigned.");
        // "Assign to me" goes away once it is done; keep the keyboard user's place.
        if (agentId === viewer.id && document.activeElement === document.body) assigneeRef.current?.focus();
      },
      onError: (error) => setFailure(errorMessage(error)),
    });
  };

  // While a change is being saved, the controls show the value asked for.
  const pending = update.isPending ? update.variables : undefined;
  const status = pending?.status ?? ticket.status;
  const priority = pending?.priority ?? ticket.priority;
  const category = pending?.category ?? ticket.category;
  const assignee = assign.isPending ? (assign.variables ?? "") : (ticket.assigned_agent?.id ?? "");
  const agentList = agents.data ?? [];
  const assigneeKnown = !ticket.assigned_agent || agentList.some((agent) => agent.id === ticket.assigned_agent?.id);

  return (
    <section className="side-section ticket-properties" aria-labelledby="properties-heading">
      <h2 id="properties-heading" className="side-heading">
        Ticket
      </h2>
      <div className="properties-grid">
        <SelectField
          label="Status"
          value={status}
          onChange={(event) => {
            const value = event.target.value as TicketStatus;
            change({ status: value }, `Status set to ${statusLabel(value).toLowerCase()}.`);
          }}
        >
          {STATUSES.map((option) => (
            <option key={option} value={option}>
              {statusLabel(option)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Priority"
          value={priority}
          onChange={(event) => {
            const value = event.target.value as TicketPriority;
            change({ priority: value }, `Priority set to ${value}.`);
          }}
        >
          {PRIORITIES.map((option) => (
            <option key={option} value={option}>
              {humanize(option)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Category"
          value={category}
          onChange={(event) => {
            const value = event.target.value as TicketCategory;
            change({ category: value }, `Category set to ${value}.`);
          }}
        >
          {CATEGORIES.map((option) => (
            <option key={option} value={option}>
              {humanize(option)}
            </option>
          ))}
        </SelectField>
        <SelectField
          ref={assigneeRef}
          label="Assignee"
          value={assignee}
          onChange={(event) => assignTo(event.target.value || null)}
        >
          <option value="">Unassigned</option>
          {agentList.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.name}
              {agent.id === viewer.id ? " (you)" : ""} · {agent.open_tickets} open
            </option>
          ))}
          {!assigneeKnown && ticket.assigned_agent ? (
            <option value={ticket.assigned_agent.id}>{ticket.assigned_agent.name}</option>
          ) : null}
        </SelectField>
      </div>
      <div className="properties-actions">
        {ticket.assigned_agent?.id !== viewer.id ? (
          <Button size="sm" onClick={() => assignTo(viewer.id)} disabled={assign.isPending}>
            Assign to me
          </Button>
        ) : null}
        <Button size="sm" variant="danger" onClick={() => setEscalating(true)}>
          {ticket.escalated ? "Escalate again" : "Escalate"}
        </Button>
        <p className="properties-saved" aria-live="polite">
          {busy ? "Saving…" : saved}
        </p>
      </div>
      {failure ? <Alert>{failure}</Alert> : null}
      <TagEditor
        tags={pending?.tags ?? ticket.tags}
        onChange={(tags) => change({ tags }, "Tags saved.")}
      />
      <EscalateDialog ticket={ticket} open={escalating} onClose={() => setEscalating(false)} />
    </section>
  );
}
