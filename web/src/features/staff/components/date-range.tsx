import { useEffect, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { lastDays, rangeProblem } from "@/features/staff/hooks/use-date-range";

const PRESETS = [
  { days: 7, label: "Last 7 days" },
  { days: 30, label: "Last 30 days" },
  { days: 90, label: "Last 90 days" },
  { days: 365, label: "Last 365 days" },
];

/** From and to dates with quick presets; the dashboard asks for nothing until the range makes sense. */
export function DateRangePicker({
  from,
  to,
  onChange,
}: {
  from: string;
  to: string;
  onChange: (range: { from: string; to: string }) => void;
}) {
  const [draft, setDraft] = useState({ from, to });
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => setDraft({ from, to }), [from, to]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = rangeProblem(draft.from, draft.to);
    setProblem(found);
    if (!found) onChange(draft);
  };

  return (
    <form className="date-range" onSubmit={submit} aria-label="Date range" noValidate>
      <div className="filter">
        <label htmlFor="range-from" className="filter-label">
          From
        </label>
        <input
          id="range-from"
          className="input"
          type="date"
          value={draft.from}
          max={draft.to || undefined}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? "range-problem" : undefined}
          onChange={(event) => setDraft((current) => ({ ...current, from: event.target.value }))}
        />
      </div>
      <div className="filter">
        <label htmlFor="range-to" className="filter-label">
          To
        </label>
        <input
          id="range-to"
          className="input"
          type="date"
          value={draft.to}
          min={draft.from || undefined}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? "range-problem" : undefined}
          onChange={(event) => setDraft((current) => ({ ...current, to: event.target.value }))}
        />
      </div>
      <div className="date-range-apply">
        <Button type="submit" variant="primary">
          Show
        </Button>
      </div>
      <div className="date-presets" role="group" aria-label="Quick ranges">
        {PRESETS.map((preset) => {
          const range = lastDays(preset.days);
          const current = range.from === from && range.to === to;
          return (
            <Button
              key={preset.days}
              size="sm"
              variant={current ? "primary" : "secondary"}
              aria-pressed={current}
              onClick={() => {
                setProblem(null);
                onChange(range);
              }}
            >
              {preset.label}
            </Button>
          );
        })}
      </div>
      {problem ? (
        <p id="range-problem" className="field-error date-range-problem" role="alert">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
