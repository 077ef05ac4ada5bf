import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { BusinessCalendar, CalendarInput } from "@/features/sla-admin/types";
import { slaAdminKeys } from "./query-keys";

export function createCalendar(input: CalendarInput): Promise<BusinessCalendar> {
  return api.post<BusinessCalendar>("support/calendars/", input);
}

export function useCreateCalendar() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createCalendar,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: slaAdminKeys.calendars() }),
  });
}
