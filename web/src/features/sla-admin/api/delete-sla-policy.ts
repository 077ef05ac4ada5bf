import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { invalidatePolicies } from "./invalidate";

export function deleteSlaPolicy(id: string): Promise<null> {
  return api.delete(`support/sla-policies/${encodeURIComponent(id)}/`);
}

export function useDeleteSlaPolicy() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: deleteSlaPolicy, onSuccess: () => invalidatePolicies(queryClient) });
}
