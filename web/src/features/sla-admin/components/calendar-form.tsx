import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { useCreateCalendar } from "@/features/sla-admin/api/create-calendar";
import { useUpdateCalendar } from "@/features/sla-admin/api/update-calendar";
import { serverErrorsFrom } from "@/features/sla-admin/lib/server-errors";
import { isKnownTimeZone, timeZoneNames } from "@/features/sla-admin/lib/time-zones";
import { WEEKDAYS, canonicalWeek, dayProblem, emptyWeek, fullWeek, hasOpenTime } from "@/features/sla-admin/lib/week";
import type { BusinessCalendar, CalendarInput, WeekHours, Weekday } from "@/features/sla-admin/types";
import { HolidaysEditor } from "./holidays-editor";
import { WeekEditor } from "./week-editor";

const FIELDS = [
  "name",
  "time_zone",
  "hours",
  ...WEEKDAYS.map((day) => `hours.${day}` as const),
  "holidays",
  "holiday_country",
  "holiday_years",
] as const;
type Field = (typeof FIELDS)[number];

interface LocalErrors {
  name?: string;
  time_zone?: string;
  hours?: string;
  days: Partial<Record<Weekday, string>>;
  holiday_country?: string;
  holiday_years?: string;
}

function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

function officeWeek(): WeekHours {
  const week = emptyWeek();
  for (const day of ["mon", "tue", "wed", "thu", "fri"] as const) week[day] = [["09:00", "17:00"]];
  return week;
}

function parseYears(text: string): number[] | null {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (!parts.every((part) => /^\d{4}$/.test(part))) return null;
  return [...new Set(parts.map(Number))].sort((a, b) => a - b);
}

export interface CalendarFormProps {
  calendar?: BusinessCalendar;
  /** The built-in calendar, and every calendar for staff who are not admins. */
  readOnly?: boolean;
  onDone: (saved?: BusinessCalendar) => void;
}

/** Create or change a business calendar: its name, zone, weekly hours and holidays. */
export function CalendarForm({ calendar, readOnly = false, onDone }: CalendarFormProps) {
  const create = useCreateCalendar();
  const update = useUpdateCalendar();
  const mutation = calendar ? update : create;
  const zonesId = useId();
  const zones = timeZoneNames();
  const [name, setName] = useState(calendar?.name ?? "");
  const [timeZone, setTimeZone] = useState(calendar?.time_zone ?? browserZone());
  const [week, setWeek] = useState<WeekHours>(() => (calendar ? fullWeek(calendar.hours) : officeWeek()));
  const [holidays, setHolidays] = useState<string[]>(calendar?.holidays ?? []);
  const [country, setCountry] = useState("");
  const [years, setYears] = useState("");
  const [local, setLocal] = useState<LocalErrors>({ days: {} });
  const [checks, setChecks] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const server = mutation.isError ? serverErrorsFrom<Field>(mutation.error, FIELDS) : null;

  const dayError = (day: Weekday) => local.days[day] ?? server?.fields[`hours.${day}`];
  const dayErrors = Object.fromEntries(WEEKDAYS.map((day) => [day, dayError(day)])) as Partial<Record<Weekday, string>>;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (readOnly) return;
    const problems: LocalErrors = { days: {} };
    if (!name.trim()) problems.name = "Give the calendar a name.";
    if (!timeZone.trim()) problems.time_zone = "Choose a time zone.";
    else if (!isKnownTimeZone(timeZone.trim())) problems.time_zone = `“${timeZone.trim()}” is not a time zone name, e.g. Asia/Kathmandu.`;
    for (const day of WEEKDAYS) {
      const problem = dayProblem(week[day]);
      if (problem) problems.days[day] = problem;
    }
    if (!hasOpenTime(week)) problems.hours = "Open the calendar on at least one day.";
    const code = country.trim();
    if (code && !/^[A-Z]{2,3}$/.test(code)) problems.holiday_country = "Enter a country code, e.g. NP.";
    const yearList = parseYears(years);
    if (yearList === null) problems.holiday_years = "Enter years like 2026, 2027.";
    else if (yearList.length && !code) problems.holiday_country = "Enter the country whose holidays to import.";
    setLocal(problems);
    const failed =
      problems.name ||
      problems.time_zone ||
      problems.hours ||
      problems.holiday_country ||
      problems.holiday_years ||
      Object.keys(problems.days).length;
    if (failed) {
      setChecks((count) => count + 1);
      return;
    }
    const input: CalendarInput = {
      name: name.trim(),
      time_zone: timeZone.trim(),
      hours: canonicalWeek(week),
      holidays: [...new Set(holidays)].sort(),
    };
    if (code) {
      input.holiday_country = code;
      if (yearList?.length) input.holiday_years = yearList;
    }
    if (calendar) update.mutate({ id: calendar.id, input }, { onSuccess: (saved) => onDone(saved) });
    else create.mutate(input, { onSuccess: (saved) => onDone(saved) });
  };

  // After a failed check, focus goes to the first field it marked.
  useEffect(() => {
    if (checks) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [checks]);

  const label = calendar ? (readOnly ? calendar.name : `Edit ${calendar.name}`) : "New calendar";
  return (
    <form ref={formRef} className="sla-form" onSubmit={submit} noValidate aria-label={label}>
      {calendar?.builtin ? (
        <Alert tone="info">The built-in calendar counts every hour of every day. It cannot be changed or deleted.</Alert>
      ) : null}
      {server ? <Alert>{server.form}</Alert> : null}
      <TextField
        label="Name"
        required
        maxLength={100}
        value={name}
        readOnly={readOnly}
        onChange={(event) => setName(event.target.value)}
        error={local.name ?? server?.fields.name}
      />
      <TextField
        label="Time zone"
        required
        value={timeZone}
        readOnly={readOnly}
        autoComplete="off"
        spellCheck={false}
        list={zones.length && !readOnly ? zonesId : undefined}
        onChange={(event) => setTimeZone(event.target.value)}
        hint="An IANA name, e.g. Asia/Kathmandu or Europe/London. Business time is counted there, across clock changes."
        error={local.time_zone ?? server?.fields.time_zone}
      />
      {zones.length && !readOnly ? (
        <datalist id={zonesId}>
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      ) : null}
      <WeekEditor
        week={week}
        onChange={setWeek}
        dayErrors={dayErrors}
        weekError={local.hours ?? server?.fields.hours}
        readOnly={readOnly}
      />
      <HolidaysEditor
        holidays={holidays}
        onChange={setHolidays}
        error={server?.fields.holidays}
        country={country}
        onCountryChange={setCountry}
        countryError={local.holiday_country ?? server?.fields.holiday_country}
        years={years}
        onYearsChange={setYears}
        yearsError={local.holiday_years ?? server?.fields.holiday_years}
        readOnly={readOnly}
      />
      <div className="dialog-actions">
        {readOnly ? (
          <Button onClick={() => onDone()}>Close</Button>
        ) : (
          <>
            <Button onClick={() => onDone()} disabled={mutation.isPending}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" busy={mutation.isPending}>
              {mutation.isPending ? "Saving…" : calendar ? "Save changes" : "Create calendar"}
            </Button>
          </>
        )}
      </div>
    </form>
  );
}
