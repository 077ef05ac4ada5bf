import { useMutation } from "@tanstack/react-query";
import { api } from "@/lib/api-client";

/** Ask for a reset link by email; the server answers the same whether or not the email is known. */
export function requestPasswordReset(email: string): Promise<{ detail: string }> {
  return api.post<{ detail: string }>("auth/password/reset/", { email }, { auth: false });
}

export function useRequestPasswordReset() {
  return useMutation({ mutationFn: requestPasswordReset });
}
