import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { BusinessCalendar, CalendarInput } from "@/features/sla-admin/types";
import { slaAdminKeys } from "./query-keys";

export function updateCalendar(id: string, input: Partial<CalendarInput>): Promise<BusinessCalendar> {
  return api.patch<BusinessCalendar>(`support/calendars/${encodeURIComponent(id)}/`, input);
}

export function useUpdateCalendar() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: Partial<CalendarInput> }) => updateCalendar(id, input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: slaAdminKeys.calendars() }),
  });
}
