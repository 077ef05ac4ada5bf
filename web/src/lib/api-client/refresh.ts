/** Refreshing the access token: one refresh at a time, and none that ends a session being replaced. */

import { errorFromResponse, networkError } from "./errors";
import { API_BASE, parseBody } from "./http";
import { tokenStore, type Tokens } from "./tokens";

let refreshing: Promise<boolean> | null = null;
// A request that replaces the session's tokens (`replaceSession`), while it is in flight.
let replacing: Promise<unknown> | null = null;
// The longest a refused refresh waits for such a request (a safety net, never reached normally).
const REPLACEMENT_WAIT_MS = 15_000;

async function afterReplacement(): Promise<void> {
  const pending = replacing;
  if (!pending) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cap = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, REPLACEMENT_WAIT_MS);
  });
  await Promise.race([pending.then(noop, noop), cap]);
  clearTimeout(timer);
}

function noop(): void {}

/**
 * Run a request that replaces the session's tokens: a password change, whose answer carries the
 * new pair while the server revokes the old one. A refresh refused meanwhile (say, by the live
 * socket that the server has just closed) waits for the new pair instead of ending the session.
 * The request itself must be sent with `replacesSession: true`.
 */
export function replaceSession(request: () => Promise<Tokens>): Promise<Tokens> {
  const replaced = request().then((tokens) => {
    tokenStore.set(tokens);
    return tokens;
  });
  const tracked: Promise<unknown> = replaced.finally(() => {
    if (replacing === tracked) replacing = null;
  });
  tracked.catch(noop);
  replacing = tracked;
  return replaced;
}

async function refreshOnce(refreshToken: string, waitForReplacement: boolean): Promise<boolean> {
  let response: Response;
  try {
    response = await fetch(`${API_BASE}/auth/token/refresh/`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ refresh: refreshToken }),
    });
  } catch {
    throw networkError();
  }
  if (!response.ok) {
    // Only a refusal of the token itself signs out; a rate limit or an outage does not.
    if (response.status === 400 || response.status === 401) {
      if (waitForReplacement) await afterReplacement();
      const now = tokenStore.get();
      // Another tab may have rotated the token meanwhile: then its new pair is good to use.
      if (now && now.refresh !== refreshToken) return true;
      tokenStore.clear();
      return false;
    }
    throw errorFromResponse(response.status, response.headers, await parseBody(response));
  }
  const data = (await parseBody(response)) as Partial<Tokens> | null;
  if (!data?.access) {
    tokenStore.clear();
    return false;
  }
  // Refresh tokens rotate: the old one is now blacklisted, keep the new one.
  tokenStore.set({ access: data.access, refresh: data.refresh ?? refreshToken });
  return true;
}

/**
 * Get a new access token. Concurrent callers share one refresh. Resolves true when there is a
 * new access token, false when the session is over (and the user is signed out).
 */
export function refreshAccessToken(usedAccess: string | null, waitForReplacement = true): Promise<boolean> {
  const current = tokenStore.get();
  if (!current) return Promise.resolve(false);
  // Someone else already refreshed while our request was in flight.
  if (usedAccess !== null && current.access !== usedAccess) return Promise.resolve(true);
  if (!refreshing) {
    const settled: Promise<boolean> = refreshOnce(current.refresh, waitForReplacement).finally(() => {
      if (refreshing === settled) refreshing = null;
    });
    refreshing = settled;
  }
  return refreshing;
}
