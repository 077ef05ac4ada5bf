import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { PolicyInput, SlaPolicy } from "@/features/sla-admin/types";
import { invalidatePolicies } from "./invalidate";

export function updateSlaPolicy(id: string, input: Partial<PolicyInput>): Promise<SlaPolicy> {
  return api.patch<SlaPolicy>(`support/sla-policies/${encodeURIComponent(id)}/`, input);
}

export function useUpdateSlaPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: Partial<PolicyInput> }) => updateSlaPolicy(id, input),
    onSuccess: () => invalidatePolicies(queryClient),
  });
}
