/** Helpers shared by this folder's tests. */
import { ApiError, tokenStore } from "@/lib/api-client";

export const ME = "/api/auth/me/";
export const REFRESH = "/api/auth/token/refresh/";

export function signedIn(access = "access-old", refresh = "refresh-old") {
  tokenStore.set({ access, refresh });
}

export async function caught(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected the request to fail");
}
