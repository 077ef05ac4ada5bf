import { useId } from "react";
import { Button } from "@/components/ui/button";
import type { Interval, WeekHours, Weekday } from "@/features/sla-admin/types";
import { DAY_NAMES, WEEKDAYS, WORKDAYS, minutesOf } from "@/features/sla-admin/lib/week";

export interface WeekEditorProps {
  week: WeekHours;
  onChange: (week: WeekHours) => void;
  /** A sentence under a day's row (`hours.mon` from the server, or the client's own check). */
  dayErrors: Partial<Record<Weekday, string>>;
  /** About the week as a whole (`hours`), e.g. no open time at all. */
  weekError?: string;
  readOnly?: boolean;
}

function pad(minutes: number): string {
  if (minutes >= 1440) return "24:00";
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** The next period a day gets: an hour after its last one, or office hours on a closed day. */
function nextInterval(intervals: Interval[]): Interval {
  const last = intervals[intervals.length - 1];
  const end = last ? minutesOf(last[1]) : null;
  if (end === null || end >= 23 * 60) return ["09:00", "17:00"];
  return [pad(end), pad(Math.min(end + 60, 1440))];
}

/** A week of opening hours: each day a list of periods (none: closed), edited in place. */
export function WeekEditor({ week, onChange, dayErrors, weekError, readOnly = false }: WeekEditorProps) {
  const id = useId();
  const setDay = (day: Weekday, intervals: Interval[]) => onChange({ ...week, [day]: intervals });
  const setTime = (day: Weekday, index: number, side: 0 | 1, value: string) =>
    setDay(
      day,
      week[day].map((interval, at) => {
        if (at !== index) return interval;
        const next: Interval = [interval[0], interval[1]];
        next[side] = value;
        return next;
      }),
    );
  const copyMonday = () => {
    const copy = { ...week };
    for (const day of WORKDAYS) {
      if (day !== "mon") copy[day] = week.mon.map(([start, end]) => [start, end] as Interval);
    }
    onChange(copy);
  };

  return (
    <fieldset className="sla-fieldset sla-week" aria-describedby={weekError ? `${id}-week-error` : `${id}-week-hint`}>
      <legend className="field-label">Opening hours</legend>
      <p id={`${id}-week-hint`} className="field-hint">
        Times are HH:MM in the calendar’s time zone; use 24:00 for midnight at the end of a day. A day with no
        hours is closed.
      </p>
      {weekError ? (
        <p id={`${id}-week-error`} className="field-error">
          {weekError}
        </p>
      ) : null}
      {readOnly ? null : (
        <div>
          <Button size="sm" onClick={copyMonday}>
            Copy Monday to weekdays
          </Button>
        </div>
      )}
      <div className="sla-days">
        {WEEKDAYS.map((day) => {
          const name = DAY_NAMES[day];
          const error = dayErrors[day];
          const errorId = `${id}-${day}-error`;
          const intervals = week[day];
          return (
            <div
              key={day}
              className={`sla-day${error ? " sla-day-invalid" : ""}`}
              role="group"
              aria-labelledby={`${id}-${day}`}
              aria-describedby={error ? errorId : undefined}
            >
              <span id={`${id}-${day}`} className="sla-day-name">
                {name}
              </span>
              <div className="sla-day-periods">
                {intervals.length === 0 ? <span className="muted sla-closed">Closed</span> : null}
                {intervals.map(([start, end], index) => {
                  const label = `${name} period ${index + 1}`;
                  return (
                    <div key={index} className="sla-period">
                      <input
                        className="input sla-time"
                        aria-label={`${label} opens`}
                        inputMode="numeric"
                        autoComplete="off"
                        placeholder="09:00"
                        maxLength={5}
                        value={start}
                        readOnly={readOnly}
                        aria-invalid={error ? true : undefined}
                        aria-describedby={error ? errorId : undefined}
                        onChange={(event) => setTime(day, index, 0, event.target.value)}
                      />
                      <span aria-hidden="true">–</span>
                      <input
                        className="input sla-time"
                        aria-label={`${label} closes`}
                        inputMode="numeric"
                        autoComplete="off"
                        placeholder="18:00"
                        maxLength={5}
                        value={end}
                        readOnly={readOnly}
                        aria-invalid={error ? true : undefined}
                        aria-describedby={error ? errorId : undefined}
                        onChange={(event) => setTime(day, index, 1, event.target.value)}
                      />
                      {readOnly ? null : (
                        <Button
                          size="sm"
                          variant="ghost"
                          aria-label={`Remove ${label}`}
                          onClick={() => setDay(day, intervals.filter((_, at) => at !== index))}
                        >
                          Remove
                        </Button>
                      )}
                    </div>
                  );
                })}
                {readOnly ? null : (
                  <div>
                    <Button size="sm" variant="link" aria-label={`Add hours on ${name}`} onClick={() => setDay(day, [...intervals, nextInterval(intervals)])}>
                      Add hours
                    </Button>
                  </div>
                )}
              </div>
              {error ? (
                <p id={errorId} className="field-error sla-day-error">
                  {error}
                </p>
              ) : null}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
