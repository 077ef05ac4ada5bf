/**
 * "Discard this draft?": closing a form keeps what was written (lib/drafts), so throwing it away
 * is an explicit choice, confirmed here. Focus starts on "Keep editing", the harmless answer.
 */
import { useRef, type ReactNode } from "react";
import { Button } from "./ui/button";
import { Dialog } from "./ui/dialog";

export interface DiscardDraftDialogProps {
  open: boolean;
  onKeep: () => void;
  onDiscard: () => void;
  description?: ReactNode;
}

export function DiscardDraftDialog({
  open,
  onKeep,
  onDiscard,
  description = "What you wrote will be deleted.",
}: DiscardDraftDialogProps) {
  const keepRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      open={open}
      onClose={onKeep}
      title="Discard this draft?"
      role="alertdialog"
      size="sm"
      initialFocusRef={keepRef}
      description={description}
    >
      <div className="dialog-actions">
        <Button ref={keepRef} onClick={onKeep}>
          Keep editing
        </Button>
        <Button variant="danger" onClick={onDiscard}>
          Discard
        </Button>
      </div>
    </Dialog>
  );
}
