import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { errorMessage } from "@/lib/api-client";
import { formatBytes } from "@/lib/format";
import type { Attachment } from "@/lib/types";
import { downloadAttachment, useAttachmentObjectUrl } from "@/features/attachments/api/get-attachment-file";

function DownloadButton({ attachment, label }: { attachment: Attachment; label?: string }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  return (
    <span className="download">
      <Button
        variant="link"
        size="sm"
        busy={state.busy}
        onClick={async () => {
          setState({ busy: true, error: null });
          try {
            await downloadAttachment(attachment);
            setState({ busy: false, error: null });
          } catch (error) {
            setState({ busy: false, error: errorMessage(error) });
          }
        }}
      >
        {label ?? (
          <>
            <span className="visually-hidden">Download </span>
            {attachment.filename}
          </>
        )}
      </Button>
      <span className="attachment-size">{formatBytes(attachment.file_size)}</span>
      {state.error ? (
        <span className="field-error" role="alert">
          {state.error}
        </span>
      ) : null}
    </span>
  );
}

function ImageAttachment({ attachment }: { attachment: Attachment }) {
  const [previewing, setPreviewing] = useState(false);
  const image = useAttachmentObjectUrl(attachment, true);
  return (
    <li className="attachment attachment-image">
      <button
        type="button"
        className="thumb"
        onClick={() => setPreviewing(true)}
        aria-label={`Preview ${attachment.filename}`}
        disabled={!image.url}
      >
        {image.url ? (
          <img src={image.url} alt="" className="thumb-img" />
        ) : (
          <span className="thumb-placeholder">{image.error ? "Preview unavailable" : "Loading…"}</span>
        )}
      </button>
      <DownloadButton attachment={attachment} />
      <Dialog open={previewing} onClose={() => setPreviewing(false)} title={attachment.filename} size="lg">
        {image.url ? (
          <img src={image.url} alt={attachment.filename} className="preview-img" data-testid="image-preview" />
        ) : image.error ? (
          <Alert>{errorMessage(image.error)}</Alert>
        ) : null}
        <div className="dialog-actions">
          <DownloadButton attachment={attachment} label="Download" />
          <Button variant="primary" onClick={() => setPreviewing(false)}>
            Close
          </Button>
        </div>
      </Dialog>
    </li>
  );
}

/** A message's files: image thumbnails with a larger preview, and a download for every file. */
export function AttachmentList({ attachments }: { attachments: Attachment[] }) {
  if (attachments.length === 0) return null;
  return (
    <ul className="attachment-list" aria-label="Attachments">
      {attachments.map((attachment) =>
        attachment.is_image ? (
          <ImageAttachment key={attachment.id} attachment={attachment} />
        ) : (
          <li key={attachment.id} className="attachment attachment-file">
            <span className="file-icon" aria-hidden="true" />
            <DownloadButton attachment={attachment} />
          </li>
        ),
      )}
    </ul>
  );
}
