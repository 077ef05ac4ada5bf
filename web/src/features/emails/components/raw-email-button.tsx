import { DownloadButton } from "@/components/download-button";
import type { InboundEmail } from "@/lib/types";
import { downloadRawEmail } from "@/features/emails/api/download-raw-email";

/** Download a mail as it arrived (.eml), saying so when that fails. */
export function RawEmailButton({ email, label }: { email: InboundEmail; label: string }) {
  return (
    <DownloadButton className="raw-email" download={() => downloadRawEmail(email)}>
      {label}
    </DownloadButton>
  );
}
