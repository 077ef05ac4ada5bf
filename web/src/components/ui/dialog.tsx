import { useEffect, useId, useRef, type ReactNode, type RefObject } from "react";
import { createPortal } from "react-dom";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

// Open dialogs, innermost last: only the top one answers Escape and keeps focus.
const stack: HTMLElement[] = [];

function focusables(container: HTMLElement): HTMLElement[] {
  return Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (element) => !element.hasAttribute("inert") && element.getAttribute("aria-hidden") !== "true",
  );
}

export interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  description?: ReactNode;
  /** Where focus goes on open; the first focusable control otherwise. */
  initialFocusRef?: RefObject<HTMLElement | null>;
  /** While true (e.g. a request is in flight) Escape and the backdrop do not close it. */
  locked?: boolean;
  size?: "sm" | "md" | "lg";
  role?: "dialog" | "alertdialog";
}

/**
 * A modal dialog: focus moves in and is trapped there, Escape closes it, the page behind is
 * inert, and focus returns to whatever opened it.
 */
export function Dialog(props: DialogProps) {
  if (!props.open) return null;
  return createPortal(<DialogPanel {...props} />, document.body);
}

function DialogPanel({
  title,
  onClose,
  children,
  description,
  initialFocusRef,
  locked = false,
  size = "md",
  role = "dialog",
}: DialogProps) {
  const panelRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const closeRef = useRef(onClose);
  const lockedRef = useRef(locked);
  closeRef.current = onClose;
  lockedRef.current = locked;

  useEffect(() => {
    const panel = panelRef.current;
    if (!panel) return undefined;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    stack.push(panel);
    const appRoot = document.getElementById("root");
    const wasInert = appRoot?.hasAttribute("inert") ?? false;
    appRoot?.setAttribute("inert", "");
    const target = initialFocusRef?.current ?? focusables(panel)[0] ?? panel;
    target.focus();

    const onFocusIn = (event: FocusEvent) => {
      if (stack[stack.length - 1] !== panel) return;
      if (event.target instanceof Node && !panel.contains(event.target)) {
        (focusables(panel)[0] ?? panel).focus();
      }
    };
    document.addEventListener("focusin", onFocusIn);
    return () => {
      document.removeEventListener("focusin", onFocusIn);
      stack.splice(stack.indexOf(panel), 1);
      if (!wasInert && stack.length === 0) appRoot?.removeAttribute("inert");
      if (opener && opener.isConnected) opener.focus();
    };
    // Runs once per opening: the focus target is chosen when the dialog appears.
  }, []);

  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    const panel = panelRef.current;
    if (!panel || stack[stack.length - 1] !== panel) return;
    if (event.key === "Escape") {
      event.stopPropagation();
      event.preventDefault();
      if (!lockedRef.current) closeRef.current();
      return;
    }
    if (event.key !== "Tab") return;
    const items = focusables(panel);
    if (items.length === 0) {
      event.preventDefault();
      panel.focus();
      return;
    }
    const first = items[0]!;
    const last = items[items.length - 1]!;
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === panel)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget && !lockedRef.current) closeRef.current();
      }}
    >
      <div
        ref={panelRef}
        className={`dialog dialog-${size}`}
        role={role}
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description ? descriptionId : undefined}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <div className="dialog-header">
          <h2 id={titleId} className="dialog-title">
            {title}
          </h2>
          <button
            type="button"
            className="dialog-close"
            aria-label="Close dialog"
            onClick={() => !lockedRef.current && closeRef.current()}
            disabled={locked}
          >
            <span aria-hidden="true">×</span>
          </button>
        </div>
        {description ? (
          <div id={descriptionId} className="dialog-description">
            {description}
          </div>
        ) : null}
        <div className="dialog-body">{children}</div>
      </div>
    </div>
  );
}
