import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { tokenStore } from "@/lib/api-client";
import { aPage, aUser } from "@/testing/data";
import { apiError, fakeApi, json } from "@/testing/fake-api";
import { renderApp } from "@/testing/render";

describe("sign in, register, sign out", () => {
  it("sends a visitor to sign in and back to the page they asked for", async () => {
    const user = userEvent.setup();
    fakeApi.once("POST", "/api/auth/token/", { access: "a1", refresh: "r1" });
    fakeApi.on("GET", "/api/auth/me/", aUser());
    fakeApi.on("GET", "/api/support/tickets/", aPage([]));

    const { router } = renderApp("/tickets?status=open");
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent("/tickets?status=open")}`);

    await user.type(screen.getByLabelText(/Email/), "carol@example.com");
    await user.type(screen.getByLabelText(/Password/), "demo-pass-2026");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("heading", { name: "Your tickets" })).toBeInTheDocument();
    expect(router.state.location.pathname + router.state.location.search).toBe("/tickets?status=open");
    expect(tokenStore.get()).toEqual({ access: "a1", refresh: "r1" });
    expect(fakeApi.calls("GET", "/api/auth/me/")[0]!.headers.get("Authorization")).toBe("Bearer a1");
  });

  it("says why signing in failed", async () => {
    const user = userEvent.setup();
    fakeApi.once(
      "POST",
      "/api/auth/token/",
      apiError(401, "not_authenticated", "No active account found with the given credentials"),
    );
    renderApp("/sign-in");

    await user.click(await screen.findByRole("button", { name: "Sign in" }));
    expect(screen.getByLabelText(/Email/)).toHaveAccessibleDescription("Enter your email address.");
    expect(fakeApi.calls("POST", "/api/auth/token/")).toHaveLength(0);

    await user.type(screen.getByLabelText(/Email/), "carol@example.com");
    await user.type(screen.getByLabelText(/Password/), "wrong");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("No active account found with the given credentials");
    expect(tokenStore.get()).toBeNull();
  });

  it("registers, puts the server's field errors on the fields, then signs in", async () => {
    const user = userEvent.setup();
    fakeApi.once(
      "POST",
      "/api/auth/register/",
      apiError(400, "validation_error", "password: This password is too common.", {
        password: ["This password is too common."],
      }),
    );
    fakeApi.once("POST", "/api/auth/register/", json(aUser({ email: "new@example.com" }), { status: 201 }));
    fakeApi.once("POST", "/api/auth/token/", { access: "a1", refresh: "r1" });
    fakeApi.on("GET", "/api/auth/me/", aUser({ email: "new@example.com" }));
    fakeApi.on("GET", "/api/support/tickets/", aPage([]));
    const { router } = renderApp("/register");

    await user.type(await screen.findByLabelText(/Email/), "new@example.com");
    await user.type(screen.getByLabelText(/Password/), "password1");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    await waitFor(() =>
      expect(screen.getByLabelText(/Password/)).toHaveAccessibleDescription(/This password is too common\./),
    );

    await user.clear(screen.getByLabelText(/Password/));
    await user.type(screen.getByLabelText(/Password/), "a-much-better-passphrase");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(await screen.findByText("You have no tickets yet.")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/tickets");
    expect(fakeApi.calls("POST", "/api/auth/token/")[0]!.body).toEqual({
      email: "new@example.com",
      password: "a-much-better-passphrase",
    });
  });

  it("signs out from the header", async () => {
    const user = userEvent.setup();
    tokenStore.set({ access: "a1", refresh: "r1" });
    fakeApi.on("GET", "/api/auth/me/", aUser());
    fakeApi.on("GET", "/api/support/tickets/", aPage([]));
    const { router, queryClient } = renderApp("/tickets");

    await user.click(await screen.findByRole("button", { name: "Sign out" }));

    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/sign-in");
    expect(tokenStore.get()).toBeNull();
    // Nothing fetched for the old session is kept.
    expect(queryClient.getQueryCache().getAll().filter((query) => query.state.data !== undefined)).toEqual([]);
  });

  it("ends on the sign-in page when the session can no longer be refreshed", async () => {
    tokenStore.set({ access: "a2", refresh: "r2" });
    fakeApi.on("GET", "/api/auth/me/", aUser());
    fakeApi.on("GET", "/api/support/tickets/ticket-1/", apiError(401, "not_authenticated", "Expired."));
    fakeApi.once("POST", "/api/auth/token/refresh/", apiError(401, "not_authenticated", "Token is blacklisted."));

    const { router } = renderApp("/tickets/ticket-1");

    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(tokenStore.get()).toBeNull();
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent("/tickets/ticket-1")}`);
  });
});
