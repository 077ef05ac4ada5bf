import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { authKeys } from "@/lib/query-keys";
import type { User } from "@/lib/types";
import { useIsSignedIn } from "@/features/auth/hooks/use-session";

export function getMe(): Promise<User> {
  return api.get<User>("auth/me/");
}

export const meQuery = () => queryOptions({ queryKey: authKeys.me, queryFn: getMe, staleTime: 5 * 60_000 });

export function useMe() {
  const signedIn = useIsSignedIn();
  return useQuery({ ...meQuery(), enabled: signedIn });
}
