import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { staffKeys, ticketKeys } from "@/lib/query-keys";
import type { BulkInput, BulkResult } from "@/features/staff/types";

/** One action on up to 100 tickets; the server applies it to all of them or to none. */
export function bulkUpdate(input: BulkInput): Promise<BulkResult> {
  return api.post<BulkResult>("support/tickets/bulk/", input);
}

export function useBulkUpdate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: bulkUpdate,
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: ticketKeys.lists() });
      for (const id of result.ticket_ids) {
        void queryClient.invalidateQueries({ queryKey: ticketKeys.detail(id) });
        void queryClient.invalidateQueries({ queryKey: ticketKeys.history(id) });
      }
      void queryClient.invalidateQueries({ queryKey: staffKeys.agents });
    },
  });
}
