import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useSyncExternalStore } from "react";
import { useNavigate } from "react-router";
import { tokenStore } from "../../../lib/api-client";

const hasTokens = () => tokenStore.get() !== null;

/** True while this browser holds a session (tokens); follows sign-in and sign-out in any tab. */
export function useIsSignedIn(): boolean {
  return useSyncExternalStore(tokenStore.subscribe, hasTokens, hasTokens);
}

export function useSignOut(): () => void {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(() => {
    tokenStore.clear();
    queryClient.clear();
    navigate("/sign-in", { replace: true });
  }, [queryClient, navigate]);
}
