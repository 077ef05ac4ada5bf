import { useRef, useState } from "react";
import {
  NewTicketForm,
  useNewTicketForm,
  type FieldProblems,
  type NewTicketDialogBaseProps,
  type NewTicketValues,
} from "@/components/new-ticket-form";
import { Dialog } from "@/components/ui/dialog";
import { messageProblem, titleProblem } from "@/lib/ticket-checks";
import type { TicketCategory } from "@/lib/types";
import { useCreateTicket } from "@/features/tickets/api/create-ticket";

const FIELDS = ["title", "category", "priority", "message_text"] as const;
type Values = NewTicketValues;

const EMPTY: Values = { title: "", category: "", priority: "medium", message_text: "" };

export function validateNewTicket(values: Values): FieldProblems<Values> {
  const errors: FieldProblems<Values> = {};
  const title = titleProblem(values.title, "Give your ticket a title.");
  if (title) errors.title = title;
  if (!values.category) errors.category = "Choose a category.";
  const message = messageProblem(values.message_text, "Describe the problem.");
  if (message) errors.message_text = message;
  return errors;
}

export type NewTicketDialogProps = NewTicketDialogBaseProps;

export function NewTicketDialog({
  open,
  onClose,
  onCreated,
  attachments,
  attachmentsBlocked,
  draftKey,
}: NewTicketDialogProps) {
  const titleRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog open={open} onClose={onClose} title="New ticket" initialFocusRef={titleRef} size="lg" locked={busy}>
      <TicketForm
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

function TicketForm({
  titleRef,
  onBusyChange,
  onCancel,
  onCreated,
  attachments,
  attachmentsBlocked,
  draftKey,
}: {
  titleRef: React.RefObject<HTMLInputElement | null>;
  onBusyChange: (busy: boolean) => void;
  onCancel: () => void;
  onCreated: NewTicketDialogProps["onCreated"];
  attachments?: NewTicketDialogProps["attachments"];
  attachmentsBlocked?: boolean;
  draftKey?: string;
}) {
  const create = useCreateTicket();
  const form = useNewTicketForm({
    fields: FIELDS,
    initialValues: EMPTY,
    fieldId: (field) => `new-ticket-${field}`,
    validate: validateNewTicket,
    mutation: create,
    toInput: (values) => ({
      title: values.title.trim(),
      category: values.category as TicketCategory,
      priority: values.priority,
      message_text: values.message_text.trim(),
    }),
    onCreated,
    onBusyChange,
    attachmentsBlocked,
    draftKey,
  });

  return (
    <NewTicketForm
      form={form}
      onCancel={onCancel}
      titleRef={titleRef}
      titlePlaceholder="A short summary of the problem"
      messagePlaceholder="What happened, and what did you expect?"
      attachments={attachments}
    />
  );
}
