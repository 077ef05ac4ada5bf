import { apiDownload } from "@/lib/api-client";
import type { InboundEmail } from "@/lib/types";
import { saveFile } from "@/lib/save-file";

/** Save the original mail (an `.eml`), fetched with the bearer token, under the server's name for it. */
export async function downloadRawEmail(email: InboundEmail): Promise<void> {
  const { blob, filename } = await apiDownload(email.raw_url);
  saveFile(blob, filename ?? `email-${email.id}.eml`);
}
