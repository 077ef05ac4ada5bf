import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { staffKeys } from "@/lib/query-keys";
import type { CannedResponse, CannedResponseInput } from "@/features/staff/types";

export function createCannedResponse(input: CannedResponseInput): Promise<CannedResponse> {
  return api.post<CannedResponse>("support/canned-responses/", input);
}

export function useCreateCannedResponse() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createCannedResponse,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: staffKeys.canned() }),
  });
}
