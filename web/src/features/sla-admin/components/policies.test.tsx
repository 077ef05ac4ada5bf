import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { apiError, fakeApi } from "@/testing/fake-api";
import { POLICIES, aPolicy } from "@/features/sla-admin/testing/fake-sla-api";
import { openSlaSettings } from "@/features/sla-admin/testing/render-sla";

const THREE = [
  aPolicy({ id: "pol-b", name: "Everything else", position: 3, conditions: {}, targets: { resolution: 1440 }, escalate_on_breach: false }),
  aPolicy({ id: "pol-a", name: "Urgent billing", position: 1 }),
  aPolicy({ id: "pol-c", name: "Providers", position: 2, conditions: { customer_role: ["provider"] } }),
];

function policyList() {
  return screen.getByRole("list", { name: "Policies, in the order they are tried" });
}

async function shownOrder(): Promise<string[]> {
  const list = await screen.findByRole("list", { name: "Policies, in the order they are tried" });
  return within(list)
    .getAllByRole("listitem")
    .map((item) => item.getAttribute("aria-label") ?? "");
}

describe("service levels: policies", () => {
  it("lists the policies in position order with what they match and their targets", async () => {
    await openSlaSettings({ policies: THREE });
    expect(await shownOrder()).toEqual(["Urgent billing", "Providers", "Everything else"]);
    const urgent = within(policyList()).getByRole("listitem", { name: "Urgent billing" });
    expect(urgent).toHaveTextContent("Priority: Urgent, High · Category: Billing");
    expect(urgent).toHaveTextContent("First response 30m · Next response 1h · Resolution 8h");
    expect(urgent).toHaveTextContent("Calendar: Kathmandu office");
    expect(urgent).toHaveTextContent("Escalates on breach");
    expect(within(policyList()).getByRole("listitem", { name: "Everything else" })).toHaveTextContent(
      "Every ticket",
    );
  });

  it("moves a policy down with a PATCH of its new position, reordering at once", async () => {
    const { user, sla } = await openSlaSettings({ policies: THREE });
    await shownOrder();
    expect(screen.getByRole("button", { name: "Move Urgent billing up" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Move Everything else down" })).toBeDisabled();

    const held = sla.holdNext("PATCH", /sla-policies/);
    await user.click(screen.getByRole("button", { name: "Move Urgent billing down" }));

    // Reordered before the server answers.
    await waitFor(() => expect(fakeApi.calls("PATCH", "/api/support/sla-policies/pol-a/")).toHaveLength(1));
    expect(fakeApi.calls("PATCH", "/api/support/sla-policies/pol-a/")[0]!.body).toEqual({ position: 2 });
    expect(await shownOrder()).toEqual(["Providers", "Urgent billing", "Everything else"]);
    held.release();
    // The list is fetched again and keeps the server's order; the button keeps focus.
    await waitFor(() => expect(fakeApi.calls("GET", POLICIES).length).toBeGreaterThan(1));
    expect(await shownOrder()).toEqual(["Providers", "Urgent billing", "Everything else"]);
    expect(screen.getByRole("button", { name: "Move Urgent billing down" })).toHaveFocus();

    await user.click(screen.getByRole("button", { name: "Move Everything else up" }));
    await waitFor(() => expect(fakeApi.calls("PATCH", "/api/support/sla-policies/pol-b/")).toHaveLength(1));
    expect(fakeApi.calls("PATCH", "/api/support/sla-policies/pol-b/")[0]!.body).toEqual({ position: 2 });
    expect(await shownOrder()).toEqual(["Providers", "Everything else", "Urgent billing"]);

    // At the top its "up" is disabled, so focus moves to its "down".
    await user.click(screen.getByRole("button", { name: "Move Everything else up" }));
    expect(await shownOrder()).toEqual(["Everything else", "Providers", "Urgent billing"]);
    await waitFor(() => expect(screen.getByRole("button", { name: "Move Everything else down" })).toHaveFocus());
    expect(screen.getByRole("button", { name: "Move Everything else up" })).toBeDisabled();
  });

  it("puts the order back and says why when a move is refused", async () => {
    const { user, sla } = await openSlaSettings({ policies: THREE });
    await shownOrder();
    let refuse = (_response: Response) => undefined as void;
    sla.failNext("PATCH", /sla-policies/, new Promise<Response>((resolve) => (refuse = resolve)));
    await user.click(screen.getByRole("button", { name: "Move Providers up" }));
    expect(await shownOrder()).toEqual(["Providers", "Urgent billing", "Everything else"]);

    // The refetch after the failure waits, so the order seen is the cache's own rollback.
    const refetch = sla.holdNext("GET", POLICIES);
    refuse(apiError(403, "permission_denied", "Only admins can change policies."));
    expect(await screen.findByRole("alert")).toHaveTextContent("“Providers” was not moved: Only admins can change policies.");
    expect(await shownOrder()).toEqual(["Urgent billing", "Providers", "Everything else"]);
    refetch.release();
  });

  it("reorders by drag and drop too", async () => {
    await openSlaSettings({ policies: THREE });
    await shownOrder();
    const list = policyList();
    const dataTransfer = { setData: () => undefined, effectAllowed: "", dropEffect: "" };
    fireEvent.dragStart(within(list).getByRole("listitem", { name: "Everything else" }), { dataTransfer });
    const target = within(list).getByRole("listitem", { name: "Urgent billing" });
    fireEvent.dragOver(target, { dataTransfer });
    fireEvent.drop(target, { dataTransfer });

    await waitFor(() => expect(fakeApi.calls("PATCH", "/api/support/sla-policies/pol-b/")).toHaveLength(1));
    expect(fakeApi.calls("PATCH", "/api/support/sla-policies/pol-b/")[0]!.body).toEqual({ position: 1 });
    expect(await shownOrder()).toEqual(["Everything else", "Urgent billing", "Providers"]);
  });

  it("creates a policy: ticked conditions only, blank targets as null, with a friendly preview", async () => {
    const { user } = await openSlaSettings({ policies: [] });
    await user.click(await screen.findByRole("button", { name: "New policy" }));
    const dialog = screen.getByRole("dialog", { name: "New policy" });
    await user.type(within(dialog).getByLabelText(/^Name/), "Billing by email");
    await user.selectOptions(within(dialog).getByLabelText(/^Calendar/), "Kathmandu office");

    const priority = within(dialog).getByRole("group", { name: "Priority" });
    await user.click(within(priority).getByRole("checkbox", { name: "Urgent" }));
    await user.click(within(priority).getByRole("checkbox", { name: "Low" }));
    await user.click(within(within(dialog).getByRole("group", { name: "Source" })).getByRole("checkbox", { name: "Email" }));

    const first = within(dialog).getByLabelText(/^First response/);
    await user.type(first, "90");
    expect(first).toHaveAccessibleDescription(/^= 1h 30m/);
    expect(within(dialog).getByLabelText(/^Next response/)).toHaveAccessibleDescription(/^No target/);
    await user.type(within(dialog).getByLabelText(/^Resolution/), "480");
    await user.click(within(dialog).getByRole("checkbox", { name: "Escalate on breach" }));
    await user.click(within(dialog).getByRole("button", { name: "Create policy" }));

    await waitFor(() => expect(fakeApi.calls("POST", POLICIES)).toHaveLength(1));
    expect(fakeApi.calls("POST", POLICIES)[0]!.body).toEqual({
      name: "Billing by email",
      calendar: "cal-ktm",
      conditions: { priority: ["low", "urgent"], source: ["email"] },
      targets: { first_response: 90, next_response: null, resolution: 480 },
      escalate_on_breach: true,
    });
    expect(await shownOrder()).toEqual(["Billing by email"]);
  });

  it("starts a new policy on the built-in calendar and matches every ticket when nothing is ticked", async () => {
    const { user } = await openSlaSettings({ policies: [] });
    await user.click(await screen.findByRole("button", { name: "New policy" }));
    const dialog = screen.getByRole("dialog", { name: "New policy" });
    await user.type(within(dialog).getByLabelText(/^Name/), "Default");
    await user.type(within(dialog).getByLabelText(/^Next response/), "120");
    await user.click(within(dialog).getByRole("button", { name: "Create policy" }));

    await waitFor(() => expect(fakeApi.calls("POST", POLICIES)).toHaveLength(1));
    expect(fakeApi.calls("POST", POLICIES)[0]!.body).toEqual({
      name: "Default",
      calendar: "cal-247",
      conditions: {},
      targets: { first_response: null, next_response: 120, resolution: null },
      escalate_on_breach: false,
    });
  });

  it("asks for at least one target, and whole minutes, before sending", async () => {
    const { user } = await openSlaSettings({ policies: [] });
    await user.click(await screen.findByRole("button", { name: "New policy" }));
    const dialog = screen.getByRole("dialog", { name: "New policy" });
    await user.type(within(dialog).getByLabelText(/^Name/), "Nothing yet");
    await user.click(within(dialog).getByRole("button", { name: "Create policy" }));
    expect(within(dialog).getByRole("group", { name: "Targets" })).toHaveAccessibleDescription(/Set at least one target\./);

    await user.type(within(dialog).getByLabelText(/^Resolution/), "1.5");
    await user.click(within(dialog).getByRole("button", { name: "Create policy" }));
    expect(within(dialog).getByLabelText(/^Resolution/)).toHaveAccessibleDescription(
      /Enter a whole number of minutes, at least 1\./,
    );
    expect(within(dialog).getByLabelText(/^Resolution/)).toHaveFocus();
    expect(fakeApi.calls("POST", POLICIES)).toHaveLength(0);
  });

  it("edits a policy with its values filled in, and shows the server's details on the fields", async () => {
    const { user, sla } = await openSlaSettings();
    await user.click(await screen.findByRole("button", { name: "Edit Urgent billing" }));
    const dialog = screen.getByRole("dialog", { name: "Edit “Urgent billing”" });
    const priority = within(dialog).getByRole("group", { name: "Priority" });
    expect(within(priority).getByRole("checkbox", { name: "Urgent" })).toBeChecked();
    expect(within(priority).getByRole("checkbox", { name: "Low" })).not.toBeChecked();
    expect(within(dialog).getByLabelText(/^Resolution/)).toHaveValue("480");
    expect(within(dialog).getByLabelText(/^Calendar/)).toHaveValue("cal-ktm");

    sla.failNext(
      "PATCH",
      "/api/support/sla-policies/pol-1/",
      apiError(400, "validation_error", "Check the policy.", {
        name: ["Too long."],
        calendar: ["No such calendar."],
        "conditions.priority": ["Unknown priority: critical."],
        "targets.first_response": ["Must be at least 1."],
        targets: ["A policy needs at least one target."],
      }),
    );
    await user.clear(within(dialog).getByLabelText(/^Next response/));
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent("Check the policy.");
    expect(within(dialog).getByLabelText(/^Name/)).toHaveAccessibleDescription("Too long.");
    expect(within(dialog).getByLabelText(/^Calendar/)).toHaveAccessibleDescription(/No such calendar\./);
    expect(priority).toHaveAccessibleDescription("Unknown priority: critical.");
    expect(within(dialog).getByLabelText(/^First response/)).toHaveAccessibleDescription(/Must be at least 1\./);
    expect(within(dialog).getByRole("group", { name: "Targets" })).toHaveAccessibleDescription(
      /A policy needs at least one target\./,
    );
    expect(fakeApi.calls("PATCH", "/api/support/sla-policies/pol-1/")[0]!.body).toEqual({
      name: "Urgent billing",
      calendar: "cal-ktm",
      conditions: { priority: ["high", "urgent"], category: ["billing"] },
      targets: { first_response: 30, next_response: null, resolution: 480 },
      escalate_on_breach: true,
    });
  });

  it("deletes a policy after confirmation", async () => {
    const { user } = await openSlaSettings({ policies: THREE });
    await shownOrder();
    await user.click(screen.getByRole("button", { name: "Delete Providers" }));
    expect(fakeApi.calls("DELETE", /sla-policies/)).toHaveLength(0);
    await user.click(within(screen.getByRole("alertdialog", { name: "Delete “Providers”?" })).getByRole("button", { name: "Delete" }));

    await waitFor(() => expect(fakeApi.calls("DELETE", "/api/support/sla-policies/pol-c/")).toHaveLength(1));
    await waitFor(async () => expect(await shownOrder()).toEqual(["Urgent billing", "Everything else"]));
    expect(screen.getByText("Deleted “Providers”.")).toBeInTheDocument();
  });
});
