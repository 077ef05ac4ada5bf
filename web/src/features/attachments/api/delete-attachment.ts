import { api } from "@/lib/api-client";

/** Remove one of the user's own uploads that no sent message carries yet. */
export function deleteAttachment(attachmentId: string): Promise<null> {
  return api.delete(`support/attachments/${encodeURIComponent(attachmentId)}/`);
}
