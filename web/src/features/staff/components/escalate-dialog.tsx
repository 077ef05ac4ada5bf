import { useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { SelectField, TextAreaField } from "@/components/ui/field";
import { humanize } from "@/lib/format";
import { formErrorsFrom } from "@/lib/form-errors";
import { PRIORITIES, type TicketDetail, type TicketPriority } from "@/lib/types";
import { useEscalateTicket } from "@/features/staff/api/escalate-ticket";
import { tooLong } from "@/lib/ticket-checks";

const REASON_MAX = 1000;

/** Escalate with a reason; the priority goes one level up unless a higher one is chosen. */
export function EscalateDialog({ ticket, open, onClose }: { ticket: TicketDetail; open: boolean; onClose: () => void }) {
  return open ? <EscalateForm ticket={ticket} onClose={onClose} /> : null;
}

function EscalateForm({ ticket, onClose }: { ticket: TicketDetail; onClose: () => void }) {
  const escalate = useEscalateTicket(ticket.id);
  const [reason, setReason] = useState("");
  const [priority, setPriority] = useState<"" | TicketPriority>("");
  const [reasonError, setReasonError] = useState<string | undefined>();
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const rank = PRIORITIES.indexOf(ticket.priority);
  const higher = PRIORITIES.slice(rank + 1);
  const oneUp = PRIORITIES[Math.min(rank + 1, PRIORITIES.length - 1)]!;
  const errors = escalate.isError ? formErrorsFrom(escalate.error, ["reason", "priority"] as const) : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = reason.trim();
    if (!text) {
      setReasonError("Say why the ticket needs escalating.");
      reasonRef.current?.focus();
      return;
    }
    if (text.length > REASON_MAX) {
      setReasonError(tooLong("The reason", REASON_MAX, text.length));
      return;
    }
    setReasonError(undefined);
    escalate.mutate({ reason: text, ...(priority ? { priority } : {}) }, { onSuccess: onClose });
  };

  return (
    <Dialog
      open
      title="Escalate this ticket"
      onClose={onClose}
      locked={escalate.isPending}
      initialFocusRef={reasonRef}
      description="Escalation flags the ticket for senior staff, notifies the assignee and admins, and raises its priority."
    >
      <form className="dialog-form" onSubmit={submit} noValidate>
        <TextAreaField
          ref={reasonRef}
          label="Reason"
          required
          rows={4}
          value={reason}
          onChange={(event) => {
            setReason(event.target.value);
            setReasonError(undefined);
          }}
          error={reasonError ?? errors?.fields.reason}
          hint={`${reason.trim().length} / ${REASON_MAX}`}
        />
        <SelectField
          label="Priority"
          value={priority}
          onChange={(event) => setPriority(event.target.value as "" | TicketPriority)}
          error={errors?.fields.priority}
          hint="Escalation never lowers a priority."
        >
          <option value="">
            {ticket.priority === "urgent" ? "Keep urgent" : `One level up (${humanize(oneUp).toLowerCase()})`}
          </option>
          {higher.slice(1).map((option) => (
            <option key={option} value={option}>
              {humanize(option)}
            </option>
          ))}
        </SelectField>
        {errors?.form ? <Alert>{errors.form}</Alert> : null}
        <div className="dialog-actions">
          <Button onClick={onClose} disabled={escalate.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" busy={escalate.isPending}>
            {escalate.isPending ? "Escalating…" : "Escalate"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
