import { apiUpload } from "@/lib/api-client";
import type { Attachment } from "@/lib/types";

export interface UploadAttachmentInput {
  ticketId: string;
  file: File;
  /** Link the file to one of the uploader's own messages on the ticket. */
  messageId?: string;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export function uploadAttachment({ ticketId, file, messageId, onProgress, signal }: UploadAttachmentInput) {
  const form = new FormData();
  form.append("file", file, file.name);
  if (messageId) form.append("message", messageId);
  return apiUpload<Attachment>(`support/tickets/${ticketId}/attachments/`, form, { onProgress, signal });
}
