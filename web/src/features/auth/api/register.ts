import { useMutation } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { User } from "@/lib/types";
import { signIn } from "./sign-in";

export interface RegisterInput {
  email: string;
  password: string;
  first_name: string;
  last_name: string;
}

/** Create a customer account, then sign in with it. */
export async function register(input: RegisterInput): Promise<User> {
  const user = await api.post<User>("auth/register/", input, { auth: false });
  await signIn({ email: input.email, password: input.password });
  return user;
}

export function useRegister() {
  return useMutation({ mutationFn: register });
}
