import { useId, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from "react";
import { Button } from "../../../components/ui/button";
import { MESSAGE_MAX_LENGTH, type Attachment } from "../../../lib/types";

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

export interface ComposerProps {
  onSend: (text: string, attachments: Attachment[]) => void;
  /** When set, the composer is disabled and this says why. */
  disabledReason?: ReactNode;
  attachments?: ComposerAttachments;
}

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

export function Composer({ onSend, disabledReason, attachments }: ComposerProps) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const id = useId();
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
      setError(`Keep the message under ${MESSAGE_MAX_LENGTH + 1} characters (it has ${value.length}).`);
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
    setText("");
    attachments?.clear();
    textRef.current?.focus();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit();
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
  const length = text.trim().length;

  return (
    <form className="composer" onSubmit={onSubmit} aria-label="Reply" noValidate>
      {disabledReason ? (
        <div id={reasonId} className="composer-disabled" role="status">
          {disabledReason}
        </div>
      ) : null}
      <label htmlFor={`${id}-text`} className="field-label">
        Your reply
      </label>
      <textarea
        ref={textRef}
        id={`${id}-text`}
        className="input textarea composer-text"
        rows={3}
        value={text}
        disabled={disabled}
        placeholder={disabled ? "" : "Write a reply…"}
        onChange={(event) => {
          setText(event.target.value);
          if (error) setError(null);
        }}
        onKeyDown={onKeyDown}
        aria-invalid={error ? true : undefined}
        aria-describedby={[disabled ? reasonId : "", error ? errorId : "", hintId].filter(Boolean).join(" ")}
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
          {waiting ? "Uploading…" : "Send"}
        </Button>
      </div>
    </form>
  );
}
