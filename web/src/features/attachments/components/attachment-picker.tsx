import { useId, useRef } from "react";
import { Button } from "@/components/ui/button";
import { formatBytes } from "@/lib/format";
import type { AttachmentQueue, QueueItem } from "@/features/attachments/hooks/use-attachment-queue";
import { ACCEPT, ALLOWED_DESCRIPTION, MAX_FILE_BYTES } from "@/features/attachments/lib/validate-file";

function statusText(item: QueueItem): string {
  switch (item.status) {
    case "queued":
      return "Ready to upload";
    case "uploading":
      return `Uploading… ${Math.round(item.progress * 100)}%`;
    case "done":
      return "Uploaded";
    case "failed":
      return `Upload failed: ${item.error ?? "please try again."}`;
    case "rejected":
      return item.error ?? "This file cannot be attached.";
  }
}

function QueueRow({ item, queue, disabled }: { item: QueueItem; queue: AttachmentQueue; disabled: boolean }) {
  const problem = item.status === "failed" || item.status === "rejected";
  const statusId = `${item.key}-status`;
  return (
    <li className={`upload-row${problem ? " upload-row-problem" : ""}`}>
      <div className="upload-info">
        <span className="upload-name">{item.file.name}</span>
        <span className="upload-size">{formatBytes(item.file.size)}</span>
      </div>
      {item.status === "uploading" || item.status === "done" ? (
        <progress
          className="upload-progress"
          max={100}
          value={Math.round(item.progress * 100)}
          aria-label={`Upload progress for ${item.file.name}`}
          aria-describedby={statusId}
        />
      ) : null}
      <p
        id={statusId}
        className={problem ? "upload-status upload-status-error" : "upload-status"}
        role={problem ? "alert" : undefined}
      >
        {statusText(item)}
      </p>
      <div className="upload-actions">
        {item.status === "failed" && item.retryable ? (
          <Button size="sm" onClick={() => queue.retry(item.key)} disabled={disabled}>
            Retry<span className="visually-hidden"> {item.file.name}</span>
          </Button>
        ) : null}
        <Button size="sm" variant="ghost" onClick={() => queue.remove(item.key)} disabled={disabled}>
          Remove<span className="visually-hidden"> {item.file.name}</span>
        </Button>
      </div>
    </li>
  );
}

/** The "Attach files" button (with its hidden file input). */
export function AttachmentButton({ queue, disabled = false }: { queue: AttachmentQueue; disabled?: boolean }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const hintId = useId();
  return (
    <span className="attachment-button">
      <input
        ref={inputRef}
        className="visually-hidden"
        type="file"
        multiple
        accept={ACCEPT}
        tabIndex={-1}
        aria-hidden="true"
        data-testid="attachment-input"
        onChange={(event) => {
          if (event.target.files) queue.add(Array.from(event.target.files));
          event.target.value = ""; // picking the same file again still fires
        }}
      />
      <Button size="sm" onClick={() => inputRef.current?.click()} disabled={disabled} aria-describedby={hintId}>
        <span aria-hidden="true" className="icon-clip" />
        Attach files
      </Button>
      <span id={hintId} className="field-hint attachment-hint">
        Up to {formatBytes(MAX_FILE_BYTES)} each: {ALLOWED_DESCRIPTION}.
      </span>
    </span>
  );
}

/** The picked files, each with its check result, upload progress and actions. */
export function UploadList({ queue, disabled = false }: { queue: AttachmentQueue; disabled?: boolean }) {
  if (queue.items.length === 0) return null;
  return (
    <ul className="upload-list" aria-label="Files to attach">
      {queue.items.map((item) => (
        <QueueRow key={item.key} item={item} queue={queue} disabled={disabled} />
      ))}
    </ul>
  );
}

/** "Attach files" and the picked files below it. */
export function AttachmentPicker({ queue, disabled = false }: { queue: AttachmentQueue; disabled?: boolean }) {
  return (
    <div className="attachment-picker">
      <AttachmentButton queue={queue} disabled={disabled} />
      <UploadList queue={queue} disabled={disabled} />
    </div>
  );
}
