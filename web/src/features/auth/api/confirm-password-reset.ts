import { useMutation } from "@tanstack/react-query";
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
