import type { ReactNode } from "react";

/** A message box; `role="alert"` for errors so screen readers hear them at once. */
export function Alert({
  tone = "error",
  title,
  children,
  action,
}: {
  tone?: "error" | "info" | "warning" | "success";
  title?: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className={`alert alert-${tone}`} role={tone === "error" ? "alert" : "status"}>
      <div className="alert-body">
        {title ? <p className="alert-title">{title}</p> : null}
        {children ? <div>{children}</div> : null}
      </div>
      {action ? <div className="alert-action">{action}</div> : null}
    </div>
  );
}
