import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";

export const MAX_RANGE_DAYS = 366;
const DAY_MS = 24 * 3600 * 1000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A local calendar day as YYYY-MM-DD. */
export function isoDay(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, "0");
  const day = String(date.getDate()).padStart(2, "0");
  return `${date.getFullYear()}-${month}-${day}`;
}

export function parseDay(value: string): Date | null {
  if (!ISO_DAY.test(value)) return null;
  const [year, month, day] = value.split("-").map(Number) as [number, number, number];
  const date = new Date(year, month - 1, day);
  return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day ? date : null;
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: Date, to: Date): number {
  return Math.round((to.getTime() - from.getTime()) / DAY_MS) + 1;
}

/** The last `days` days, today included. */
export function lastDays(days: number, today: Date = new Date()): { from: string; to: string } {
  const from = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1));
  return { from: isoDay(from), to: isoDay(today) };
}

/** Why a range cannot be asked for, or null when it can. */
export function rangeProblem(from: string, to: string): string | null {
  const start = parseDay(from);
  const end = parseDay(to);
  if (!start || !end) return "Choose both dates.";
  if (start > end) return "The first day must be on or before the last day.";
  if (daysBetween(start, end) > MAX_RANGE_DAYS) return `Choose at most ${MAX_RANGE_DAYS} days.`;
  return null;
}

/** The dashboard's date range lives in the URL; without one it shows the last 30 days. */
export function useDateRange() {
  const [params, setParams] = useSearchParams();
  const range = useMemo(() => {
    const from = params.get("from") ?? "";
    const to = params.get("to") ?? "";
    return from && to && !rangeProblem(from, to) ? { from, to } : lastDays(30);
  }, [params]);
  const setRange = useCallback(
    (next: { from: string; to: string }) => setParams(new URLSearchParams(next)),
    [setParams],
  );
  return { ...range, setRange };
}
