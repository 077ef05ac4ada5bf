import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { apiBlob } from "@/lib/api-client";
import { attachmentKeys } from "@/lib/query-keys";
import { saveFile } from "@/lib/save-file";
import type { Attachment } from "@/lib/types";

/** The file's bytes, fetched with the bearer token (a plain link could not send it). */
export function getAttachmentFile(attachment: Attachment, inline: boolean, signal?: AbortSignal): Promise<Blob> {
  return apiBlob(attachment.download_url, { query: { inline: inline ? 1 : undefined }, signal });
}

/** An object URL for an image preview, revoked when no longer shown. */
export function useAttachmentObjectUrl(attachment: Attachment, enabled: boolean) {
  const file = useQuery({
    queryKey: attachmentKeys.blob(attachment.id, true),
    queryFn: ({ signal }) => getAttachmentFile(attachment, true, signal),
    enabled,
    staleTime: Infinity,
    gcTime: 5 * 60_000,
  });
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!file.data) return undefined;
    const objectUrl = URL.createObjectURL(file.data);
    setUrl(objectUrl);
    return () => {
      URL.revokeObjectURL(objectUrl);
      setUrl(null);
    };
  }, [file.data]);
  return { url, isLoading: file.isPending && enabled, error: file.error };
}

/** Save a file to the user's device under its original name. */
export async function downloadAttachment(attachment: Attachment): Promise<void> {
  saveFile(await getAttachmentFile(attachment, false), attachment.filename);
}
