/** The shapes of the service-level settings (docs/sla.md "Business calendars", "SLA policies"). */
import type { TicketCategory, TicketPriority, TicketSource } from "@/lib/types";

export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

/** `["09:00", "18:00"]`; `"24:00"` may end a day. */
export type Interval = [string, string];

/** Every weekday's open intervals; a day with none (or left out) is closed. */
export type WeekHours = Record<Weekday, Interval[]>;

export interface BusinessCalendar {
  id: string;
  name: string;
  /** An IANA zone name; business time is counted there. */
  time_zone: string;
  hours: Partial<WeekHours>;
  /** ISO dates with no business time. */
  holidays: string[];
  /** The 24/7 calendar that always exists: it can be read but not changed or deleted. */
  builtin: boolean;
  policy_count: number;
  created_at: string;
  updated_at: string;
}

export interface CalendarInput {
  name: string;
  time_zone: string;
  hours: WeekHours;
  holidays: string[];
  /** Add this country's public holidays on save (any country the server's `holidays` package knows). */
  holiday_country?: string;
  /** Which years to import; the server's default is this year and next. */
  holiday_years?: number[];
}

export type CustomerRole = "customer" | "provider";

export interface PolicyConditions {
  priority?: TicketPriority[];
  category?: TicketCategory[];
  customer_role?: CustomerRole[];
  source?: TicketSource[];
}

export type TargetName = "first_response" | "next_response" | "resolution";

/** Business minutes; null when the policy has no such target. */
export type PolicyTargets = Record<TargetName, number | null>;

export interface SlaPolicy {
  id: string;
  name: string;
  /** 1 is tried first. */
  position: number;
  /** The business calendar's id. */
  calendar: string;
  conditions: PolicyConditions;
  targets: Partial<PolicyTargets>;
  escalate_on_breach: boolean;
  created_at: string;
  updated_at: string;
}

export interface PolicyInput {
  name: string;
  calendar: string;
  conditions: PolicyConditions;
  targets: PolicyTargets;
  escalate_on_breach: boolean;
  position?: number;
}
