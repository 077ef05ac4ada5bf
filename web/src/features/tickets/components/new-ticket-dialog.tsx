import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import {
  TicketCategoryField,
  TicketMessageField,
  TicketPriorityField,
  TicketTitleField,
} from "../../../components/ticket-fields";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Dialog } from "../../../components/ui/dialog";
import { formErrorsFrom } from "../../../lib/form-errors";
import { messageProblem, titleProblem } from "../../../lib/ticket-checks";
import type { TicketCategory, TicketDetail, TicketPriority } from "../../../lib/types";
import { useCreateTicket } from "../api/create-ticket";

const FIELDS = ["title", "category", "priority", "message_text"] as const;
type Field = (typeof FIELDS)[number];
type Values = { title: string; category: TicketCategory | ""; priority: TicketPriority; message_text: string };

const EMPTY: Values = { title: "", category: "", priority: "medium", message_text: "" };

export function validateNewTicket(values: Values): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  const title = titleProblem(values.title, "Give your ticket a title.");
  if (title) errors.title = title;
  if (!values.category) errors.category = "Choose a category.";
  const message = messageProblem(values.message_text, "Describe the problem.");
  if (message) errors.message_text = message;
  return errors;
}

export interface NewTicketDialogProps {
  open: boolean;
  onClose: () => void;
  /**
   * Called once the ticket exists (e.g. to upload its files, then open it). The dialog stays
   * locked until it settles.
   */
  onCreated: (ticket: TicketDetail) => Promise<void> | void;
  /** Extra controls (the attachment picker) shown below the message. */
  attachments?: ReactNode;
  /** True while the extra controls hold something that blocks submitting (a rejected file). */
  attachmentsBlocked?: boolean;
}

export function NewTicketDialog({ open, onClose, onCreated, attachments, attachmentsBlocked }: NewTicketDialogProps) {
  const titleRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog open={open} onClose={onClose} title="New ticket" initialFocusRef={titleRef} size="lg" locked={busy}>
      <NewTicketForm
        titleRef={titleRef}
        onBusyChange={setBusy}
        onCancel={onClose}
        onCreated={onCreated}
        attachments={attachments}
        attachmentsBlocked={attachmentsBlocked}
      />
    </Dialog>
  );
}

function NewTicketForm({
  titleRef,
  onBusyChange,
  onCancel,
  onCreated,
  attachments,
  attachmentsBlocked,
}: {
  titleRef: React.RefObject<HTMLInputElement | null>;
  onBusyChange: (busy: boolean) => void;
  onCancel: () => void;
  onCreated: NewTicketDialogProps["onCreated"];
  attachments?: ReactNode;
  attachmentsBlocked?: boolean;
}) {
  const create = useCreateTicket();
  const [values, setValues] = useState<Values>(EMPTY);
  const [submitted, setSubmitted] = useState(false);
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({});
  const [finishing, setFinishing] = useState(false);

  const clientErrors = validateNewTicket(values);
  const server = create.error ? formErrorsFrom(create.error, FIELDS) : null;
  const shown = (field: Field) =>
    (submitted || touched[field] ? clientErrors[field] : undefined) ?? server?.fields[field];

  const set = (field: Field) => (value: string) => setValues((current) => ({ ...current, [field]: value }));
  // Leaving a field judges it only once something was written in it: an error appearing when
  // focus merely passes through would shift the form under the pointer heading for "Create".
  const blur = (field: Field) => () => {
    if (values[field] !== EMPTY[field]) setTouched((current) => ({ ...current, [field]: true }));
  };

  const busy = create.isPending || finishing;
  useEffect(() => onBusyChange(busy), [busy, onBusyChange]);
  useEffect(() => () => onBusyChange(false), [onBusyChange]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(clientErrors).length > 0 || attachmentsBlocked || busy) {
      // Send the user to the first field that needs attention.
      const first = FIELDS.find((field) => clientErrors[field]);
      if (first) document.getElementById(`new-ticket-${first}`)?.focus();
      return;
    }
    create.mutate(
      {
        title: values.title.trim(),
        category: values.category as TicketCategory,
        priority: values.priority,
        message_text: values.message_text.trim(),
      },
      {
        onSuccess: async (ticket) => {
          setFinishing(true);
          try {
            await onCreated(ticket);
          } finally {
            setFinishing(false);
          }
        },
      },
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate className="new-ticket-form" aria-busy={busy || undefined}>
      {server?.form ? <Alert>{server.form}</Alert> : null}
      {submitted && Object.keys(clientErrors).length > 0 ? (
        <p className="visually-hidden" role="alert">
          Some fields need attention.
        </p>
      ) : null}
      <TicketTitleField
        ref={titleRef}
        id="new-ticket-title"
        placeholder="A short summary of the problem"
        value={values.title}
        onChange={set("title")}
        onBlur={blur("title")}
        error={shown("title")}
        disabled={busy}
      />
      <div className="field-row">
        <TicketCategoryField
          id="new-ticket-category"
          value={values.category}
          onChange={set("category")}
          onBlur={blur("category")}
          error={shown("category")}
          disabled={busy}
        />
        <TicketPriorityField
          id="new-ticket-priority"
          value={values.priority}
          onChange={set("priority")}
          error={shown("priority")}
          disabled={busy}
        />
      </div>
      <TicketMessageField
        id="new-ticket-message_text"
        placeholder="What happened, and what did you expect?"
        value={values.message_text}
        onChange={set("message_text")}
        onBlur={blur("message_text")}
        error={shown("message_text")}
        disabled={busy}
      />
      {attachments}
      <div className="dialog-actions">
        <Button onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={busy}>
          {finishing ? "Uploading files…" : create.isPending ? "Creating…" : "Create ticket"}
        </Button>
      </div>
    </form>
  );
}
