/**
 * A small in-memory stand-in for the calendar and policy endpoints (docs/sla.md), on top of the
 * shared fake API: lists come back as pages, positions shift like the server's, a calendar in
 * use refuses deletion with 409. `failNext` answers the next matching request with an error,
 * `holdNext` keeps it waiting (to see what the page shows meanwhile).
 */
import { aPage } from "@/testing/data";
import { fakeApi, json, type RecordedRequest } from "@/testing/fake-api";
import type { BusinessCalendar, SlaPolicy } from "@/features/sla-admin/types";

export const CALENDARS = "/api/support/calendars/";
export const POLICIES = "/api/support/sla-policies/";
const CALENDAR = /^\/api\/support\/calendars\/([^/]+)\/$/;
const POLICY = /^\/api\/support\/sla-policies\/([^/]+)\/$/;

const STAMP = "2026-03-01T10:00:00Z";

export function aCalendar(overrides: Partial<BusinessCalendar> = {}): BusinessCalendar {
  return {
    id: "cal-ktm",
    name: "Kathmandu office",
    time_zone: "Asia/Kathmandu",
    hours: {
      mon: [["09:00", "18:00"]],
      tue: [["09:00", "18:00"]],
      wed: [["09:00", "18:00"]],
      thu: [["09:00", "18:00"]],
      fri: [["09:00", "18:00"]],
      sat: [],
      sun: [],
    },
    holidays: ["2026-10-21", "2026-10-22"],
    builtin: false,
    policy_count: 0,
    created_at: STAMP,
    updated_at: STAMP,
    ...overrides,
  };
}

export function theBuiltinCalendar(): BusinessCalendar {
  const allDay: [string, string][] = [["00:00", "24:00"]];
  return aCalendar({
    id: "cal-247",
    name: "24/7",
    time_zone: "UTC",
    hours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
    holidays: [],
    builtin: true,
    policy_count: 1,
  });
}

export function aPolicy(overrides: Partial<SlaPolicy> = {}): SlaPolicy {
  return {
    id: "pol-1",
    name: "Urgent billing",
    position: 1,
    calendar: "cal-ktm",
    conditions: { priority: ["urgent", "high"], category: ["billing"] },
    targets: { first_response: 30, next_response: 60, resolution: 480 },
    escalate_on_breach: true,
    created_at: STAMP,
    updated_at: STAMP,
    ...overrides,
  };
}

interface Failure {
  method: string;
  path: RegExp | string;
  /** An error to answer with, or a gate to wait on before answering as usual. */
  response?: Response | Promise<Response>;
  gate?: Promise<void>;
}

export class FakeSlaApi {
  calendars: BusinessCalendar[];
  policies: SlaPolicy[];
  private failures: Failure[] = [];
  private created = 0;

  constructor({ calendars, policies }: { calendars: BusinessCalendar[]; policies: SlaPolicy[] }) {
    this.calendars = calendars.map((item) => structuredClone(item));
    this.policies = policies.map((item) => structuredClone(item));
  }

  /** Answer the next `method path` with `response` (an error) instead of the fake's own behaviour. */
  failNext(method: string, path: RegExp | string, response: Response | Promise<Response>): this {
    this.failures.push({ method, path, response });
    return this;
  }

  /** Hold the next `method path` until `release()`; it is then answered as usual. */
  holdNext(method: string, path: RegExp | string): { release: () => void } {
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.failures.push({ method, path, gate });
    return { release: () => release() };
  }

  install(): this {
    const route = (method: string, path: RegExp | string, handler: (request: RecordedRequest, id: string) => Response) =>
      fakeApi.on(method, path, async (request) => {
        const index = this.failures.findIndex(
          (item) => item.method === method && (typeof item.path === "string" ? item.path === request.path : item.path.test(request.path)),
        );
        const failure = index >= 0 ? this.failures.splice(index, 1)[0]! : null;
        if (failure?.response) return failure.response;
        if (failure?.gate) await failure.gate;
        const match = typeof path === "string" ? null : path.exec(request.path);
        return handler(request, match?.[1] ?? "");
      });

    route("GET", CALENDARS, () => json(aPage(this.calendars)));
    route("POST", CALENDARS, (request) => {
      const body = request.body as Record<string, unknown>;
      const calendar = this.importHolidays(
        aCalendar({ ...(body as Partial<BusinessCalendar>), id: `cal-new-${(this.created += 1)}`, policy_count: 0 }),
        body,
      );
      this.calendars.push(calendar);
      return json(calendar, { status: 201 });
    });
    route("PATCH", CALENDAR, (request, id) => {
      const body = request.body as Record<string, unknown>;
      const index = this.calendars.findIndex((item) => item.id === id);
      const calendar = this.importHolidays({ ...this.calendars[index]!, ...(body as Partial<BusinessCalendar>) }, body);
      this.calendars[index] = calendar;
      return json(calendar);
    });
    route("DELETE", CALENDAR, (_request, id) => {
      const calendar = this.calendars.find((item) => item.id === id)!;
      if (calendar.policy_count > 0) {
        return json(
          { error: "conflict", message: "A policy uses this calendar.", details: {} },
          { status: 409 },
        );
      }
      this.calendars = this.calendars.filter((item) => item.id !== id);
      return new Response(null, { status: 204 });
    });

    route("GET", POLICIES, () => json(aPage([...this.policies].sort((a, b) => a.position - b.position))));
    route("POST", POLICIES, (request) => {
      const policy = aPolicy({
        ...(request.body as Partial<SlaPolicy>),
        id: `pol-new-${(this.created += 1)}`,
        position: this.policies.length + 1,
      });
      this.policies.push(policy);
      return json(policy, { status: 201 });
    });
    route("PATCH", POLICY, (request, id) => {
      const body = request.body as Partial<SlaPolicy>;
      const ordered = [...this.policies].sort((a, b) => a.position - b.position);
      const index = ordered.findIndex((item) => item.id === id);
      const policy = { ...ordered[index]!, ...body };
      ordered.splice(index, 1);
      ordered.splice(body.position === undefined ? index : body.position - 1, 0, policy);
      this.policies = ordered.map((item, at) => ({ ...item, position: at + 1 }));
      return json(this.policies.find((item) => item.id === id));
    });
    route("DELETE", POLICY, (_request, id) => {
      this.policies = this.policies
        .filter((item) => item.id !== id)
        .sort((a, b) => a.position - b.position)
        .map((item, at) => ({ ...item, position: at + 1 }));
      return new Response(null, { status: 204 });
    });
    return this;
  }

  /** Like the server's `holiday_country`: adds New Year's Day of each year asked for. */
  private importHolidays(calendar: BusinessCalendar, body: Record<string, unknown>): BusinessCalendar {
    const out = { ...calendar } as BusinessCalendar & { holiday_country?: unknown; holiday_years?: unknown };
    delete out.holiday_country;
    delete out.holiday_years;
    if (typeof body.holiday_country !== "string") return out;
    const years = Array.isArray(body.holiday_years) ? (body.holiday_years as number[]) : [2026, 2027];
    out.holidays = [...new Set([...out.holidays, ...years.map((year) => `${year}-01-01`)])].sort();
    return out;
  }
}
