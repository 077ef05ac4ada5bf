/**
 * The machinery every "new ticket" dialog shares (the customer's and the staff's): the values,
 * the client-side checks and when they show, the server's field errors, the submit and the
 * "busy" state that locks the dialog while the ticket is created and its files upload, and the
 * form itself with its title, category, priority and first-message fields and its buttons.
 * Each dialog brings its own fields' wording, checks, request and any extra fields.
 *
 * What is typed is kept as a draft (lib/drafts) until the ticket is created or the draft is
 * discarded: closing the dialog (Escape, the backdrop, Cancel) keeps it, "Discard draft" asks.
 */
import type { UseMutationResult } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent, type ReactNode, type RefObject } from "react";
import { flushSync } from "react-dom";
import { readDraft, removeDraft, saveDraft } from "@/lib/drafts";
import { formErrorsFrom } from "@/lib/form-errors";
import type { TicketCategory, TicketDetail, TicketPriority } from "@/lib/types";
import {
  TicketCategoryField,
  TicketMessageField,
  TicketPriorityField,
  TicketTitleField,
  type TicketFieldProps,
} from "./ticket-fields";
import { DiscardDraftDialog } from "./discard-draft-dialog";
import { Alert } from "./ui/alert";
import { Button } from "./ui/button";

/** What a "new ticket" dialog's host gives it. */
export interface NewTicketDialogBaseProps {
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
  /** Where the typed values are kept until sent or discarded (lib/drafts); none: not kept. */
  draftKey?: string;
}

/** The values every "new ticket" form has. */
export interface NewTicketValues {
  title: string;
  category: TicketCategory | "";
  priority: TicketPriority;
  message_text: string;
}

type FieldOf<Values> = keyof Values & string;

export type FieldProblems<Values> = Partial<Record<FieldOf<Values>, string>>;

export interface NewTicketFormOptions<Values, Input> {
  /** Every field, in the form's order: the first one with a problem gets focus. */
  fields: readonly FieldOf<Values>[];
  initialValues: Values;
  /** A field's id in the page. */
  fieldId: (field: FieldOf<Values>) => string;
  /** Send focus to a field (by default: the element with its id). */
  focusField?: (field: FieldOf<Values>) => void;
  validate: (values: Values) => FieldProblems<Values>;
  /** The request that creates the ticket, and its input from the (valid) values. */
  mutation: UseMutationResult<TicketDetail, Error, Input>;
  toInput: (values: Values) => Input;
  /** When the server refuses a field, send focus to the first such field. */
  focusServerErrors?: boolean;
  onCreated: NewTicketDialogBaseProps["onCreated"];
  onBusyChange: (busy: boolean) => void;
  attachmentsBlocked?: boolean;
  /** Keep the values under this key until the ticket is created or the draft discarded. */
  draftKey?: string;
}

export interface NewTicketFormState<Values> {
  values: Values;
  set: <K extends FieldOf<Values>>(field: K) => (value: Values[K]) => void;
  /** Mark a field as visited: its problem shows from now on. */
  touch: (field: FieldOf<Values>) => void;
  /** A text field's blur handler: it marks the field visited once something was written in it. */
  blur: (field: FieldOf<Values>) => () => void;
  /** The problem to show on a field, if any: the client's check once due, else the server's. */
  shown: (field: FieldOf<Values>) => string | undefined;
  /** A text field's id, value, change handler, shown problem and disabled state (no blur handler). */
  field: (field: FieldOf<Values>) => Omit<TicketFieldProps, "onBlur">;
  /** Creating the ticket, or waiting for `onCreated` (its files uploading). */
  busy: boolean;
  finishing: boolean;
  creating: boolean;
  /** The server's complaint that belongs to no field. */
  formError: string | null;
  /** Submitted with problems: the form says so to screen readers. */
  needsAttention: boolean;
  onSubmit: (event: FormEvent) => void;
  /** Something was written or chosen: there is a draft to keep or discard. */
  hasDraft: boolean;
  /** Forget the draft and start again from the initial values. */
  discardDraft: () => void;
}

/**
 * The stored draft over the initial values: only the fields the form has, each of the type it
 * expects (storage is the user's to edit, and a later version may have other fields).
 */
function restoredValues<Values>(key: string | undefined, initialValues: Values): Values {
  const stored = key ? readDraft(key) : null;
  if (!stored || typeof stored !== "object" || Array.isArray(stored)) return initialValues;
  const restored = { ...initialValues };
  for (const field of Object.keys(initialValues as object) as (keyof Values & string)[]) {
    const value = (stored as Record<string, unknown>)[field];
    const initial = initialValues[field];
    if (value === undefined) continue;
    const fits =
      initial === null
        ? value === null || (typeof value === "object" && !Array.isArray(value))
        : typeof value === typeof initial;
    if (fits) restored[field] = value as Values[typeof field];
  }
  return restored;
}

export function useNewTicketForm<Values, Input>({
  fields,
  initialValues,
  fieldId,
  focusField,
  validate,
  mutation,
  toInput,
  focusServerErrors = false,
  onCreated,
  onBusyChange,
  attachmentsBlocked,
  draftKey,
}: NewTicketFormOptions<Values, Input>): NewTicketFormState<Values> {
  type Field = FieldOf<Values>;
  const [values, setValues] = useState<Values>(() => restoredValues(draftKey, initialValues));
  const [submitted, setSubmitted] = useState(false);
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({});
  const [finishing, setFinishing] = useState(false);

  const clientErrors = validate(values);
  const server = mutation.error ? formErrorsFrom(mutation.error, fields) : null;
  const shown = (field: Field) =>
    (submitted || touched[field] ? clientErrors[field] : undefined) ?? server?.fields[field];

  const set =
    <K extends Field>(field: K) =>
    (value: Values[K]) =>
      setValues((current) => ({ ...current, [field]: value }));
  const touch = (field: Field) => setTouched((current) => ({ ...current, [field]: true }));
  // Leaving a field judges it only once something was written in it: an error appearing when
  // focus merely passes through would shift the form under the pointer heading for "Create".
  const blur = (field: Field) => () => {
    if (values[field] !== "") touch(field);
  };

  const hasDraft = JSON.stringify(values) !== JSON.stringify(initialValues);
  // Once the ticket exists its draft is gone for good, even if the form is still on screen.
  const created = useRef(false);
  useEffect(() => {
    if (draftKey && !created.current) saveDraft(draftKey, hasDraft ? values : null);
  }, [draftKey, values, hasDraft]);

  const discardDraft = () => {
    if (draftKey) removeDraft(draftKey);
    setValues(initialValues);
    setSubmitted(false);
    setTouched({});
    mutation.reset();
  };

  const busy = mutation.isPending || finishing;
  useEffect(() => onBusyChange(busy), [busy, onBusyChange]);
  useEffect(() => () => onBusyChange(false), [onBusyChange]);

  const focus = focusField ?? ((field: Field) => document.getElementById(fieldId(field))?.focus());

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(clientErrors).length > 0 || attachmentsBlocked || busy) {
      // Send the user to the first field that needs attention.
      const first = fields.find((field) => clientErrors[field]);
      if (first) focus(first);
      return;
    }
    mutation.mutate(toInput(values), {
      onSuccess: async (ticket) => {
        created.current = true;
        if (draftKey) removeDraft(draftKey);
        setFinishing(true);
        try {
          await onCreated(ticket);
        } finally {
          setFinishing(false);
        }
      },
      ...(focusServerErrors
        ? {
            onError: (error: Error) => {
              const first = fields.find((field) => formErrorsFrom(error, fields).fields[field]);
              if (first) requestAnimationFrame(() => focus(first));
            },
          }
        : {}),
    });
  };

  const field = (name: Field) => ({
    id: fieldId(name),
    value: values[name] as string,
    onChange: set(name) as (value: string) => void,
    error: shown(name),
    disabled: busy,
  });

  return {
    values,
    set,
    touch,
    blur,
    shown,
    field,
    busy,
    finishing,
    creating: mutation.isPending,
    formError: server?.form ?? null,
    needsAttention: submitted && Object.keys(clientErrors).length > 0,
    onSubmit,
    hasDraft,
    discardDraft,
  };
}

export interface NewTicketFormProps<Values extends NewTicketValues> {
  form: NewTicketFormState<Values>;
  /** Close the dialog; what was typed stays as a draft. */
  onCancel: () => void;
  titleRef: RefObject<HTMLInputElement | null>;
  titlePlaceholder: string;
  messageLabel?: string;
  messagePlaceholder: string;
  messageHint?: ReactNode;
  /** Extra controls (the attachment picker) shown below the message. */
  attachments?: ReactNode;
  /** Fields before the title (the staff's customer). */
  beforeTitle?: ReactNode;
  /** Fields in the row after category and priority (the staff's source). */
  inRow?: ReactNode;
  /** Fields between that row and the message (the staff's tags). */
  beforeMessage?: ReactNode;
}

/** A "new ticket" form: its alerts, the shared fields with any extra ones, and its buttons. */
export function NewTicketForm<Values extends NewTicketValues>({
  form,
  onCancel,
  titleRef,
  titlePlaceholder,
  messageLabel,
  messagePlaceholder,
  messageHint,
  attachments,
  beforeTitle,
  inRow,
  beforeMessage,
}: NewTicketFormProps<Values>) {
  const title = form.field("title");
  const category = form.field("category");
  const priority = form.field("priority");
  const message = form.field("message_text");
  const [confirmingDiscard, setConfirmingDiscard] = useState(false);
  const discard = () => {
    // The question closes first, so it hands focus back before the dialog itself goes.
    flushSync(() => setConfirmingDiscard(false));
    form.discardDraft();
    onCancel();
  };
  return (
    <form onSubmit={form.onSubmit} noValidate className="new-ticket-form" aria-busy={form.busy || undefined}>
      {form.formError ? <Alert>{form.formError}</Alert> : null}
      {form.needsAttention ? (
        <p className="visually-hidden" role="alert">
          Some fields need attention.
        </p>
      ) : null}
      {beforeTitle}
      <TicketTitleField
        ref={titleRef}
        id={title.id}
        placeholder={titlePlaceholder}
        value={title.value}
        onChange={title.onChange}
        onBlur={form.blur("title")}
        error={title.error}
        disabled={title.disabled}
      />
      <div className="field-row">
        <TicketCategoryField
          id={category.id}
          value={category.value}
          onChange={category.onChange}
          onBlur={form.blur("category")}
          error={category.error}
          disabled={category.disabled}
        />
        <TicketPriorityField
          id={priority.id}
          value={priority.value}
          onChange={priority.onChange}
          error={priority.error}
          disabled={priority.disabled}
        />
        {inRow}
      </div>
      {beforeMessage}
      <TicketMessageField
        id={message.id}
        label={messageLabel}
        placeholder={messagePlaceholder}
        hint={messageHint}
        value={message.value}
        onChange={message.onChange}
        onBlur={form.blur("message_text")}
        error={message.error}
        disabled={message.disabled}
      />
      {attachments}
      <div className="dialog-actions">
        {form.hasDraft ? (
          <Button
            variant="ghost"
            className="dialog-action-start"
            onClick={() => setConfirmingDiscard(true)}
            disabled={form.busy}
          >
            Discard draft
          </Button>
        ) : null}
        <Button onClick={onCancel} disabled={form.busy}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={form.busy}>
          {form.finishing ? "Uploading files…" : form.creating ? "Creating…" : "Create ticket"}
        </Button>
      </div>
      <DiscardDraftDialog
        open={confirmingDiscard}
        onKeep={() => setConfirmingDiscard(false)}
        onDiscard={discard}
        description="The ticket you started will be deleted, and the dialog closes."
      />
    </form>
  );
}
