import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { aUser } from "@/testing/data";
import { fakeApi } from "@/testing/fake-api";
import { anAgentUser } from "@/testing/staff-data";
import { CALENDARS, POLICIES } from "@/features/sla-admin/testing/fake-sla-api";
import { openSlaSettings } from "@/features/sla-admin/testing/render-sla";

describe("service levels: who may see and change them", () => {
  it("links admins to the page from the staff navigation", async () => {
    await openSlaSettings();
    const nav = screen.getByRole("navigation", { name: "Staff workspace" });
    const link = within(nav).getByRole("link", { name: "Service levels" });
    expect(link).toHaveAttribute("href", "/settings/sla");
    expect(link).toHaveAttribute("aria-current", "page");
    expect(document.title).toBe("Service levels · Support Desk");
    expect(await screen.findByRole("button", { name: "New calendar" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "New policy" })).toBeInTheDocument();
  });

  it("shows staff who are not admins everything read-only, with no link in the navigation", async () => {
    const { user } = await openSlaSettings({ user: anAgentUser() });
    const nav = screen.getByRole("navigation", { name: "Staff workspace" });
    expect(within(nav).queryByRole("link", { name: "Service levels" })).toBeNull();
    expect(screen.getByText("You can view these settings. Only admins can change them.")).toBeInTheDocument();

    await screen.findByRole("listitem", { name: "Urgent billing" });
    expect(screen.getByRole("listitem", { name: "Kathmandu office" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^(New|Edit|Delete|Move) / })).toBeNull();

    await user.click(screen.getByRole("button", { name: "View Kathmandu office" }));
    const dialog = screen.getByRole("dialog", { name: "Kathmandu office" });
    expect(within(dialog).getByLabelText(/^Time zone/)).toHaveAttribute("readonly");
    expect(within(dialog).queryByRole("button", { name: /Save|Add|Remove/ })).toBeNull();
  });

  it("never shows customers the page or asks the API for it", async () => {
    await openSlaSettings({ user: aUser() });
    expect(await screen.findByRole("heading", { name: "This page is for support staff" })).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Service levels" })).toBeNull();
    expect(screen.queryByRole("link", { name: "Service levels" })).toBeNull();
    expect(fakeApi.calls("GET", CALENDARS)).toHaveLength(0);
    expect(fakeApi.calls("GET", POLICIES)).toHaveLength(0);
  });
});
