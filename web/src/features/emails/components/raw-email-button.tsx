import { useState } from "react";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/api-client";
import type { InboundEmail } from "@/lib/types";
import { downloadRawEmail } from "@/features/emails/api/download-raw-email";

/** Download a mail as it arrived (.eml), saying so when that fails. */
export function RawEmailButton({ email, label }: { email: InboundEmail; label: string }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  return (
    <span className="download raw-email">
      <Button
        variant="link"
        size="sm"
        busy={state.busy}
        onClick={async () => {
          setState({ busy: true, error: null });
          try {
            await downloadRawEmail(email);
            setState({ busy: false, error: null });
          } catch (error) {
            setState({ busy: false, error: errorMessage(error) });
          }
        }}
      >
        {label}
      </Button>
      {state.error ? (
        <span className="field-error" role="alert">
          {state.error}
        </span>
      ) : null}
    </span>
  );
}
