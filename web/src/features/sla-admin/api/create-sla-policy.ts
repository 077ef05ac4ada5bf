import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { PolicyInput, SlaPolicy } from "@/features/sla-admin/types";
import { invalidatePolicies } from "./invalidate";

export function createSlaPolicy(input: PolicyInput): Promise<SlaPolicy> {
  return api.post<SlaPolicy>("support/sla-policies/", input);
}

export function useCreateSlaPolicy() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: createSlaPolicy, onSuccess: () => invalidatePolicies(queryClient) });
}
