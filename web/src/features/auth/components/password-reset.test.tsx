import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { tokenStore } from "@/lib/api-client";
import { apiError, fakeApi, json } from "@/testing/fake-api";
import { renderApp } from "@/testing/render";

const RESET = "/api/auth/password/reset/";
const CONFIRM = "/api/auth/password/reset/confirm/";
const CHECK = "/api/auth/password/reset/check/";

describe("forgotten password", () => {
  it("goes from sign-in to a request form, then says to check the email", async () => {
    const user = userEvent.setup();
    fakeApi.once("POST", RESET, json({ detail: "If an account uses this email, a reset link is on its way." }, { status: 202 }));
    const { router } = renderApp("/sign-in");

    await user.click(await screen.findByRole("link", { name: "Forgot password?" }));
    expect(await screen.findByRole("heading", { name: "Reset your password" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/forgot-password");

    await user.click(screen.getByRole("button", { name: "Send reset link" }));
    expect(screen.getByLabelText(/Email/)).toHaveAccessibleDescription("Enter your email address.");
    expect(fakeApi.calls("POST", RESET)).toHaveLength(0);

    await user.type(screen.getByLabelText(/Email/), "carol@example.com");
    await user.click(screen.getByRole("button", { name: "Send reset link" }));

    expect(await screen.findByRole("heading", { name: "Check your email" })).toBeInTheDocument();
    expect(screen.getByText("carol@example.com")).toBeInTheDocument();
    expect(fakeApi.calls("POST", RESET)[0]!.body).toEqual({ email: "carol@example.com" });
    expect(fakeApi.calls("POST", RESET)[0]!.headers.get("Authorization")).toBeNull();
    expect(screen.getByRole("link", { name: "Back to sign in" })).toHaveAttribute("href", "/sign-in");
  });

  it("shows a rate limit as a sentence", async () => {
    const user = userEvent.setup();
    fakeApi.once("POST", RESET, apiError(429, "rate_limit_exceeded", "Too many requests.", {}, { "Retry-After": "30" }));
    renderApp("/forgot-password");
    await user.type(await screen.findByLabelText(/Email/), "carol@example.com");
    await user.click(screen.getByRole("button", { name: "Send reset link" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Too many requests, try again in 30 seconds.");
  });
});

describe("setting a new password from the emailed link", () => {
  const link = "/reset-password?uid=MTIz&token=abc-123";

  beforeEach(() => {
    fakeApi.on("POST", CHECK, { valid: true });
  });

  async function fill(user: ReturnType<typeof userEvent.setup>, password: string, repeat = password) {
    await user.type(await screen.findByLabelText(/^New password/), password);
    await user.type(screen.getByLabelText(/Repeat the new password/), repeat);
    await user.click(screen.getByRole("button", { name: "Set new password" }));
  }

  it("sets the password with the link's uid and token, then leads to sign-in", async () => {
    const user = userEvent.setup();
    fakeApi.once("POST", CONFIRM, { detail: "Your password is changed. Sign in with the new one." });
    renderApp(link);

    await fill(user, "a-new-long-passphrase");

    expect(await screen.findByRole("heading", { name: "Your password is changed" })).toBeInTheDocument();
    expect(fakeApi.calls("POST", CONFIRM)[0]!.body).toEqual({
      uid: "MTIz",
      token: "abc-123",
      new_password: "a-new-long-passphrase",
    });
    expect(screen.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/sign-in");
  });

  it("says when the link is expired or used, and offers a new one", async () => {
    const user = userEvent.setup();
    fakeApi.once(
      "POST",
      CONFIRM,
      apiError(400, "validation_error", "This reset link is invalid, expired or already used.", {
        token: ["This reset link is invalid, expired or already used."],
      }),
    );
    renderApp(link);

    await fill(user, "a-new-long-passphrase");

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("This reset link is invalid, expired or already used.");
    expect(within(alert).getByRole("link", { name: "Ask for a new link" })).toHaveAttribute("href", "/forgot-password");
  });

  it("puts the server's password rules on the field, and checks the repeat first", async () => {
    const user = userEvent.setup();
    renderApp(link);
    await fill(user, "password1", "password2");
    expect(screen.getByLabelText(/Repeat the new password/)).toHaveAccessibleDescription(
      "The two passwords are not the same.",
    );
    expect(fakeApi.calls("POST", CONFIRM)).toHaveLength(0);

    fakeApi.once(
      "POST",
      CONFIRM,
      apiError(400, "validation_error", "This password is too common.", { password: ["This password is too common."] }),
    );
    await user.clear(screen.getByLabelText(/Repeat the new password/));
    await user.type(screen.getByLabelText(/Repeat the new password/), "password1");
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    await waitFor(() =>
      expect(screen.getByLabelText(/^New password/)).toHaveAccessibleDescription(/This password is too common\./),
    );
  });

  it("explains an incomplete link", async () => {
    renderApp("/reset-password?uid=MTIz");
    expect(await screen.findByText(/This reset link is incomplete/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Set new password" })).toBeNull();
  });

  it("ends this browser's session too, since the reset signs out everywhere", async () => {
    const user = userEvent.setup();
    tokenStore.set({ access: "a1", refresh: "r1" });
    fakeApi.on("GET", "/api/auth/me/", { id: "user-carol" });
    fakeApi.once("POST", CONFIRM, { detail: "Your password is changed." });
    renderApp(link);
    await fill(user, "a-new-long-passphrase");
    expect(await screen.findByRole("heading", { name: "Your password is changed" })).toBeInTheDocument();
    expect(tokenStore.get()).toBeNull();
  });
});

describe("a reset link that no longer works", () => {
  it("says at once when the link was used or has expired, without a form that cannot work", async () => {
    fakeApi.on("POST", CHECK, { valid: false });
    renderApp("/reset-password?uid=MTIz&token=abc-123");
    expect(await screen.findByRole("heading", { name: "This link no longer works" })).toBeInTheDocument();
    expect(screen.queryByLabelText(/^New password/)).not.toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Ask for a new link" })).toHaveAttribute("href", "/forgot-password");
    expect(fakeApi.calls("POST", CHECK)[0]!.body).toEqual({ uid: "MTIz", token: "abc-123" });
    expect(fakeApi.calls("POST", CHECK)[0]!.headers.get("Authorization")).toBeNull();
  });
});
