import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiRequest } from "@/lib/api-client";
import { staffKeys } from "@/lib/query-keys";

export function deleteCannedResponse(id: string): Promise<null> {
  return apiRequest<null>(`support/canned-responses/${encodeURIComponent(id)}/`, { method: "DELETE" });
}

export function useDeleteCannedResponse() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteCannedResponse,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: staffKeys.canned() }),
  });
}
