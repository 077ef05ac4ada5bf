import { formatTicketNumber } from "@/lib/format";

/**
 * A ticket's number as people quote it (`#1042`): muted and monospaced, and always left to
 * right, so a right-to-left title next to it never turns it into `1042#`.
 */
export function TicketNumber({ number, className }: { number: number | null | undefined; className?: string }) {
  if (!number) return null;
  return (
    <span className={["ticket-number", className ?? ""].filter(Boolean).join(" ")} dir="ltr">
      {formatTicketNumber(number)}
    </span>
  );
}
