import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/api-client";
import { useExportAccount } from "@/features/settings/api/export-account";

/** Download everything the user has here as one archive. */
export function DataExport() {
  const exporting = useExportAccount();
  const [started, setStarted] = useState(false);
  return (
    <div className="settings-form">
      <p>
        A zip archive with your profile, your tickets and their messages, the files you shared and your
        notifications.
      </p>
      {exporting.isError ? <Alert>{errorMessage(exporting.error)}</Alert> : null}
      <div>
        <Button
          busy={exporting.isPending}
          onClick={() => {
            setStarted(false);
            exporting.mutate(undefined, { onSuccess: () => setStarted(true) });
          }}
        >
          {exporting.isPending ? "Preparing your archive…" : "Download my data"}
        </Button>
      </div>
      <p className="settings-saved" role="status">
        {started ? "Your download has started." : ""}
      </p>
    </div>
  );
}
