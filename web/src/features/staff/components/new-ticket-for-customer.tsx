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
import { useCreateTicketForCustomer } from "@/features/staff/api/create-ticket-for-customer";
import { parseTags, tagsProblem } from "@/features/staff/lib/tags";
import "@/features/staff/staff.css";
import { CustomerPicker } from "./customer-picker";

const FIELDS = ["customer", "title", "category", "priority", "source", "tags", "message_text"] as const;
type Field = (typeof FIELDS)[number];

export interface TicketForCustomerValues extends NewTicketValues {
  customer: UserBrief | null;
  source: TicketSource;
  /** As typed: comma-separated. */
  tags: string;
}

const MESSAGE_PLACEHOLDER: Record<TicketSource, string> = {
  phone: "What the customer said on the call, and what they need.",
  email: "Paste the customer’s email, or sum it up.",
  web: "What the customer needs.",
  mobile: "What the customer needs.",
};

const fieldId = (field: Field) => `for-customer-${field}`;

export function validateTicketForCustomer(values: TicketForCustomerValues): FieldProblems<TicketForCustomerValues> {
  const errors: FieldProblems<TicketForCustomerValues> = {};
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

export interface NewTicketForCustomerDialogProps extends NewTicketDialogBaseProps {
  /** Chosen in advance (from a ticket's customer panel); the agent may still change it. */
  customer?: UserBrief | null;
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
      description="For a customer who called or wrote in. They get the usual confirmation email and see your first message as from Support."
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
    title: "",
    category: "",
    priority: "medium",
    source: "phone",
    tags: "",
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
      customer: values.customer!.id,
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

  return (
    <NewTicketForm
      form={form}
      onCancel={onCancel}
      titleRef={titleRef}
      titlePlaceholder="A short summary of the request"
      messageLabel="First message"
      messagePlaceholder={MESSAGE_PLACEHOLDER[values.source]}
      messageHint="The customer sees this as a message from Support."
      attachments={attachments}
      beforeTitle={
        <CustomerPicker
          id={fieldId("customer")}
          inputRef={customerRef}
          value={values.customer}
          onChange={form.set("customer")}
          onBlur={() => form.touch("customer")}
          error={form.shown("customer")}
          disabled={busy}
        />
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
      }
    />
  );
}
