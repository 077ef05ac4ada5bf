import { useMutation, useQuery } from "@tanstack/react-query";
import { api, tokenStore } from "@/lib/api-client";

export interface ConfirmPasswordResetInput {
  uid: string;
  token: string;
  new_password: string;
}

/** Set a new password from the emailed link. Every session ends, this browser's included. */
export async function confirmPasswordReset(input: ConfirmPasswordResetInput): Promise<{ detail: string }> {
  const result = await api.post<{ detail: string }>("auth/password/reset/confirm/", input, { auth: false });
  if (tokenStore.get()) tokenStore.clear();
  return result;
}

export function useConfirmPasswordReset() {
  return useMutation({ mutationFn: confirmPasswordReset });
}

/** Whether a reset link still works (once, until it expires): asked before its form is shown. */
export function useResetLinkState(uid: string, token: string) {
  return useQuery({
    queryKey: ["auth", "reset-link", uid, token],
    queryFn: () => api.post<{ valid: boolean }>("auth/password/reset/check/", { uid, token }, { auth: false }),
    enabled: Boolean(uid && token),
    retry: false,
    staleTime: Infinity,
  });
}
