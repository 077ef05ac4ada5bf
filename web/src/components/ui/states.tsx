import type { ReactNode } from "react";
import { Button } from "./button";

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-text">{children}</div> : null}
      {action}
    </div>
  );
}

export function ErrorState({
  title,
  message,
  onRetry,
  retrying = false,
}: {
  title: string;
  message: string;
  onRetry?: () => void;
  retrying?: boolean;
}) {
  return (
    <div className="error-state" role="alert">
      <p className="empty-title">{title}</p>
      <p className="empty-text">{message}</p>
      {onRetry ? (
        <Button variant="primary" onClick={onRetry} busy={retrying}>
          {retrying ? "Retrying…" : "Try again"}
        </Button>
      ) : null}
    </div>
  );
}
