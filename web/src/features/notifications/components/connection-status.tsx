import { useSocketStatus } from "@/lib/live-updates";
import "./notifications.css";

const TEXT = {
  connecting: "Connecting…",
  open: "Live",
  reconnecting: "Reconnecting…",
} as const;

/** A small sign of whether news arrives live or is being checked for every 15 s. */
export function ConnectionStatus() {
  const status = useSocketStatus();
  if (status === "idle") return null;
  const hint =
    status === "open"
      ? "Live updates are on: new messages appear as they arrive."
      : "Live updates are paused; the page checks for news every 15 seconds.";
  return (
    <span className={`live-status live-status-${status}`} title={hint} data-status={status}>
      <span className="live-dot" aria-hidden="true" />
      <span className="live-text">{TEXT[status]}</span>
    </span>
  );
}
