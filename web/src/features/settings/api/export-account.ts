import { useMutation } from "@tanstack/react-query";
import { apiBlob } from "@/lib/api-client";
import { saveFile } from "@/lib/save-file";

/** A name like support-desk-data-20260315.zip (the server's own choice, which a blob loses). */
export function exportFilename(now: Date = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `support-desk-data-${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}.zip`;
}

/** Fetch the archive of all the user's data with their token (never in a URL) and save it. */
export async function exportAccount(): Promise<void> {
  saveFile(await apiBlob("auth/me/export/"), exportFilename());
}

export function useExportAccount() {
  return useMutation({ mutationFn: exportAccount });
}
