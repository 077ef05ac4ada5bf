import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { apiError, fakeApi } from "@/testing/fake-api";
import { CALENDARS, aCalendar, theBuiltinCalendar } from "@/features/sla-admin/testing/fake-sla-api";
import { openSlaSettings } from "@/features/sla-admin/testing/render-sla";

const KTM = "/api/support/calendars/cal-ktm/";

function calendarCard(name: string) {
  return within(screen.getByRole("list", { name: "Calendars" })).getByRole("listitem", { name });
}

function day(name: string) {
  return within(screen.getByRole("dialog")).getByRole("group", { name });
}

async function openEditor(name = "Kathmandu office") {
  const opened = await openSlaSettings({
    calendars: [
      theBuiltinCalendar(),
      aCalendar({
        hours: { mon: [["14:00", "18:00"], ["09:00", "13:00"]], tue: [["09:00", "18:00"]], wed: [] },
      }),
    ],
  });
  await opened.user.click(await screen.findByRole("button", { name: `Edit ${name}` }));
  return opened;
}

describe("service levels: calendars", () => {
  it("lists each calendar with its zone, week, holidays and the built-in badge", async () => {
    await openSlaSettings();
    const ktm = await screen.findByRole("listitem", { name: "Kathmandu office" });
    expect(ktm).toHaveTextContent("Asia/Kathmandu");
    expect(ktm).toHaveTextContent("Mon–Fri 09:00–18:00");
    expect(ktm).toHaveTextContent("2 holidays");
    expect(within(ktm).queryByText("Built in")).toBeNull();

    const builtin = calendarCard("24/7");
    expect(within(builtin).getByText("Built in")).toBeInTheDocument();
    expect(builtin).toHaveTextContent("Every day 00:00–24:00");
    expect(within(builtin).queryByRole("button", { name: /Edit|Delete/ })).toBeNull();
    expect(within(builtin).getByRole("button", { name: "View 24/7" })).toBeInTheDocument();
  });

  it("shows the built-in calendar read-only, with nothing to save", async () => {
    const { user } = await openSlaSettings();
    await user.click(await screen.findByRole("button", { name: "View 24/7" }));

    const dialog = screen.getByRole("dialog", { name: "24/7" });
    expect(within(dialog).getByText(/cannot be changed or deleted/)).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/^Name/)).toHaveAttribute("readonly");
    expect(within(day("Sunday")).getByLabelText("Sunday period 1 closes")).toHaveValue("24:00");
    expect(within(day("Sunday")).getByLabelText("Sunday period 1 closes")).toHaveAttribute("readonly");
    expect(within(dialog).queryByRole("button", { name: /Save|Create|Add hours|Remove|Copy Monday/ })).toBeNull();

    await user.click(within(dialog).getByRole("button", { name: "Close" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(fakeApi.calls("PATCH", /calendars/)).toHaveLength(0);
  });

  it("renders the week from the API and saves the canonical hours shape", async () => {
    const { user } = await openEditor();
    const monday = day("Monday");
    expect(within(monday).getByLabelText("Monday period 1 opens")).toHaveValue("14:00");
    expect(within(monday).getByLabelText("Monday period 2 closes")).toHaveValue("13:00");
    expect(within(day("Wednesday")).getByText("Closed")).toBeInTheDocument();
    // A day the API left out is closed as well.
    expect(within(day("Friday")).getByText("Closed")).toBeInTheDocument();

    const tuesdayOpens = within(day("Tuesday")).getByLabelText("Tuesday period 1 opens");
    await user.clear(tuesdayOpens);
    await user.type(tuesdayOpens, "8:30");
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(fakeApi.calls("PATCH", KTM)).toHaveLength(1));
    expect(fakeApi.calls("PATCH", KTM)[0]!.body).toEqual({
      name: "Kathmandu office",
      time_zone: "Asia/Kathmandu",
      hours: {
        mon: [
          ["09:00", "13:00"],
          ["14:00", "18:00"],
        ],
        tue: [["08:30", "18:00"]],
        wed: [],
        thu: [],
        fri: [],
        sat: [],
        sun: [],
      },
      holidays: ["2026-10-21", "2026-10-22"],
    });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(await screen.findByText("Saved “Kathmandu office” (2 holidays).")).toBeInTheDocument();
  });

  it("adds and removes periods, and copies Monday to the other weekdays", async () => {
    const { user } = await openEditor();
    await user.click(within(day("Monday")).getByRole("button", { name: "Remove Monday period 1" }));
    expect(within(day("Monday")).getByLabelText("Monday period 1 opens")).toHaveValue("09:00");
    expect(within(day("Monday")).queryByLabelText("Monday period 2 opens")).toBeNull();

    await user.click(within(day("Saturday")).getByRole("button", { name: "Add hours on Saturday" }));
    const saturdayCloses = within(day("Saturday")).getByLabelText("Saturday period 1 closes");
    expect(within(day("Saturday")).queryByText("Closed")).toBeNull();
    await user.clear(saturdayCloses);
    await user.type(saturdayCloses, "12:00");
    await user.click(within(day("Saturday")).getByRole("button", { name: "Add hours on Saturday" }));
    expect(within(day("Saturday")).getByLabelText("Saturday period 2 opens")).toHaveValue("12:00");
    expect(within(day("Saturday")).getByLabelText("Saturday period 2 closes")).toHaveValue("13:00");

    await user.click(screen.getByRole("button", { name: "Copy Monday to weekdays" }));
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(fakeApi.calls("PATCH", KTM)).toHaveLength(1));
    const hours = (fakeApi.calls("PATCH", KTM)[0]!.body as { hours: unknown }).hours;
    const monday = [["09:00", "13:00"]];
    expect(hours).toEqual({
      mon: monday,
      tue: monday,
      wed: monday,
      thu: monday,
      fri: monday,
      sat: [
        ["09:00", "12:00"],
        ["12:00", "13:00"],
      ],
      sun: [],
    });
  });

  it("checks times before sending: a period must end after it starts and not overlap another", async () => {
    const { user } = await openEditor();
    const tuesdayCloses = within(day("Tuesday")).getByLabelText("Tuesday period 1 closes");
    await user.clear(tuesdayCloses);
    await user.type(tuesdayCloses, "08:00");
    const mondayOpens = within(day("Monday")).getByLabelText("Monday period 1 opens");
    await user.clear(mondayOpens);
    await user.type(mondayOpens, "12:00");

    await user.click(screen.getByRole("button", { name: "Save changes" }));

    expect(day("Tuesday")).toHaveAccessibleDescription("08:00 is not after 09:00: each period must end after it starts.");
    expect(day("Monday")).toHaveAccessibleDescription("These periods overlap. Join them or change their times.");
    expect(day("Wednesday")).not.toHaveAccessibleDescription();
    expect(mondayOpens).toHaveFocus();
    expect(fakeApi.calls("PATCH", KTM)).toHaveLength(0);
  });

  it("puts the server's details under the right day and fields, with its message on top", async () => {
    const { user, sla } = await openEditor();
    sla.failNext(
      "PATCH",
      KTM,
      apiError(400, "validation_error", "Some fields are not valid.", {
        "hours.mon": ["Intervals overlap."],
        time_zone: ["Unknown time zone."],
        holidays: ["Not a date: 2026-02-30."],
        holiday_country: ["No holidays are known for XX."],
        name: ["A calendar with this name exists."],
      }),
    );
    await user.type(screen.getByLabelText(/^Country code/), "xx");
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    const dialog = screen.getByRole("dialog");
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("Some fields are not valid.");
    expect(day("Monday")).toHaveAccessibleDescription("Intervals overlap.");
    expect(day("Tuesday")).not.toHaveAccessibleDescription();
    expect(within(dialog).getByLabelText(/^Time zone/)).toHaveAccessibleDescription(/Unknown time zone\./);
    expect(within(dialog).getByLabelText(/^Name/)).toHaveAccessibleDescription("A calendar with this name exists.");
    expect(within(dialog).getByLabelText(/^Country code/)).toHaveAccessibleDescription(/No holidays are known for XX\./);
    expect(within(dialog).getByRole("group", { name: "Holidays" })).toHaveAccessibleDescription("Not a date: 2026-02-30.");
    expect(fakeApi.calls("PATCH", KTM)[0]!.body).toMatchObject({ holiday_country: "XX" });
  });

  it("adds and removes holidays by hand and imports a country's on save", async () => {
    const { user } = await openSlaSettings({ calendars: [theBuiltinCalendar()] });
    await user.click(await screen.findByRole("button", { name: "New calendar" }));
    const dialog = screen.getByRole("dialog", { name: "New calendar" });
    await user.type(within(dialog).getByLabelText(/^Name/), "Nepal office");
    const zone = within(dialog).getByLabelText(/^Time zone/);
    await user.clear(zone);
    await user.type(zone, "Asia/Kathmandu");

    const date = within(dialog).getByLabelText("Add a holiday");
    await user.type(date, "2026-12-25");
    await user.click(within(dialog).getByRole("button", { name: "Add holiday" }));
    await user.type(date, "2026-11-01");
    await user.click(within(dialog).getByRole("button", { name: "Add holiday" }));
    await user.click(within(dialog).getByRole("button", { name: "Remove holiday Dec 25, 2026" }));
    expect(within(within(dialog).getByRole("list", { name: "Holidays" })).getAllByRole("listitem")).toHaveLength(1);

    await user.type(within(dialog).getByLabelText(/^Country code/), "np");
    await user.type(within(dialog).getByLabelText(/^Years/), "2027, 2026");
    await user.click(within(dialog).getByRole("button", { name: "Create calendar" }));

    await waitFor(() => expect(fakeApi.calls("POST", CALENDARS)).toHaveLength(1));
    expect(fakeApi.calls("POST", CALENDARS)[0]!.body).toMatchObject({
      name: "Nepal office",
      time_zone: "Asia/Kathmandu",
      holidays: ["2026-11-01"],
      holiday_country: "NP",
      holiday_years: [2026, 2027],
    });
    // The server added the imported days; the list shows its answer.
    expect(await screen.findByRole("listitem", { name: "Nepal office" })).toHaveTextContent("3 holidays");
  });

  it("sends no holiday_country or holiday_years when nothing is imported", async () => {
    const { user } = await openEditor();
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(fakeApi.calls("PATCH", KTM)).toHaveLength(1));
    const body = fakeApi.calls("PATCH", KTM)[0]!.body as Record<string, unknown>;
    expect(body).not.toHaveProperty("holiday_country");
    expect(body).not.toHaveProperty("holiday_years");
  });

  it("deletes after confirmation, and says clearly when a policy still uses the calendar", async () => {
    const { user } = await openSlaSettings({
      calendars: [theBuiltinCalendar(), aCalendar(), aCalendar({ id: "cal-old", name: "Old office", policy_count: 0 })],
    });
    await user.click(await screen.findByRole("button", { name: "Delete Kathmandu office" }));
    // Not yet: only a confirmation.
    expect(fakeApi.calls("DELETE", /calendars/)).toHaveLength(0);
    const confirm = screen.getByRole("alertdialog", { name: "Delete “Kathmandu office”?" });
    await user.click(within(confirm).getByRole("button", { name: "Keep it" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(fakeApi.calls("DELETE", /calendars/)).toHaveLength(0);

    await user.click(screen.getByRole("button", { name: "Delete Old office" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(screen.queryByRole("listitem", { name: "Old office" })).toBeNull());
    expect(fakeApi.calls("DELETE", "/api/support/calendars/cal-old/")).toHaveLength(1);
  });

  it("shows a 409 conflict in the confirmation", async () => {
    const { user } = await openSlaSettings({ calendars: [theBuiltinCalendar(), aCalendar({ policy_count: 2 })] });
    expect(await screen.findByRole("listitem", { name: "Kathmandu office" })).toHaveTextContent("Used by 2 policies");
    await user.click(screen.getByRole("button", { name: "Delete Kathmandu office" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Delete" }));

    const alert = await within(screen.getByRole("alertdialog")).findByRole("alert");
    expect(alert).toHaveTextContent("This calendar is in use");
    expect(alert).toHaveTextContent("A policy uses this calendar.");
    expect(alert).toHaveTextContent("Move the policies that use it to another calendar first.");
    expect(screen.getByRole("listitem", { name: "Kathmandu office" })).toBeInTheDocument();
  });

  it("shows the server's refusal when a save is not allowed", async () => {
    const { user, sla } = await openEditor();
    sla.failNext("PATCH", KTM, apiError(403, "permission_denied", "Only admins can change calendars."));
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await within(screen.getByRole("dialog")).findByRole("alert")).toHaveTextContent(
      "Only admins can change calendars.",
    );
    expect(screen.getByRole("dialog")).toBeInTheDocument();
  });
});
