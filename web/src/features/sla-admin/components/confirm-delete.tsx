import { useRef, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

export interface ConfirmDeleteProps {
  open: boolean;
  title: string;
  description: ReactNode;
  pending: boolean;
  /** Why the server refused, already worded for this thing (a 409 says what uses it). */
  error: ReactNode;
  onCancel: () => void;
  onConfirm: () => void;
}

/** "Delete …?": focus starts on the harmless answer; a refusal stays in the dialog. */
export function ConfirmDelete({ open, title, description, pending, error, onCancel, onConfirm }: ConfirmDeleteProps) {
  const keepRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      open={open}
      onClose={onCancel}
      title={title}
      role="alertdialog"
      size="sm"
      initialFocusRef={keepRef}
      locked={pending}
      description={description}
    >
      {error}
      <div className="dialog-actions">
        <Button ref={keepRef} onClick={onCancel} disabled={pending}>
          {error ? "Close" : "Keep it"}
        </Button>
        <Button variant="danger" onClick={onConfirm} busy={pending}>
          {pending ? "Deleting…" : "Delete"}
        </Button>
      </div>
    </Dialog>
  );
}

