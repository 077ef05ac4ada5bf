import { useMutation } from "@tanstack/react-query";
import { api, replaceSession, type Tokens } from "@/lib/api-client";

export interface ChangePasswordInput {
  current_password: string;
  new_password: string;
}

/** Change the password. Every other session ends; this one continues with the new tokens. */
export function changePassword(input: ChangePasswordInput): Promise<Tokens> {
  return replaceSession(() => api.post<Tokens>("auth/password/change/", input, { replacesSession: true }));
}

export function useChangePassword() {
  return useMutation({ mutationFn: changePassword });
}
