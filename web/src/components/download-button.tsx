import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/api-client";

/** A link-style button that fetches a file (with the session's token) and saves it, busy while
 * it does and saying so when it fails. `after` follows the button (a file's size, say). */
export function DownloadButton({
  download,
  className,
  children,
  after,
}: {
  download: () => Promise<void>;
  className?: string;
  children: ReactNode;
  after?: ReactNode;
}) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  return (
    <span className={className ? `download ${className}` : "download"}>
      <Button
        variant="link"
        size="sm"
        busy={state.busy}
        onClick={async () => {
          setState({ busy: true, error: null });
          try {
            await download();
            setState({ busy: false, error: null });
          } catch (error) {
            setState({ busy: false, error: errorMessage(error) });
          }
        }}
      >
        {children}
      </Button>
      {after}
      {state.error ? (
        <span className="field-error" role="alert">
          {state.error}
        </span>
      ) : null}
    </span>
  );
}
