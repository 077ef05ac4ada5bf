import { useMutation } from "@tanstack/react-query";
import { api, tokenStore, type Tokens } from "@/lib/api-client";

export interface SignInInput {
  email: string;
  password: string;
}

export async function signIn(input: SignInInput): Promise<Tokens> {
  const tokens = await api.post<Tokens>("auth/token/", input, { auth: false });
  tokenStore.set(tokens);
  return tokens;
}

export function useSignIn() {
  return useMutation({ mutationFn: signIn });
}
