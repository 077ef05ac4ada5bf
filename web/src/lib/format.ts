/** Formatting shared by every view: relative and exact times, file sizes, labels. */

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const exact = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

export function formatRelative(iso: string, now: number = Date.now()): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return "";
  const seconds = Math.round((then - now) / 1000);
  // A time slightly in the future is clock skew between the server and this device.
  if (seconds > -45) return "just now";
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(Math.round(seconds / 60), "minute");
}

export function formatExact(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : exact.format(date);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0).replace(/\.0$/, "")} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "")} MB`;
}

const clock = new Intl.DateTimeFormat("en", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const dayOfYear = new Intl.DateTimeFormat("en", { month: "short", day: "numeric" });
const fullDay = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", year: "numeric" });

/**
 * A local wall-clock time for deadlines: "10:30" today, "Dec 8, 10:30" on another day of this
 * year, "Dec 8, 2025, 10:30" further away.
 */
export function formatClock(iso: string, now: number = Date.now()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const today = new Date(now);
  const time = clock.format(date);
  if (date.toDateString() === today.toDateString()) return time;
  const day = date.getFullYear() === today.getFullYear() ? dayOfYear.format(date) : fullDay.format(date);
  return `${day}, ${time}`;
}

/** Who reads a status: customers see `pending` as what it asks of them. */
export type StatusAudience = "staff" | "customer";

/** "in_progress" -> "In progress"; `pending` reads "Waiting for your reply" to customers. */
export function statusLabel(status: string, audience: StatusAudience = "staff"): string {
  if (status === "pending") return audience === "customer" ? "Waiting for your reply" : "Pending";
  return humanize(status);
}

/** 1042 -> "#1042", as tickets are named everywhere (and in email subjects). */
export function formatTicketNumber(number: number): string {
  return `#${number}`;
}

/** "#1042 Charged twice", or just the title while the number is unknown. */
export function ticketName(ticket: { number?: number | null; title: string }): string {
  return ticket.number ? `${formatTicketNumber(ticket.number)} ${ticket.title}` : ticket.title;
}

/** "in_progress" -> "In progress". */
export function humanize(value: string): string {
  const text = value.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const whole = new Intl.NumberFormat("en");

/** "Page 2 of 3 · 120 tickets"; an estimated count (over 10,000 matches) reads "about". */
export function formatPageStatus(page: number, pageSize: number, count: number, exact = true): string {
  const pages = Math.max(1, Math.ceil(count / pageSize));
  const about = exact ? "" : "about ";
  const noun = count === 1 && exact ? "ticket" : "tickets";
  return `Page ${Math.min(page, pages)} of ${about}${whole.format(pages)} · ${about}${whole.format(count)} ${noun}`;
}
