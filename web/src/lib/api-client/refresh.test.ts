import { describe, expect, it, vi } from "vitest";
import { ApiError, api, refreshAccessToken, replaceSession, tokenStore, type Tokens } from "@/lib/api-client";
import { apiError, fakeApi, json } from "@/testing/fake-api";
import { ME, REFRESH, caught, signedIn } from "./test-helpers";

describe("api client: tokens", () => {
  it("sends the bearer token on every call", async () => {
    signedIn("access-1");
    fakeApi.on("GET", ME, { id: "u1" });

    await api.get("auth/me/");

    expect(fakeApi.calls("GET", ME)[0]!.headers.get("Authorization")).toBe("Bearer access-1");
  });

  it("refreshes once on a 401, keeps the rotated refresh token, and retries the call", async () => {
    signedIn("access-old", "refresh-old");
    fakeApi.once("GET", ME, apiError(401, "not_authenticated", "Token expired."));
    fakeApi.once("POST", REFRESH, { access: "access-new", refresh: "refresh-new" });
    fakeApi.once("GET", ME, { id: "u1" });

    const me = await api.get<{ id: string }>("auth/me/");

    expect(me).toEqual({ id: "u1" });
    expect(fakeApi.calls("POST", REFRESH)[0]!.body).toEqual({ refresh: "refresh-old" });
    const attempts = fakeApi.calls("GET", ME);
    expect(attempts.map((call) => call.headers.get("Authorization"))).toEqual([
      "Bearer access-old",
      "Bearer access-new",
    ]);
    expect(tokenStore.get()).toEqual({ access: "access-new", refresh: "refresh-new" });
  });

  it("shares one refresh between calls that fail together (rotated tokens cannot be used twice)", async () => {
    signedIn("access-old", "refresh-old");
    fakeApi.on("GET", ME, (request) =>
      request.headers.get("Authorization") === "Bearer access-new"
        ? json({ id: "u1" })
        : apiError(401, "not_authenticated", "Token expired."),
    );
    fakeApi.once("POST", REFRESH, { access: "access-new", refresh: "refresh-new" });

    const results = await Promise.all([api.get("auth/me/"), api.get("auth/me/"), api.get("auth/me/")]);

    expect(results).toHaveLength(3);
    expect(fakeApi.calls("POST", REFRESH)).toHaveLength(1);
  });

  it("signs out when the refresh token is refused", async () => {
    signedIn();
    let signOuts = 0;
    const unsubscribe = tokenStore.subscribe(() => {
      if (tokenStore.get() === null) signOuts += 1;
    });
    fakeApi.once("GET", ME, apiError(401, "not_authenticated", "Token expired."));
    fakeApi.once("POST", REFRESH, apiError(401, "not_authenticated", "Token is blacklisted."));

    const error = await caught(api.get("auth/me/"));
    unsubscribe();

    expect(error.status).toBe(401);
    expect(error.message).toMatch(/sign in again/i);
    expect(tokenStore.get()).toBeNull();
    expect(signOuts).toBe(1);
    expect(fakeApi.calls("GET", ME)).toHaveLength(1); // no retry without a token
  });

  it("uses the pair another tab rotated in meanwhile instead of signing out", async () => {
    signedIn("access-old", "refresh-old");
    fakeApi.on("GET", ME, (request) =>
      request.headers.get("Authorization") === "Bearer access-other-tab"
        ? json({ id: "u1" })
        : apiError(401, "not_authenticated", "Token expired."),
    );
    fakeApi.once("POST", REFRESH, () => {
      // The other tab won the race: our old refresh token is already blacklisted.
      tokenStore.set({ access: "access-other-tab", refresh: "refresh-other-tab" });
      return apiError(401, "not_authenticated", "Token is blacklisted.");
    });

    await expect(api.get("auth/me/")).resolves.toEqual({ id: "u1" });
    expect(tokenStore.get()).toEqual({ access: "access-other-tab", refresh: "refresh-other-tab" });
  });

  it("retries only once: a second 401 after a refresh ends the session", async () => {
    signedIn();
    fakeApi.on("GET", ME, apiError(401, "not_authenticated", "Nope."));
    fakeApi.once("POST", REFRESH, { access: "access-new", refresh: "refresh-new" });

    await caught(api.get("auth/me/"));

    expect(fakeApi.calls("GET", ME)).toHaveLength(2);
    expect(tokenStore.get()).toBeNull();
  });

  it("keeps the session when the refresh fails for another reason (the server is down)", async () => {
    signedIn();
    fakeApi.once("GET", ME, apiError(401, "not_authenticated", "Token expired."));
    fakeApi.once("POST", REFRESH, new Response("Bad gateway", { status: 502 }));

    const error = await caught(api.get("auth/me/"));

    expect(error.status).toBe(502);
    expect(tokenStore.get()).not.toBeNull();
  });

  it("does not try to refresh for calls made without a session (wrong password at sign-in)", async () => {
    fakeApi.once(
      "POST",
      "/api/auth/token/",
      apiError(401, "not_authenticated", "No active account found with the given credentials"),
    );

    const error = await caught(api.post("auth/token/", { email: "a@b.c", password: "x" }, { auth: false }));

    expect(error.message).toBe("No active account found with the given credentials");
    expect(fakeApi.calls("POST", REFRESH)).toHaveLength(0);
    expect(fakeApi.calls("POST", "/api/auth/token/")[0]!.headers.get("Authorization")).toBeNull();
  });
});

describe("api client: a password change replaces the session", () => {
  const CHANGE = "/api/auth/password/change/";

  function deferredAnswer() {
    let answer: (response: Response) => void = () => undefined;
    const response = new Promise<Response>((resolve) => {
      answer = resolve;
    });
    return { response, answer };
  }

  function change() {
    return replaceSession(() =>
      api.post<Tokens>("auth/password/change/", { current_password: "a", new_password: "b" }, { replacesSession: true }),
    );
  }

  /** A password change still waiting for its answer, and a refresh the server has refused
   * meanwhile (it revoked the old refresh token; the socket it closed asks for a new one). */
  async function changeWhileARefreshIsRefused() {
    signedIn("access-old", "refresh-old");
    const server = deferredAnswer();
    fakeApi.once("POST", CHANGE, () => server.response);
    fakeApi.once("POST", REFRESH, apiError(401, "token_not_valid", "Token is blacklisted."));
    const changed = change();
    const refreshed = refreshAccessToken("access-old");
    await vi.waitFor(() => expect(fakeApi.calls("POST", REFRESH)).toHaveLength(1));
    return { server, changed, refreshed };
  }

  it("a refresh refused while the change is in flight waits for the new tokens instead of signing out", async () => {
    const { server, changed, refreshed } = await changeWhileARefreshIsRefused();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(tokenStore.get()).toEqual({ access: "access-old", refresh: "refresh-old" }); // not signed out

    server.answer(json({ access: "access-new", refresh: "refresh-new" }));
    await expect(changed).resolves.toEqual({ access: "access-new", refresh: "refresh-new" });
    await expect(refreshed).resolves.toBe(true);
    expect(tokenStore.get()).toEqual({ access: "access-new", refresh: "refresh-new" });
  });

  it("when the change fails, a refused refresh ends the session as usual", async () => {
    const { server, changed, refreshed } = await changeWhileARefreshIsRefused();
    server.answer(apiError(400, "validation_error", "Your current password is wrong."));

    await expect(changed).rejects.toBeInstanceOf(ApiError);
    await expect(refreshed).resolves.toBe(false);
    expect(tokenStore.get()).toBeNull();
  });

  it("the change's own refresh (an expired access token) does not wait for the change", async () => {
    signedIn("access-old", "refresh-old");
    fakeApi.once("POST", CHANGE, apiError(401, "not_authenticated", "Token expired."));
    fakeApi.once("POST", REFRESH, { access: "access-2", refresh: "refresh-2" });
    fakeApi.once("POST", CHANGE, { access: "access-3", refresh: "refresh-3" });

    await expect(change()).resolves.toEqual({ access: "access-3", refresh: "refresh-3" });
    expect(fakeApi.calls("POST", CHANGE).map((call) => call.headers.get("Authorization"))).toEqual([
      "Bearer access-old",
      "Bearer access-2",
    ]);
    expect(tokenStore.get()).toEqual({ access: "access-3", refresh: "refresh-3" });
  });
});
