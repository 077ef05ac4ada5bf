import { useMemo, useRef, useState, type RefObject } from "react";
import {
  NewTicketForm,
  useNewTicketForm,
  type FieldProblems,
  type NewTicketDialogBaseProps,
  type NewTicketValues,
} from "@/components/new-ticket-form";
import { Dialog } from "@/components/ui/dialog";
import { SelectField, TextField } from "@/components/ui/field";
import { humanize } from "@/lib/format";
import { messageProblem, titleProblem } from "@/lib/ticket-checks";
import { SOURCES, type TicketCategory, type TicketSource, type UserBrief } from "@/lib/types";
import { useCreateTicketForCustomer, type FirstMessageAs } from "@/features/staff/api/create-ticket-for-customer";
import { parseTags, tagsProblem } from "@/features/staff/lib/tags";
import "@/features/staff/staff.css";
import { CustomerPicker } from "./customer-picker";

const FIELDS = [
  "customer",
  "caller",
  "customer_name",
  "customer_email",
  "title",
  "category",
  "priority",
  "source",
  "tags",
  "message_as",
  "message_text",
] as const;
type Field = (typeof FIELDS)[number];

export interface TicketForCustomerValues extends NewTicketValues {
  customer: UserBrief | null;
  /** A caller without an account: their name and email instead of a chosen customer. */
  caller: boolean;
  customer_name: string;
  customer_email: string;
  source: TicketSource;
  /** As typed: comma-separated. */
  tags: string;
  message_as: FirstMessageAs;
}

const FIRST_MESSAGE_CHOICES: [FirstMessageAs, string][] = [
  ["customer", "What the customer said"],
  ["internal_note", "An internal note"],
];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const MESSAGE_PLACEHOLDER: Record<TicketSource, string> = {
  phone: "What the customer said on the call, and what they need.",
  email: "Paste the customer’s email, or sum it up.",
  web: "What the customer needs.",
  mobile: "What the customer needs.",
};

const fieldId = (field: Field) => `for-customer-${field}`;

export function validateTicketForCustomer(values: TicketForCustomerValues): FieldProblems<TicketForCustomerValues> {
  const errors: FieldProblems<TicketForCustomerValues> = {};
  if (values.caller) {
    if (!values.customer_email.trim()) errors.customer_email = "Give the caller's email: their account is made with it.";
    else if (!EMAIL.test(values.customer_email.trim())) errors.customer_email = "Enter a valid email address.";
  } else if (!values.customer) {
    errors.customer = "Choose the customer this ticket is for.";
  }
  const title = titleProblem(values.title, "Give the ticket a title.");
  if (title) errors.title = title;
  if (!values.category) errors.category = "Choose a category.";
  const tags = tagsProblem(parseTags(values.tags));
  if (tags) errors.tags = tags;
  const message = messageProblem(
    values.message_text,
    values.message_as === "internal_note"
      ? "Write the note: what the call was about."
      : "Write the first message: what the customer needs.",
  );
  if (message) errors.message_text = message;
  return errors;
}

export interface NewTicketForCustomerDialogProps extends NewTicketDialogBaseProps {
  /** Chosen in advance (from a ticket's customer panel); the agent may still change it. */
  customer?: UserBrief | null;
}

/**
 * Staff open a ticket on a customer's behalf, from a phone call or an email: who it is for (an
 * account, or a caller's name and email), what it is about, how it came in, tags, and the first
 * message: the customer's words as the agent took them down (shown as the customer's, marked as
 * entered by the agent), or an internal note only staff see.
 */
export function NewTicketForCustomerDialog({
  open,
  onClose,
  customer = null,
  onCreated,
  attachments,
  attachmentsBlocked,
  draftKey,
}: NewTicketForCustomerDialogProps) {
  const customerRef = useRef<HTMLInputElement>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  // A restored draft may have its customer chosen already (no search box): then the title.
  const firstFieldRef = useMemo(
    () => ({
      get current() {
        return customerRef.current ?? titleRef.current;
      },
    }),
    [],
  );
  const [busy, setBusy] = useState(false);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="New ticket for a customer"
      description="For a customer who called or wrote in. They get the usual confirmation email."
      initialFocusRef={customer ? titleRef : firstFieldRef}
      size="lg"
      locked={busy}
    >
      <TicketForCustomerForm
        initialCustomer={customer}
        customerRef={customerRef}
        titleRef={titleRef}
        onBusyChange={setBusy}
        onCancel={onClose}
        onCreated={onCreated}
        attachments={attachments}
        attachmentsBlocked={attachmentsBlocked}
        draftKey={draftKey}
      />
    </Dialog>
  );
}

function focusField(field: Field) {
  // A chosen customer shows "Change" in place of the search box.
  (document.getElementById(fieldId(field)) ?? document.getElementById(`${fieldId(field)}-change`))?.focus();
}

function TicketForCustomerForm({
  initialCustomer,
  customerRef,
  titleRef,
  onBusyChange,
  onCancel,
  onCreated,
  attachments,
  attachmentsBlocked,
  draftKey,
}: {
  initialCustomer: UserBrief | null;
  customerRef: RefObject<HTMLInputElement | null>;
  titleRef: RefObject<HTMLInputElement | null>;
  onBusyChange: (busy: boolean) => void;
  onCancel: () => void;
  onCreated: NewTicketForCustomerDialogProps["onCreated"];
  attachments?: NewTicketForCustomerDialogProps["attachments"];
  attachmentsBlocked?: boolean;
  draftKey?: string;
}) {
  const create = useCreateTicketForCustomer();
  const initialValues: TicketForCustomerValues = {
    customer: initialCustomer,
    caller: false,
    customer_name: "",
    customer_email: "",
    title: "",
    category: "",
    priority: "medium",
    source: "phone",
    tags: "",
    message_as: "customer",
    message_text: "",
  };
  const form = useNewTicketForm({
    fields: FIELDS,
    initialValues,
    fieldId,
    // Send the agent to the first field that needs attention, also after the server refused one.
    focusField,
    focusServerErrors: true,
    validate: validateTicketForCustomer,
    mutation: create,
    toInput: (values) => ({
      ...(values.caller
        ? { customer_email: values.customer_email.trim(), customer_name: values.customer_name.trim() }
        : { customer: values.customer!.id }),
      message_as: values.message_as,
      title: values.title.trim(),
      category: values.category as TicketCategory,
      priority: values.priority,
      source: values.source,
      tags: parseTags(values.tags),
      message_text: values.message_text.trim(),
    }),
    onCreated,
    onBusyChange,
    attachmentsBlocked,
    draftKey,
  });
  const { values, busy } = form;
  const sourceField = form.field("source");
  const tagsField = form.field("tags");
  const tags = parseTags(values.tags);
  const note = values.message_as === "internal_note";
  const nameField = form.field("customer_name");
  const emailField = form.field("customer_email");

  return (
    <NewTicketForm
      form={form}
      onCancel={onCancel}
      titleRef={titleRef}
      titlePlaceholder="A short summary of the request"
      messageLabel="First message"
      messagePlaceholder={note ? "What the call was about, for your colleagues." : MESSAGE_PLACEHOLDER[values.source]}
      messageHint={
        note
          ? "Only staff see this note. The customer gets the confirmation email without it."
          : "The customer's words as you took them down: shown as theirs, marked as entered by you."
      }
      attachments={attachments}
      beforeTitle={
        values.caller ? (
          <fieldset className="caller-fields">
            <legend>New caller</legend>
            <TextField
              id={nameField.id}
              label="Name"
              autoComplete="off"
              value={nameField.value}
              onChange={(event) => nameField.onChange(event.target.value)}
              onBlur={form.blur("customer_name")}
              error={nameField.error}
              disabled={nameField.disabled}
            />
            <TextField
              id={emailField.id}
              label="Email"
              type="email"
              autoComplete="off"
              value={emailField.value}
              onChange={(event) => emailField.onChange(event.target.value)}
              onBlur={form.blur("customer_email")}
              error={emailField.error}
              disabled={emailField.disabled}
              hint="An account is made with this email (or the existing one is used); they can set a password to sign in."
            />
            <button type="button" className="btn btn-link" onClick={() => form.set("caller")(false)} disabled={busy}>
              Choose an existing customer instead
            </button>
          </fieldset>
        ) : (
          <>
            <CustomerPicker
              id={fieldId("customer")}
              inputRef={customerRef}
              value={values.customer}
              onChange={form.set("customer")}
              onBlur={() => form.touch("customer")}
              error={form.shown("customer")}
              disabled={busy}
            />
            {values.customer ? null : (
              <button type="button" className="btn btn-link" onClick={() => form.set("caller")(true)} disabled={busy}>
                New caller without an account
              </button>
            )}
          </>
        )
      }
      inRow={
        <SelectField
          id={sourceField.id}
          label="Source"
          value={sourceField.value}
          onChange={(event) => form.set("source")(event.target.value as TicketSource)}
          error={sourceField.error}
          disabled={sourceField.disabled}
        >
          {SOURCES.map((source) => (
            <option key={source} value={source}>
              {humanize(source)}
            </option>
          ))}
        </SelectField>
      }
      beforeMessage={
        <>
          <fieldset className="first-message-as">
            <legend>The first message is</legend>
            {FIRST_MESSAGE_CHOICES.map(([value, label]) => (
              <label key={value}>
                <input
                  type="radio"
                  name="first-message-as"
                  value={value}
                  checked={values.message_as === value}
                  onChange={() => form.set("message_as")(value)}
                  disabled={busy}
                />
                {label}
              </label>
            ))}
          </fieldset>
          <TextField
            id={tagsField.id}
            label="Tags"
            autoComplete="off"
            spellCheck={false}
            placeholder="e.g. refund, vip"
            value={tagsField.value}
            onChange={(event) => tagsField.onChange(event.target.value)}
            onBlur={form.blur("tags")}
            error={tagsField.error}
            disabled={tagsField.disabled}
            hint={
              <>
                Optional; separate tags with commas.
                {tags.length > 0 ? (
                  <>
                    {" "}
                    <span className="tag-preview">
                      Adds: <span className="visually-hidden">{tags.join(", ")}</span>
                      <span aria-hidden="true">
                        {tags.map((tag) => (
                          <span key={tag} className="tag">
                            {tag}
                          </span>
                        ))}
                      </span>
                    </span>
                </>
              ) : null}
            </>
          }
        />
        </>
      }
    />
  );
}
