import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DownloadButton } from "@/components/download-button";
import { Dialog } from "@/components/ui/dialog";
import { errorMessage } from "@/lib/api-client";
import { formatBytes } from "@/lib/format";
import type { Attachment } from "@/lib/types";
import { downloadAttachment, useAttachmentObjectUrl } from "@/features/attachments/api/get-attachment-file";

function AttachmentDownload({ attachment, label }: { attachment: Attachment; label?: string }) {
  return (
    <DownloadButton
      download={() => downloadAttachment(attachment)}
      after={<span className="attachment-size">{formatBytes(attachment.file_size)}</span>}
    >
      {label ?? (
        <>
          <span className="visually-hidden">Download </span>
          {attachment.filename}
        </>
      )}
    </DownloadButton>
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
      <AttachmentDownload attachment={attachment} />
      <Dialog open={previewing} onClose={() => setPreviewing(false)} title={attachment.filename} size="lg">
        {image.url ? (
          <img src={image.url} alt={attachment.filename} className="preview-img" data-testid="image-preview" />
        ) : image.error ? (
          <Alert>{errorMessage(image.error)}</Alert>
        ) : null}
        <div className="dialog-actions">
          <AttachmentDownload attachment={attachment} label="Download" />
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
            <AttachmentDownload attachment={attachment} />
          </li>
        ),
      )}
    </ul>
  );
}
