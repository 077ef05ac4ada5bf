import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Dialog } from "../../../components/ui/dialog";
import { SelectField, TextAreaField, TextField } from "../../../components/ui/field";
import { formErrorsFrom } from "../../../lib/form-errors";
import { humanize } from "../../../lib/format";
import {
  CATEGORIES,
  MESSAGE_MAX_LENGTH,
  PRIORITIES,
  TITLE_MAX_LENGTH,
  type TicketCategory,
  type TicketDetail,
  type TicketPriority,
} from "../../../lib/types";
import { useCreateTicket } from "../api/create-ticket";

const FIELDS = ["title", "category", "priority", "message_text"] as const;
type Field = (typeof FIELDS)[number];
type Values = { title: string; category: TicketCategory | ""; priority: TicketPriority; message_text: string };

const EMPTY: Values = { title: "", category: "", priority: "medium", message_text: "" };

export function validateNewTicket(values: Values): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  const title = values.title.trim();
  if (!title) errors.title = "Give your ticket a title.";
  else if (title.length > TITLE_MAX_LENGTH) errors.title = `Keep the title under ${TITLE_MAX_LENGTH + 1} characters.`;
  if (!values.category) errors.category = "Choose a category.";
  const message = values.message_text.trim();
  if (!message) errors.message_text = "Describe the problem.";
  else if (message.length > MESSAGE_MAX_LENGTH)
    errors.message_text = `Keep the message under ${MESSAGE_MAX_LENGTH + 1} characters.`;
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

  const set = (field: Field) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }));
  const blur = (field: Field) => () => setTouched((current) => ({ ...current, [field]: true }));

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

  const messageLength = values.message_text.trim().length;

  return (
    <form onSubmit={onSubmit} noValidate className="new-ticket-form" aria-busy={busy || undefined}>
      {server?.form ? <Alert>{server.form}</Alert> : null}
      {submitted && Object.keys(clientErrors).length > 0 ? (
        <p className="visually-hidden" role="alert">
          Some fields need attention.
        </p>
      ) : null}
      <TextField
        ref={titleRef}
        id="new-ticket-title"
        label="Title"
        required
        maxLength={TITLE_MAX_LENGTH + 20}
        placeholder="A short summary of the problem"
        value={values.title}
        onChange={set("title")}
        onBlur={blur("title")}
        error={shown("title")}
        disabled={busy}
      />
      <div className="field-row">
        <SelectField
          id="new-ticket-category"
          label="Category"
          required
          value={values.category}
          onChange={set("category")}
          onBlur={blur("category")}
          error={shown("category")}
          disabled={busy}
        >
          <option value="">Choose a category…</option>
          {CATEGORIES.map((category) => (
            <option key={category} value={category}>
              {humanize(category)}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="new-ticket-priority"
          label="Priority"
          value={values.priority}
          onChange={set("priority")}
          error={shown("priority")}
          disabled={busy}
        >
          {PRIORITIES.map((priority) => (
            <option key={priority} value={priority}>
              {humanize(priority)}
            </option>
          ))}
        </SelectField>
      </div>
      <TextAreaField
        id="new-ticket-message_text"
        label="Message"
        required
        rows={6}
        placeholder="What happened, and what did you expect?"
        value={values.message_text}
        onChange={set("message_text")}
        onBlur={blur("message_text")}
        error={shown("message_text")}
        hint={`${messageLength} / ${MESSAGE_MAX_LENGTH} characters`}
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
