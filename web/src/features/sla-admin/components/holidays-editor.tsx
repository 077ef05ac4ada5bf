import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

/** "2026-10-21" -> "Oct 21, 2026" (a calendar date: no zone shifts it). */
export function formatHoliday(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : dateFormat.format(date);
}

export interface HolidaysEditorProps {
  holidays: string[];
  onChange: (holidays: string[]) => void;
  error?: string;
  country: string;
  onCountryChange: (value: string) => void;
  countryError?: string;
  years: string;
  onYearsChange: (value: string) => void;
  yearsError?: string;
  readOnly?: boolean;
}

/** The calendar's holidays: dates added and removed by hand, and a country's public holidays imported on save. */
export function HolidaysEditor({
  holidays,
  onChange,
  error,
  country,
  onCountryChange,
  countryError,
  years,
  onYearsChange,
  yearsError,
  readOnly = false,
}: HolidaysEditorProps) {
  const id = useId();
  const [draft, setDraft] = useState("");
  const [draftError, setDraftError] = useState<string | null>(null);
  const sorted = [...holidays].sort();

  const add = () => {
    if (!DAY.test(draft) || Number.isNaN(new Date(`${draft}T00:00:00Z`).getTime())) {
      setDraftError("Choose a date to add.");
      return;
    }
    if (holidays.includes(draft)) {
      setDraftError(`${formatHoliday(draft)} is already a holiday.`);
      return;
    }
    setDraftError(null);
    onChange([...holidays, draft].sort());
    setDraft("");
  };

  return (
    <fieldset className="sla-fieldset" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="field-label">Holidays</legend>
      <p className="field-hint">Days with no business time at all.</p>
      {sorted.length ? (
        <ul className="sla-holidays" aria-label="Holidays">
          {sorted.map((day) => (
            <li key={day} className="sla-holiday">
              <time dateTime={day}>{formatHoliday(day)}</time>
              {readOnly ? null : (
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Remove holiday ${formatHoliday(day)}`}
                  onClick={() => onChange(holidays.filter((item) => item !== day))}
                >
                  Remove
                </Button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No holidays.</p>
      )}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
      {readOnly ? null : (
        <>
          <div className="sla-inline">
            <TextField
              label="Add a holiday"
              type="date"
              value={draft}
              onChange={(event) => setDraft(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === "Enter") {
                  event.preventDefault();
                  add();
                }
              }}
              error={draftError ?? undefined}
            />
            <Button onClick={add}>Add holiday</Button>
          </div>
          <fieldset className="sla-fieldset sla-import">
            <legend className="field-label">Import public holidays</legend>
            <p className="field-hint">A country’s public holidays are added to the list when you save.</p>
            <div className="sla-inline">
              <TextField
                label="Country code"
                value={country}
                maxLength={3}
                autoComplete="off"
                placeholder="NP"
                className="input sla-country"
                onChange={(event) => onCountryChange(event.target.value.toUpperCase())}
                hint="Two letters, e.g. NP"
                error={countryError}
              />
              <TextField
                label="Years"
                value={years}
                inputMode="numeric"
                autoComplete="off"
                placeholder="2026, 2027"
                onChange={(event) => onYearsChange(event.target.value)}
                hint="Blank: this year and next"
                error={yearsError}
              />
            </div>
          </fieldset>
        </>
      )}
    </fieldset>
  );
}
