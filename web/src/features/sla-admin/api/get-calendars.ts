import { queryOptions, useQuery } from "@tanstack/react-query";
import type { BusinessCalendar } from "@/features/sla-admin/types";
import { listAll } from "./list-all";
import { slaAdminKeys } from "./query-keys";

export function getCalendars(signal?: AbortSignal): Promise<BusinessCalendar[]> {
  return listAll<BusinessCalendar>("support/calendars/", signal);
}

export const calendarsQuery = () =>
  queryOptions({ queryKey: slaAdminKeys.calendars(), queryFn: ({ signal }) => getCalendars(signal) });

/** The business calendars, the built-in 24/7 one among them. */
export function useCalendars() {
  return useQuery(calendarsQuery());
}
