import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useSyncExternalStore } from "react";
import { useNavigate } from "react-router";
import { api, tokenStore } from "@/lib/api-client";
import { clearDrafts } from "@/lib/drafts";

const hasTokens = () => tokenStore.get() !== null;

/** True while this browser holds a session (tokens); follows sign-in and sign-out in any tab. */
export function useIsSignedIn(): boolean {
  return useSyncExternalStore(tokenStore.subscribe, hasTokens, hasTokens);
}

export function useSignOut(): () => void {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(() => {
    const refresh = tokenStore.get()?.refresh;
    // The server blacklists the refresh token, so a copy of it is useless; this browser forgets
    // the session at once either way (signing out must work offline too).
    if (refresh) api.post("auth/logout/", { refresh }, { auth: false }).catch(() => undefined);
    tokenStore.clear();
    // A session that merely expired keeps its drafts for the next sign-in; signing out does not.
    clearDrafts();
    queryClient.clear();
    navigate("/sign-in", { replace: true });
  }, [queryClient, navigate]);
}
