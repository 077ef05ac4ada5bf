import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { humanize } from "@/lib/format";
import { useCalendars } from "@/features/sla-admin/api/get-calendars";
import { useCreateSlaPolicy } from "@/features/sla-admin/api/create-sla-policy";
import { useUpdateSlaPolicy } from "@/features/sla-admin/api/update-sla-policy";
import { formatMinutes, parseMinutes } from "@/features/sla-admin/lib/minutes";
import { CONDITION_GROUPS, TARGETS, type ConditionGroup } from "@/features/sla-admin/lib/policy-labels";
import { serverErrorsFrom } from "@/features/sla-admin/lib/server-errors";
import type { PolicyConditions, PolicyInput, PolicyTargets, SlaPolicy, TargetName } from "@/features/sla-admin/types";

const FIELDS = [
  "name",
  "calendar",
  "conditions",
  ...CONDITION_GROUPS.map(({ name }) => `conditions.${name}` as const),
  "targets",
  ...TARGETS.map(({ name }) => `targets.${name}` as const),
  "escalate_on_breach",
  "position",
] as const;
type Field = (typeof FIELDS)[number];
type LocalErrors = Partial<Record<Field, string>>;

function targetText(minutes: number | null | undefined): string {
  return typeof minutes === "number" ? String(minutes) : "";
}

/** A group's values in the form's order (values this app does not know are kept, last). */
function inOrder(group: ConditionGroup, values: readonly string[] | undefined): string[] {
  const order = CONDITION_GROUPS.find((item) => item.name === group)!.values;
  const chosen = new Set(values ?? []);
  return [...order.filter((value) => chosen.has(value)), ...[...chosen].filter((value) => !order.includes(value))];
}

export interface PolicyFormProps {
  policy?: SlaPolicy;
  onDone: (saved?: SlaPolicy) => void;
}

/** Create or change a policy: which tickets it matches, on which calendar, with which targets. */
export function PolicyForm({ policy, onDone }: PolicyFormProps) {
  const create = useCreateSlaPolicy();
  const update = useUpdateSlaPolicy();
  const mutation = policy ? update : create;
  const calendars = useCalendars();
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [name, setName] = useState(policy?.name ?? "");
  const [calendar, setCalendar] = useState(policy?.calendar ?? "");
  const [conditions, setConditions] = useState<Record<ConditionGroup, string[]>>(() => ({
    priority: inOrder("priority", policy?.conditions.priority),
    category: inOrder("category", policy?.conditions.category),
    customer_role: inOrder("customer_role", policy?.conditions.customer_role),
    source: inOrder("source", policy?.conditions.source),
  }));
  const [targets, setTargets] = useState<Record<TargetName, string>>(() => ({
    first_response: targetText(policy?.targets.first_response),
    next_response: targetText(policy?.targets.next_response),
    resolution: targetText(policy?.targets.resolution),
  }));
  const [escalate, setEscalate] = useState(policy?.escalate_on_breach ?? false);
  const [local, setLocal] = useState<LocalErrors>({});
  const [checks, setChecks] = useState(0);
  const server = mutation.isError ? serverErrorsFrom<Field>(mutation.error, FIELDS) : null;
  const error = (field: Field) => local[field] ?? server?.fields[field];

  // A new policy starts on the built-in 24/7 calendar (or the first there is) once they load.
  const firstCalendar = calendars.data?.find((item) => item.builtin)?.id ?? calendars.data?.[0]?.id;
  useEffect(() => {
    if (!calendar && firstCalendar) setCalendar(firstCalendar);
  }, [calendar, firstCalendar]);

  useEffect(() => {
    if (checks) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [checks]);

  const toggle = (group: ConditionGroup, value: string, on: boolean) =>
    setConditions((current) => {
      const chosen = new Set(current[group]);
      if (on) chosen.add(value);
      else chosen.delete(value);
      return { ...current, [group]: inOrder(group, [...chosen]) };
    });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: LocalErrors = {};
    if (!name.trim()) problems.name = "Give the policy a name.";
    if (!calendar) problems.calendar = "Choose the calendar its targets are counted on.";
    const parsed = {} as PolicyTargets;
    for (const { name: target } of TARGETS) {
      const value = parseMinutes(targets[target]);
      if (value === undefined) problems[`targets.${target}`] = "Enter a whole number of minutes, at least 1.";
      parsed[target] = value ?? null;
    }
    if (TARGETS.every(({ name: target }) => targets[target].trim() === "")) {
      problems.targets = "Set at least one target.";
    }
    setLocal(problems);
    if (Object.keys(problems).length) {
      setChecks((count) => count + 1);
      return;
    }
    const chosen: PolicyConditions = {};
    for (const { name: group } of CONDITION_GROUPS) {
      if (conditions[group].length) (chosen as Record<string, string[]>)[group] = conditions[group];
    }
    const input: PolicyInput = {
      name: name.trim(),
      calendar,
      conditions: chosen,
      targets: parsed,
      escalate_on_breach: escalate,
    };
    if (policy) update.mutate({ id: policy.id, input }, { onSuccess: (saved) => onDone(saved) });
    else create.mutate(input, { onSuccess: (saved) => onDone(saved) });
  };

  const targetsError = error("targets");
  const conditionsError = error("conditions");
  return (
    <form ref={formRef} className="sla-form" onSubmit={submit} noValidate aria-label={policy ? `Edit ${policy.name}` : "New policy"}>
      {server ? <Alert>{server.form}</Alert> : null}
      <TextField
        label="Name"
        required
        maxLength={100}
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={error("name")}
      />
      <SelectField
        label="Calendar"
        required
        value={calendar}
        onChange={(event) => setCalendar(event.target.value)}
        disabled={calendars.isPending}
        error={error("calendar")}
        hint="Targets are counted in this calendar’s business hours."
      >
        {calendars.isPending ? <option value="">Loading calendars…</option> : null}
        {calendars.data?.map((item) => (
          <option key={item.id} value={item.id}>
            {item.name}
            {item.builtin ? " (built in)" : ""}
          </option>
        ))}
      </SelectField>

      <fieldset className="sla-fieldset" aria-describedby={`${id}-conditions-hint${conditionsError ? ` ${id}-conditions-error` : ""}`}>
        <legend className="field-label">Applies to</legend>
        <p id={`${id}-conditions-hint`} className="field-hint">
          A ticket matches when it matches every group. Leave a group empty to match any value.
        </p>
        {conditionsError ? (
          <p id={`${id}-conditions-error`} className="field-error">
            {conditionsError}
          </p>
        ) : null}
        <div className="sla-condition-groups">
          {CONDITION_GROUPS.map(({ name: group, label, values }) => {
            const groupError = error(`conditions.${group}`);
            const errorId = `${id}-${group}-error`;
            return (
              <fieldset key={group} className="sla-fieldset sla-checks" aria-describedby={groupError ? errorId : undefined}>
                <legend className="sla-sublegend">{label}</legend>
                {values.map((value) => (
                  <label key={value} className="sla-check">
                    <input
                      type="checkbox"
                      checked={conditions[group].includes(value)}
                      aria-invalid={groupError ? true : undefined}
                      onChange={(event) => toggle(group, value, event.target.checked)}
                    />
                    {humanize(value)}
                  </label>
                ))}
                {conditions[group].length ? null : <p className="sla-any muted">Any</p>}
                {groupError ? (
                  <p id={errorId} className="field-error">
                    {groupError}
                  </p>
                ) : null}
              </fieldset>
            );
          })}
        </div>
      </fieldset>

      <fieldset className="sla-fieldset" aria-describedby={`${id}-targets-hint${targetsError ? ` ${id}-targets-error` : ""}`}>
        <legend className="field-label">Targets</legend>
        <p id={`${id}-targets-hint`} className="field-hint">
          In business minutes, counted on the calendar. Leave one blank for no such target; set at least one.
        </p>
        {targetsError ? (
          <p id={`${id}-targets-error`} className="field-error">
            {targetsError}
          </p>
        ) : null}
        <div className="sla-targets">
          {TARGETS.map(({ name: target, label, hint }) => {
            const value = parseMinutes(targets[target]);
            const preview = value === null ? "No target" : value === undefined ? "" : `= ${formatMinutes(value)}`;
            return (
              <TextField
                key={target}
                label={`${label} (minutes)`}
                inputMode="numeric"
                autoComplete="off"
                value={targets[target]}
                onChange={(event) => setTargets((current) => ({ ...current, [target]: event.target.value }))}
                error={error(`targets.${target}`)}
                hint={
                  <>
                    <strong className="sla-preview">{preview}</strong> {hint}
                  </>
                }
              />
            );
          })}
        </div>
      </fieldset>

      <label className="sla-check sla-escalate">
        <input type="checkbox" checked={escalate} onChange={(event) => setEscalate(event.target.checked)} />
        Escalate on breach
      </label>
      {error("escalate_on_breach") ? <p className="field-error">{error("escalate_on_breach")}</p> : null}

      <div className="dialog-actions">
        <Button onClick={() => onDone()} disabled={mutation.isPending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={mutation.isPending}>
          {mutation.isPending ? "Saving…" : policy ? "Save changes" : "Create policy"}
        </Button>
      </div>
    </form>
  );
}
