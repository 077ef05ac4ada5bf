/**
 * The fields every "new ticket" form shares (the customer's and the staff's): title, category,
 * priority and the first message with its length counter, with SPEC's limits and vocabulary.
 */
import { forwardRef, type ReactNode } from "react";
import { humanize } from "@/lib/format";
import { CATEGORIES, MESSAGE_MAX_LENGTH, PRIORITIES, TITLE_MAX_LENGTH } from "@/lib/types";
import { SelectField, TextAreaField, TextField } from "./ui/field";

export interface TicketFieldProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  error?: string;
  disabled?: boolean;
}

export const TicketTitleField = forwardRef<HTMLInputElement, TicketFieldProps & { placeholder?: string }>(
  function TicketTitleField({ onChange, ...rest }, ref) {
    return (
      <TextField
        ref={ref}
        label="Title"
        required
        // Room to paste a longer title and be told, rather than have it cut silently.
        maxLength={TITLE_MAX_LENGTH + 20}
        onChange={(event) => onChange(event.target.value)}
        {...rest}
      />
    );
  },
);

export function TicketCategoryField({ onChange, ...rest }: TicketFieldProps) {
  return (
    <SelectField label="Category" required onChange={(event) => onChange(event.target.value)} {...rest}>
      <option value="">Choose a category…</option>
      {CATEGORIES.map((category) => (
        <option key={category} value={category}>
          {humanize(category)}
        </option>
      ))}
    </SelectField>
  );
}

export function TicketPriorityField({ onChange, ...rest }: TicketFieldProps) {
  return (
    <SelectField label="Priority" onChange={(event) => onChange(event.target.value)} {...rest}>
      {PRIORITIES.map((priority) => (
        <option key={priority} value={priority}>
          {humanize(priority)}
        </option>
      ))}
    </SelectField>
  );
}

export const TicketMessageField = forwardRef<
  HTMLTextAreaElement,
  TicketFieldProps & { label?: string; placeholder?: string; hint?: ReactNode; rows?: number }
>(function TicketMessageField({ label = "Message", hint, rows = 6, onChange, value, ...rest }, ref) {
  const counter = `${value.trim().length} / ${MESSAGE_MAX_LENGTH} characters`;
  return (
    <TextAreaField
      ref={ref}
      label={label}
      required
      rows={rows}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      hint={
        hint ? (
          <>
            {hint} {counter}
          </>
        ) : (
          counter
        )
      }
      {...rest}
    />
  );
});
