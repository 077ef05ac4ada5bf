/** A calendar's week: the canonical `hours` shape, checks before sending, and a one-line summary. */
import type { Interval, WeekHours, Weekday } from "@/features/sla-admin/types";

export const WEEKDAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
export const WORKDAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri"];

export const DAY_NAMES: Record<Weekday, string> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

const SHORT: Record<Weekday, string> = {
  mon: "Mon",
  tue: "Tue",
  wed: "Wed",
  thu: "Thu",
  fri: "Fri",
  sat: "Sat",
  sun: "Sun",
};

export function emptyWeek(): WeekHours {
  return { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
}

/** All seven days, each a fresh list (a day the API left out is closed). */
export function fullWeek(hours: Partial<WeekHours> | undefined): WeekHours {
  const week = emptyWeek();
  for (const day of WEEKDAYS) week[day] = (hours?.[day] ?? []).map(([start, end]) => [start, end] as Interval);
  return week;
}

const TIME = /^(\d{1,2}):(\d{2})$/;

/** "9:05" -> 545 minutes after midnight; "24:00" -> 1440; anything else -> null. */
export function minutesOf(value: string): number | null {
  const match = TIME.exec(value.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59) return null;
  if (hours === 24 && minutes === 0) return 1440;
  if (hours > 23) return null;
  return hours * 60 + minutes;
}

/** "9:05" -> "09:05": the API's HH:MM. */
export function normaliseTime(value: string): string {
  const match = TIME.exec(value.trim());
  if (!match) return value.trim();
  return `${match[1]!.padStart(2, "0")}:${match[2]}`;
}

/**
 * What is wrong with a day's intervals, as one sentence, or null. The server checks the same
 * (and is the authority); this only saves a round trip.
 */
export function dayProblem(intervals: Interval[]): string | null {
  const spans: [number, number][] = [];
  for (const [start, end] of intervals) {
    const from = minutesOf(start);
    const to = minutesOf(end);
    if (from === null || from === 1440) return "Enter each opening time as HH:MM, e.g. 09:00.";
    if (to === null) return "Enter each closing time as HH:MM, e.g. 18:00 (24:00 for midnight).";
    if (to <= from) {
      return to === 0
        ? "A period that runs to midnight ends at 24:00."
        : `${normaliseTime(end)} is not after ${normaliseTime(start)}: each period must end after it starts.`;
    }
    spans.push([from, to]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let index = 1; index < spans.length; index += 1) {
    if (spans[index]![0] < spans[index - 1]![1]) return "These periods overlap. Join them or change their times.";
  }
  return null;
}

/** The week as the API wants it: every day, HH:MM times, each day's periods in time order. */
export function canonicalWeek(week: WeekHours): WeekHours {
  const out = emptyWeek();
  for (const day of WEEKDAYS) {
    out[day] = week[day]
      .map(([start, end]) => [normaliseTime(start), normaliseTime(end)] as Interval)
      .sort((a, b) => (minutesOf(a[0]) ?? 0) - (minutesOf(b[0]) ?? 0));
  }
  return out;
}

export function hasOpenTime(week: Partial<WeekHours>): boolean {
  return WEEKDAYS.some((day) => (week[day]?.length ?? 0) > 0);
}

function dayText(intervals: Interval[]): string {
  return intervals.map(([start, end]) => `${start}–${end}`).join(", ");
}

/** "Mon–Fri 09:00–18:00 · Sat 10:00–14:00": days with the same hours run together, closed days left out. */
export function weekSummary(hours: Partial<WeekHours>): string {
  const week = canonicalWeek(fullWeek(hours));
  const texts = WEEKDAYS.map((day) => dayText(week[day]));
  if (texts.every((text) => text === "")) return "Closed all week";
  if (texts.every((text) => text === texts[0])) return `Every day ${texts[0]}`;
  const parts: string[] = [];
  let index = 0;
  while (index < WEEKDAYS.length) {
    let last = index;
    while (last + 1 < WEEKDAYS.length && texts[last + 1] === texts[index]) last += 1;
    if (texts[index]) {
      const first = SHORT[WEEKDAYS[index]!];
      const days = last === index ? first : `${first}${last === index + 1 ? ", " : "–"}${SHORT[WEEKDAYS[last]!]}`;
      parts.push(`${days} ${texts[index]}`);
    }
    index = last + 1;
  }
  return parts.join(" · ");
}
