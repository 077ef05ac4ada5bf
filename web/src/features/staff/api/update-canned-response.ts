import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { staffKeys } from "@/lib/query-keys";
import type { CannedResponse, CannedResponseInput } from "@/features/staff/types";

export function updateCannedResponse(id: string, input: Partial<CannedResponseInput>): Promise<CannedResponse> {
  return api.patch<CannedResponse>(`support/canned-responses/${encodeURIComponent(id)}/`, input);
}

export function useUpdateCannedResponse() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: Partial<CannedResponseInput> }) => updateCannedResponse(id, input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: staffKeys.canned() }),
  });
}
