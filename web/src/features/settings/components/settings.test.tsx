import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { tokenStore } from "@/lib/api-client";
import { aPage, aUser } from "@/testing/data";
import { apiError, fakeApi, json } from "@/testing/fake-api";
import { renderApp, signInAs } from "@/testing/render";
import type { User } from "@/lib/types";

const PREFS = "/api/notifications/preferences/";

async function openSettings(path = "/settings", user: User = aUser()) {
  const events = userEvent.setup();
  signInAs(user);
  fakeApi.on("GET", "/api/notifications/unread-count/", { unread: 0 });
  const email = user.is_staff
    ? { customer_reply: true, ticket_assigned: true, ticket_escalated: false }
    : { ticket_created: true, staff_reply: true };
  fakeApi.on("GET", PREFS, { email });
  const rendered = renderApp(path);
  await screen.findByRole("heading", { level: 1, name: "Settings" });
  return { user: events, ...rendered };
}

describe("settings: email notifications", () => {
  it("shows a switch per kind with words, and saves a change at once", async () => {
    const { user } = await openSettings();
    fakeApi.once("PATCH", PREFS, json({ email: { ticket_created: true, staff_reply: false } }));

    const replies = await screen.findByRole("switch", { name: "Replies from support" });
    expect(screen.getByRole("switch", { name: "Ticket confirmations" })).toBeChecked();
    expect(replies).toBeChecked();
    expect(replies).toHaveAccessibleDescription(/when our support team answers/);

    await user.click(replies);

    expect(replies).not.toBeChecked();
    expect(fakeApi.calls("PATCH", PREFS).map((call) => call.body)).toEqual([{ email: { staff_reply: false } }]);
    expect(await screen.findByText("Saved: Replies from support emails are off.")).toBeInTheDocument();
  });

  it("puts the switch back and says why when the server refuses", async () => {
    const { user } = await openSettings();
    fakeApi.once(
      "PATCH",
      PREFS,
      apiError(400, "validation_error", "Unknown email kind for your account: staff_reply.", {
        staff_reply: ["Choose from: ticket_created."],
      }),
    );
    const replies = await screen.findByRole("switch", { name: "Replies from support" });

    await user.click(replies);

    expect(await screen.findByRole("alert")).toHaveTextContent("Not saved:");
    expect(replies).toBeChecked();
  });

  it("shows staff their own kinds, and opens at them from the emails' link", async () => {
    await openSettings("/settings/notifications", aUser({ role: "agent", is_staff: true }));
    expect(await screen.findByRole("switch", { name: "Assignments" })).toBeChecked();
    expect(screen.getByRole("switch", { name: "Escalations" })).not.toBeChecked();
    expect(screen.getByRole("switch", { name: "Customer replies" })).toBeChecked();
    expect(screen.getByRole("heading", { name: "Email notifications" })).toHaveFocus();
    // Staff accounts are removed by an admin.
    expect(screen.queryByRole("button", { name: /Delete my account/ })).toBeNull();
  });
});

describe("settings: SLA alerts for staff", () => {
  it("names the SLA alert kinds, and saves a change", async () => {
    const events = userEvent.setup();
    signInAs(aUser({ role: "agent", is_staff: true }));
    fakeApi.on("GET", "/api/notifications/unread-count/", { unread: 0 });
    fakeApi.on("GET", PREFS, { email: { customer_reply: true, sla_warning: true, sla_breached: true } });
    fakeApi.once("PATCH", PREFS, json({ email: { customer_reply: true, sla_warning: false, sla_breached: true } }));
    renderApp("/settings/notifications");

    const warning = await screen.findByRole("switch", { name: "SLA at risk" });
    expect(warning).toHaveAccessibleDescription(/a quarter of its SLA time left/);
    expect(screen.getByRole("switch", { name: "SLA breached" })).toHaveAccessibleDescription(/misses its SLA/);

    await events.click(warning);
    expect(fakeApi.calls("PATCH", PREFS).map((call) => call.body)).toEqual([{ email: { sla_warning: false } }]);
    expect(await screen.findByText("Saved: SLA at risk emails are off.")).toBeInTheDocument();
  });
});

describe("settings: password", () => {
  it("changes the password and keeps the session with the new tokens", async () => {
    const { user } = await openSettings();
    fakeApi.once("POST", "/api/auth/password/change/", { access: "access-new", refresh: "refresh-new" });
    const form = screen.getByRole("form", { name: "Change password" });

    await user.type(within(form).getByLabelText(/Current password/), "old-passphrase");
    await user.type(within(form).getByLabelText(/^New password/), "a-new-long-passphrase");
    await user.type(within(form).getByLabelText(/Repeat the new password/), "a-new-long-passphrase");
    await user.click(within(form).getByRole("button", { name: "Change password" }));

    expect(await within(form).findByText("Your password is changed.")).toBeInTheDocument();
    expect(fakeApi.calls("POST", "/api/auth/password/change/")[0]!.body).toEqual({
      current_password: "old-passphrase",
      new_password: "a-new-long-passphrase",
    });
    expect(tokenStore.get()).toEqual({ access: "access-new", refresh: "refresh-new" });
    expect(within(form).getByLabelText(/Current password/)).toHaveValue("");
    // Still signed in, and later calls use the new token.
    expect(screen.getByRole("heading", { level: 1, name: "Settings" })).toBeInTheDocument();
  });

  it("checks the repeat locally and puts the server's errors on the right fields", async () => {
    const { user } = await openSettings();
    const form = screen.getByRole("form", { name: "Change password" });
    await user.type(within(form).getByLabelText(/Current password/), "wrong");
    await user.type(within(form).getByLabelText(/^New password/), "password1");
    await user.type(within(form).getByLabelText(/Repeat the new password/), "password2");
    await user.click(within(form).getByRole("button", { name: "Change password" }));
    expect(within(form).getByLabelText(/Repeat the new password/)).toHaveAccessibleDescription(
      "The two new passwords are not the same.",
    );
    expect(fakeApi.calls("POST", "/api/auth/password/change/")).toHaveLength(0);

    fakeApi.once(
      "POST",
      "/api/auth/password/change/",
      apiError(400, "validation_error", "The current password is not correct.", {
        current_password: ["The current password is not correct."],
      }),
    );
    await user.clear(within(form).getByLabelText(/Repeat the new password/));
    await user.type(within(form).getByLabelText(/Repeat the new password/), "password1");
    await user.click(within(form).getByRole("button", { name: "Change password" }));
    await waitFor(() =>
      expect(within(form).getByLabelText(/Current password/)).toHaveAccessibleDescription(
        "The current password is not correct.",
      ),
    );

    fakeApi.once(
      "POST",
      "/api/auth/password/change/",
      apiError(400, "validation_error", "This password is too common.", { password: ["This password is too common."] }),
    );
    await user.click(within(form).getByRole("button", { name: "Change password" }));
    await waitFor(() =>
      expect(within(form).getByLabelText(/^New password/)).toHaveAccessibleDescription(/This password is too common\./),
    );
    expect(tokenStore.get()).toEqual({ access: "access-1", refresh: "refresh-1" });
  });
});

describe("settings: your data", () => {
  it("downloads the archive with the session's token", async () => {
    const { user } = await openSettings();
    const clicked: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    fakeApi.once(
      "GET",
      "/api/auth/me/export/",
      new Response(new Blob(["PK"]), { headers: { "Content-Type": "application/zip" } }),
    );

    await user.click(screen.getByRole("button", { name: "Download my data" }));

    expect(await screen.findByText("Your download has started.")).toBeInTheDocument();
    expect(fakeApi.calls("GET", "/api/auth/me/export/")[0]!.headers.get("Authorization")).toBe("Bearer access-1");
    expect(clicked).toHaveLength(1);
    expect(clicked[0]).toMatch(/^support-desk-data-\d{8}\.zip$/);
    click.mockRestore();
  });
});

describe("settings: delete account", () => {
  it("asks for the password, shows a wrong one, then deletes and signs out", async () => {
    const { user, router } = await openSettings();
    fakeApi.on("GET", "/api/support/tickets/", aPage([]));

    await user.click(screen.getByRole("button", { name: "Delete my account…" }));
    const dialog = screen.getByRole("alertdialog", { name: "Delete your account?" });
    expect(within(dialog).getByLabelText(/Your password/)).toHaveFocus();

    await user.click(within(dialog).getByRole("button", { name: "Delete my account" }));
    expect(within(dialog).getByLabelText(/Your password/)).toHaveAccessibleDescription("Enter your password to confirm.");
    expect(fakeApi.calls("POST", "/api/auth/me/delete/")).toHaveLength(0);

    fakeApi.once(
      "POST",
      "/api/auth/me/delete/",
      apiError(400, "validation_error", "The password is not correct.", { password: ["The password is not correct."] }),
    );
    await user.type(within(dialog).getByLabelText(/Your password/), "wrong");
    await user.click(within(dialog).getByRole("button", { name: "Delete my account" }));
    await waitFor(() =>
      expect(within(dialog).getByLabelText(/Your password/)).toHaveAccessibleDescription("The password is not correct."),
    );
    expect(tokenStore.get()).not.toBeNull();

    fakeApi.once("POST", "/api/auth/me/delete/", () => new Response(null, { status: 204 }));
    await user.clear(within(dialog).getByLabelText(/Your password/));
    await user.type(within(dialog).getByLabelText(/Your password/), "the-right-one");
    await user.click(within(dialog).getByRole("button", { name: "Delete my account" }));

    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(screen.getByText("Your account and all its data have been deleted.")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/sign-in");
    expect(tokenStore.get()).toBeNull();
    expect(fakeApi.calls("POST", "/api/auth/me/delete/").map((call) => call.body)).toEqual([
      { password: "wrong" },
      { password: "the-right-one" },
    ]);
  });

  it("keeps the account when the user changes their mind", async () => {
    const { user } = await openSettings();
    await user.click(screen.getByRole("button", { name: "Delete my account…" }));
    await user.click(screen.getByRole("button", { name: "Keep my account" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(fakeApi.calls("POST", "/api/auth/me/delete/")).toHaveLength(0);
    expect(screen.getByRole("button", { name: "Delete my account…" })).toHaveFocus();
  });
});
