import { useMutation } from "@tanstack/react-query";
import { api, tokenStore } from "@/lib/api-client";
import { setSessionNotice } from "@/lib/session-notice";

/** Delete the account and everything that is the user's, for good. */
export function deleteAccount(password: string): Promise<null> {
  return api.post<null>("auth/me/delete/", { password });
}

/** Delete the account; the session ends with it (the app then shows the sign-in page). */
export function useDeleteAccount() {
  return useMutation({
    mutationFn: deleteAccount,
    onSuccess: () => {
      setSessionNotice("Your account and all its data have been deleted.");
      tokenStore.clear();
    },
  });
}
