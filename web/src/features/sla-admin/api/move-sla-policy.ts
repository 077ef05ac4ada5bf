import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { SlaPolicy } from "@/features/sla-admin/types";
import { moveTo } from "@/features/sla-admin/lib/reorder";
import { slaAdminKeys } from "./query-keys";

export interface MoveInput {
  id: string;
  /** The new place, 1 first; the server shifts the others. */
  position: number;
}

export function moveSlaPolicy({ id, position }: MoveInput): Promise<SlaPolicy> {
  return api.patch<SlaPolicy>(`support/sla-policies/${encodeURIComponent(id)}/`, { position });
}

/** Reorder at once in the cache, put the old order back if the server refuses, then refetch. */
export function useMoveSlaPolicy() {
  const queryClient = useQueryClient();
  const key = slaAdminKeys.policies();
  return useMutation({
    mutationFn: moveSlaPolicy,
    onMutate: async ({ id, position }: MoveInput) => {
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<SlaPolicy[]>(key);
      if (previous) queryClient.setQueryData<SlaPolicy[]>(key, moveTo(previous, id, position));
      return { previous };
    },
    onError: (_error, _input, context) => {
      if (context?.previous) queryClient.setQueryData(key, context.previous);
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: key }),
  });
}
