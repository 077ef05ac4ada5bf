import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { errorMessage, isApiError } from "@/lib/api-client";
import type { Attachment } from "@/lib/types";
import { deleteAttachment } from "@/features/attachments/api/delete-attachment";
import { uploadAttachment } from "@/features/attachments/api/upload-attachment";
import { MAX_FILES_PER_MESSAGE, checkFile } from "@/features/attachments/lib/validate-file";

export type QueueStatus = "rejected" | "queued" | "uploading" | "done" | "failed";

export interface QueueItem {
  key: string;
  file: File;
  status: QueueStatus;
  /** 0..1 while uploading. */
  progress: number;
  error?: string;
  /** A failed upload that trying again could fix (the network, the server, a rate limit). */
  retryable?: boolean;
  attachment?: Attachment;
}

export interface UploadOutcome {
  uploaded: Attachment[];
  failed: { name: string; error: string }[];
}

export interface AttachmentQueue {
  items: QueueItem[];
  add: (files: Iterable<File>) => void;
  remove: (key: string) => void;
  retry: (key: string) => void;
  clear: () => void;
  /** Upload every waiting file to a ticket (optionally linking them to a message). */
  uploadAll: (ticketId: string, messageId?: string) => Promise<UploadOutcome>;
  /** Uploaded files, in the order picked. */
  ready: Attachment[];
  /** Some file is still uploading. */
  busy: boolean;
  /** Some file was refused or failed: the user must remove or retry it first. */
  blocked: boolean;
}

let nextKey = 0;

/**
 * Whether sending the same file again could succeed: not when the server refused the file
 * itself (its type or size) or the request (the session, permissions); yes when the network
 * failed, the server had a problem, or it asked to slow down.
 */
export function isRetryableUploadError(error: unknown): boolean {
  if (!isApiError(error)) return true;
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

/**
 * Files picked for a ticket or a message, each checked on the client and then uploaded with
 * its own progress. With `ticketId`, files upload as soon as they are picked (replies); without
 * it they wait for `uploadAll` (a new ticket, whose id is not known yet).
 */
export function useAttachmentQueue(options: { ticketId?: string } = {}): AttachmentQueue {
  const { ticketId } = options;
  const [items, setItems] = useState<QueueItem[]>([]);
  const itemsRef = useRef(items);
  itemsRef.current = items;
  const controllers = useRef(new Map<string, AbortController>());

  const patch = useCallback((key: string, change: Partial<QueueItem>) => {
    setItems((current) => current.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }, []);

  const upload = useCallback(
    async (item: QueueItem, target: string, messageId?: string): Promise<Attachment | null> => {
      const controller = new AbortController();
      controllers.current.set(item.key, controller);
      patch(item.key, { status: "uploading", progress: 0, error: undefined, retryable: undefined });
      try {
        const attachment = await uploadAttachment({
          ticketId: target,
          file: item.file,
          messageId,
          signal: controller.signal,
          onProgress: (fraction) => patch(item.key, { progress: fraction }),
        });
        patch(item.key, { status: "done", progress: 1, attachment });
        return attachment;
      } catch (error) {
        if (error instanceof DOMException && error.name === "AbortError") return null;
        patch(item.key, { status: "failed", error: errorMessage(error), retryable: isRetryableUploadError(error) });
        throw error;
      } finally {
        controllers.current.delete(item.key);
      }
    },
    [patch],
  );

  const add = useCallback(
    (files: Iterable<File>) => {
      const accepted = itemsRef.current.filter((item) => item.status !== "rejected").length;
      let room = MAX_FILES_PER_MESSAGE - accepted;
      const added: QueueItem[] = [];
      for (const file of files) {
        const problem = checkFile(file) ?? (room <= 0 ? `At most ${MAX_FILES_PER_MESSAGE} files at a time.` : null);
        if (!problem) room -= 1;
        added.push({
          key: `file-${(nextKey += 1)}`,
          file,
          status: problem ? "rejected" : "queued",
          progress: 0,
          error: problem ?? undefined,
        });
      }
      setItems((current) => [...current, ...added]);
      if (ticketId) {
        for (const item of added) {
          if (item.status === "queued") upload(item, ticketId).catch(() => undefined);
        }
      }
    },
    [ticketId, upload],
  );

  const remove = useCallback((key: string) => {
    controllers.current.get(key)?.abort();
    // Already on the server but not sent with a message: remove it there too. If that fails,
    // the server's hourly purge of abandoned uploads takes it.
    const uploaded = itemsRef.current.find((item) => item.key === key)?.attachment;
    if (uploaded && !uploaded.message) deleteAttachment(uploaded.id).catch(() => undefined);
    setItems((current) => current.filter((item) => item.key !== key));
  }, []);

  const retry = useCallback(
    (key: string) => {
      const item = itemsRef.current.find((candidate) => candidate.key === key);
      if (!item || item.status !== "failed" || !item.retryable) return;
      if (ticketId) upload(item, ticketId).catch(() => undefined);
      else patch(key, { status: "queued", error: undefined, retryable: undefined, progress: 0 });
    },
    [patch, ticketId, upload],
  );

  const clear = useCallback(() => {
    controllers.current.forEach((controller) => controller.abort());
    controllers.current.clear();
    setItems([]);
  }, []);

  const uploadAll = useCallback(
    async (target: string, messageId?: string): Promise<UploadOutcome> => {
      const outcome: UploadOutcome = { uploaded: [], failed: [] };
      // One at a time: each gets the full connection, and the progress reads in order.
      for (const item of itemsRef.current) {
        if (item.status !== "queued" && item.status !== "failed") continue;
        try {
          const attachment = await upload(item, target, messageId);
          if (attachment) outcome.uploaded.push(attachment);
        } catch (error) {
          outcome.failed.push({ name: item.file.name, error: errorMessage(error) });
        }
      }
      return outcome;
    },
    [upload],
  );

  useEffect(() => {
    const active = controllers.current;
    return () => active.forEach((controller) => controller.abort());
  }, []);

  const ready = useMemo(
    () => items.filter((item) => item.status === "done" && item.attachment).map((item) => item.attachment!),
    [items],
  );
  const busy = items.some((item) => item.status === "uploading");
  const blocked = items.some((item) => item.status === "rejected" || item.status === "failed");

  return { items, add, remove, retry, clear, uploadAll, ready, busy, blocked };
}
