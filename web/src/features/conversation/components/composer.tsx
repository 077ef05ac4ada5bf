import {
  useEffect,
  useId,
  useImperativeHandle,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
  type Ref,
} from "react";
import { DiscardDraftDialog } from "@/components/discard-draft-dialog";
import { Button } from "@/components/ui/button";
import { readDraft, saveDraft } from "@/lib/drafts";
import { tooLong } from "@/lib/ticket-checks";
import { MESSAGE_MAX_LENGTH, type Attachment } from "@/lib/types";

/** What the composer needs from an attachment picker (composed in by the page). */
export interface ComposerAttachments {
  /** The control that picks files. */
  button: ReactNode;
  /** The picked files with their progress. */
  list: ReactNode;
  ready: Attachment[];
  busy: boolean;
  blocked: boolean;
  clear: () => void;
}

/** What a page may do to the composer from outside (the staff workspace inserts canned responses). */
export interface ComposerHandle {
  /** Put text into the draft at the cursor (at the end if it never had focus) and focus the box. */
  insert: (text: string) => void;
}

export interface ComposerProps {
  onSend: (text: string, attachments: Attachment[]) => void;
  /** When set, the composer is disabled and this says why. */
  disabledReason?: ReactNode;
  attachments?: ComposerAttachments;
  /** "note": a staff-only internal note, labelled and coloured as one, instead of a reply. */
  mode?: "reply" | "note";
  /** Extra controls above the text box (the staff workspace's note toggle and canned responses). */
  tools?: ReactNode;
  handle?: Ref<ComposerHandle>;
  /**
   * Where the unsent text is kept (lib/drafts): it survives leaving the page and reloading, and
   * a different key (another ticket, or the other mode) brings back that key's own draft.
   */
  draftKey?: string;
}

function storedText(key: string | undefined): string {
  const stored = key ? readDraft(key) : null;
  return typeof stored === "string" ? stored : "";
}

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

export function Composer({
  onSend,
  disabledReason,
  attachments,
  mode = "reply",
  tools,
  handle,
  draftKey,
}: ComposerProps) {
  const [text, setText] = useState(() => storedText(draftKey));
  const [textKey, setTextKey] = useState(draftKey);
  const [error, setError] = useState<string | null>(null);
  const [confirmingDiscard, setConfirmingDiscard] = useState(false);
  // Set on send: the box empties, but the draft stays stored until the server accepts the
  // message (the conversation forgets it then), so a failed send survives a reload.
  const justSent = useRef(false);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const caret = useRef<number | null>(null);
  const id = useId();
  const note = mode === "note";

  if (textKey !== draftKey) {
    // Another draft (the staff switched between reply and note): show that one.
    setTextKey(draftKey);
    setText(storedText(draftKey));
    setError(null);
  }

  useEffect(() => {
    if (justSent.current) {
      justSent.current = false;
      return;
    }
    if (draftKey) saveDraft(draftKey, text.trim() ? text : null);
  }, [text, draftKey]);

  useImperativeHandle(
    handle,
    () => ({
      insert: (snippet: string) => {
        const box = textRef.current;
        setText((current) => {
          const start = box ? Math.min(box.selectionStart, current.length) : current.length;
          const end = box ? Math.min(box.selectionEnd, current.length) : current.length;
          const before = current.slice(0, start);
          const glue = before && !/\s$/.test(before) ? " " : "";
          caret.current = before.length + glue.length + snippet.length;
          return `${before}${glue}${snippet}${current.slice(end)}`;
        });
        setError(null);
      },
    }),
    [],
  );

  // After an insertion (or a discard), focus the box with the cursor after the inserted text. A
  // passive effect, so it runs after a closing dialog has handed focus back to its opener.
  useEffect(() => {
    const box = textRef.current;
    if (caret.current === null || !box) return;
    box.focus();
    box.setSelectionRange(caret.current, caret.current);
    caret.current = null;
  }, [text]);
  const disabled = Boolean(disabledReason);
  const waiting = attachments?.busy ?? false;
  const blocked = attachments?.blocked ?? false;

  const submit = () => {
    if (disabled) return;
    const value = text.trim();
    if (!value) {
      setError("Write a message first.");
      textRef.current?.focus();
      return;
    }
    if (value.length > MESSAGE_MAX_LENGTH) {
      setError(tooLong("The message", MESSAGE_MAX_LENGTH, value.length));
      return;
    }
    if (waiting) {
      setError("Wait for the files to finish uploading.");
      return;
    }
    if (blocked) {
      setError("Remove or retry the files that could not be uploaded.");
      return;
    }
    setError(null);
    onSend(value, attachments?.ready ?? []);
    justSent.current = true;
    setText("");
    attachments?.clear();
    textRef.current?.focus();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit();
  };

  const discard = () => {
    setConfirmingDiscard(false);
    // Focus the emptied box once the question has gone (its opener goes with the text).
    caret.current = 0;
    setText("");
    setError(null);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  };

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const reasonId = `${id}-reason`;
  const noteId = `${id}-note`;
  const length = text.trim().length;

  return (
    <form
      className={`composer${note ? " composer-note" : ""}`}
      onSubmit={onSubmit}
      aria-label={note ? "Write an internal note" : "Reply"}
      noValidate
    >
      {tools ? <div className="composer-tools">{tools}</div> : null}
      {disabledReason ? (
        <div id={reasonId} className="composer-disabled" role="status">
          {disabledReason}
        </div>
      ) : null}
      {note ? (
        <p id={noteId} className="composer-note-banner">
          Internal note: only staff will see it, and the customer is not notified.
        </p>
      ) : null}
      <div className="composer-label-row">
        <label htmlFor={`${id}-text`} className="field-label">
          {note ? "Note for staff" : "Your reply"}
        </label>
        {text.trim() ? (
          <Button size="sm" variant="ghost" onClick={() => setConfirmingDiscard(true)}>
            Discard draft
          </Button>
        ) : null}
      </div>
      <textarea
        ref={textRef}
        id={`${id}-text`}
        className="input textarea composer-text"
        rows={3}
        value={text}
        disabled={disabled}
        placeholder={disabled ? "" : note ? "Write a note for your colleagues…" : "Write a reply…"}
        onChange={(event) => {
          setText(event.target.value);
          if (error) setError(null);
        }}
        onKeyDown={onKeyDown}
        aria-invalid={error ? true : undefined}
        aria-describedby={[disabled ? reasonId : "", note ? noteId : "", error ? errorId : "", hintId]
          .filter(Boolean)
          .join(" ")}
      />
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {attachments && !disabled ? attachments.list : null}
      <div className="composer-bar">
        {attachments && !disabled ? attachments.button : null}
        <span id={hintId} className="field-hint composer-hint">
          {isMac ? "⌘" : "Ctrl"}+Enter to send
          {length > MESSAGE_MAX_LENGTH * 0.9 ? ` · ${length} / ${MESSAGE_MAX_LENGTH}` : ""}
        </span>
        <Button type="submit" variant="primary" disabled={disabled}>
          {waiting ? "Uploading…" : note ? "Add note" : "Send"}
        </Button>
      </div>
      <DiscardDraftDialog
        open={confirmingDiscard}
        onKeep={() => setConfirmingDiscard(false)}
        onDiscard={discard}
        description={note ? "The note you were writing will be deleted." : "The reply you were writing will be deleted."}
      />
    </form>
  );
}
