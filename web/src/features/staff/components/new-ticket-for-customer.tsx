import { useEffect, useRef, useState, type FormEvent, type ReactNode, type RefObject } from "react";
import {
  TicketCategoryField,
  TicketMessageField,
  TicketPriorityField,
  TicketTitleField,
} from "../../../components/ticket-fields";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Dialog } from "../../../components/ui/dialog";
import { SelectField, TextField } from "../../../components/ui/field";
import { formErrorsFrom } from "../../../lib/form-errors";
import { humanize } from "../../../lib/format";
import { messageProblem, titleProblem } from "../../../lib/ticket-checks";
import {
  SOURCES,
  type TicketCategory,
  type TicketDetail,
  type TicketPriority,
  type TicketSource,
  type UserBrief,
} from "../../../lib/types";
import { useCreateTicketForCustomer } from "../api/create-ticket-for-customer";
import { parseTags, tagsProblem } from "../lib/tags";
import "../staff.css";
import { CustomerPicker } from "./customer-picker";

const FIELDS = ["customer", "title", "category", "priority", "source", "tags", "message_text"] as const;
type Field = (typeof FIELDS)[number];

export interface TicketForCustomerValues {
  customer: UserBrief | null;
  title: string;
  category: TicketCategory | "";
  priority: TicketPriority;
  source: TicketSource;
  /** As typed: comma-separated. */
  tags: string;
  message_text: string;
}

const MESSAGE_PLACEHOLDER: Record<TicketSource, string> = {
  phone: "What the customer said on the call, and what they need.",
  email: "Paste the customer’s email, or sum it up.",
  web: "What the customer needs.",
  mobile: "What the customer needs.",
};

const fieldId = (field: Field) => `for-customer-${field}`;

export function validateTicketForCustomer(values: TicketForCustomerValues): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  if (!values.customer) errors.customer = "Choose the customer this ticket is for.";
  const title = titleProblem(values.title, "Give the ticket a title.");
  if (title) errors.title = title;
  if (!values.category) errors.category = "Choose a category.";
  const tags = tagsProblem(parseTags(values.tags));
  if (tags) errors.tags = tags;
  const message = messageProblem(values.message_text, "Write the first message: what the customer needs.");
  if (message) errors.message_text = message;
  return errors;
}

export interface NewTicketForCustomerDialogProps {
  open: boolean;
  onClose: () => void;
  /** Chosen in advance (from a ticket's customer panel); the agent may still change it. */
  customer?: UserBrief | null;
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

/**
 * Staff open a ticket on a customer's behalf, from a phone call or an email: who it is for,
 * what it is about, how it came in, tags, and the first message (shown to the customer as from
 * Support).
 */
export function NewTicketForCustomerDialog({
  open,
  onClose,
  customer = null,
  onCreated,
  attachments,
  attachmentsBlocked,
}: NewTicketForCustomerDialogProps) {
  const customerRef = useRef<HTMLInputElement>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="New ticket for a customer"
      description="For a customer who called or wrote in. They get the usual confirmation email and see your first message as from Support."
      initialFocusRef={customer ? titleRef : customerRef}
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
      />
    </Dialog>
  );
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
}: {
  initialCustomer: UserBrief | null;
  customerRef: RefObject<HTMLInputElement | null>;
  titleRef: RefObject<HTMLInputElement | null>;
  onBusyChange: (busy: boolean) => void;
  onCancel: () => void;
  onCreated: NewTicketForCustomerDialogProps["onCreated"];
  attachments?: ReactNode;
  attachmentsBlocked?: boolean;
}) {
  const create = useCreateTicketForCustomer();
  const [values, setValues] = useState<TicketForCustomerValues>({
    customer: initialCustomer,
    title: "",
    category: "",
    priority: "medium",
    source: "phone",
    tags: "",
    message_text: "",
  });
  const [submitted, setSubmitted] = useState(false);
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({});
  const [finishing, setFinishing] = useState(false);

  const clientErrors = validateTicketForCustomer(values);
  const server = create.error ? formErrorsFrom(create.error, FIELDS) : null;
  const shown = (field: Field) =>
    (submitted || touched[field] ? clientErrors[field] : undefined) ?? server?.fields[field];

  const set =
    <K extends keyof TicketForCustomerValues>(field: K) =>
    (value: TicketForCustomerValues[K]) =>
      setValues((current) => ({ ...current, [field]: value }));
  const setText = (field: Exclude<Field, "customer">) => (value: string) =>
    setValues((current) => ({ ...current, [field]: value }));
  // Leaving a field judges it only once something was written in it: an error appearing when
  // focus merely passes through would shift the form under the pointer heading for "Create".
  const blur = (field: Exclude<Field, "customer">) => () => {
    if (values[field] !== "") setTouched((current) => ({ ...current, [field]: true }));
  };

  const busy = create.isPending || finishing;
  useEffect(() => onBusyChange(busy), [busy, onBusyChange]);
  useEffect(() => () => onBusyChange(false), [onBusyChange]);

  const focusField = (field: Field) => {
    // A chosen customer shows "Change" in place of the search box.
    (document.getElementById(fieldId(field)) ?? document.getElementById(`${fieldId(field)}-change`))?.focus();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(clientErrors).length > 0 || attachmentsBlocked || busy) {
      // Send the agent to the first field that needs attention.
      const first = FIELDS.find((field) => clientErrors[field]);
      if (first) focusField(first);
      return;
    }
    create.mutate(
      {
        customer: values.customer!.id,
        title: values.title.trim(),
        category: values.category as TicketCategory,
        priority: values.priority,
        source: values.source,
        tags: parseTags(values.tags),
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
        onError: (error) => {
          const first = FIELDS.find((field) => formErrorsFrom(error, FIELDS).fields[field]);
          if (first) requestAnimationFrame(() => focusField(first));
        },
      },
    );
  };

  const tags = parseTags(values.tags);

  return (
    <form onSubmit={onSubmit} noValidate className="new-ticket-form" aria-busy={busy || undefined}>
      {server?.form ? <Alert>{server.form}</Alert> : null}
      {submitted && Object.keys(clientErrors).length > 0 ? (
        <p className="visually-hidden" role="alert">
          Some fields need attention.
        </p>
      ) : null}
      <CustomerPicker
        id={fieldId("customer")}
        inputRef={customerRef}
        value={values.customer}
        onChange={set("customer")}
        onBlur={() => setTouched((current) => ({ ...current, customer: true }))}
        error={shown("customer")}
        disabled={busy}
      />
      <TicketTitleField
        ref={titleRef}
        id={fieldId("title")}
        placeholder="A short summary of the request"
        value={values.title}
        onChange={setText("title")}
        onBlur={blur("title")}
        error={shown("title")}
        disabled={busy}
      />
      <div className="field-row">
        <TicketCategoryField
          id={fieldId("category")}
          value={values.category}
          onChange={setText("category")}
          onBlur={blur("category")}
          error={shown("category")}
          disabled={busy}
        />
        <TicketPriorityField
          id={fieldId("priority")}
          value={values.priority}
          onChange={setText("priority")}
          error={shown("priority")}
          disabled={busy}
        />
        <SelectField
          id={fieldId("source")}
          label="Source"
          value={values.source}
          onChange={(event) => set("source")(event.target.value as TicketSource)}
          error={shown("source")}
          disabled={busy}
        >
          {SOURCES.map((source) => (
            <option key={source} value={source}>
              {humanize(source)}
            </option>
          ))}
        </SelectField>
      </div>
      <TextField
        id={fieldId("tags")}
        label="Tags"
        autoComplete="off"
        spellCheck={false}
        placeholder="e.g. refund, vip"
        value={values.tags}
        onChange={(event) => setText("tags")(event.target.value)}
        onBlur={blur("tags")}
        error={shown("tags")}
        disabled={busy}
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
      <TicketMessageField
        id={fieldId("message_text")}
        label="First message"
        placeholder={MESSAGE_PLACEHOLDER[values.source]}
        hint="The customer sees this as a message from Support."
        value={values.message_text}
        onChange={setText("message_text")}
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
