import { useMutation } from "@tanstack/react-query";
import { api, tokenStore, type Tokens } from "../../../lib/api-client";

export interface ChangePasswordInput {
  current_password: string;
  new_password: string;
}

/** Change the password. Every other session ends; this one continues with the new tokens. */
export async function changePassword(input: ChangePasswordInput): Promise<Tokens> {
  const tokens = await api.post<Tokens>("auth/password/change/", input);
  tokenStore.set(tokens);
  return tokens;
}

export function useChangePassword() {
  return useMutation({ mutationFn: changePassword });
}
