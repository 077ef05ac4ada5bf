import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { aPage, aTicket } from "@/testing/data";
import { apiError, fakeApi, json } from "@/testing/fake-api";
import { renderApp, signInAs } from "@/testing/render";

const LIST = "/api/support/tickets/";

async function openDialog() {
  const user = userEvent.setup();
  signInAs();
  fakeApi.on("GET", LIST, aPage([]));
  const rendered = renderApp("/tickets");
  await user.click(await screen.findByRole("button", { name: "New ticket" }));
  const dialog = screen.getByRole("dialog", { name: "New ticket" });
  return { user, dialog, ...rendered };
}

describe("new ticket dialog", () => {
  it("checks the fields before sending anything, and points at the first problem", async () => {
    const { user, dialog } = await openDialog();

    await user.click(within(dialog).getByRole("button", { name: "Create ticket" }));

    expect(within(dialog).getByLabelText(/Title/)).toHaveAccessibleDescription("Give your ticket a title.");
    expect(within(dialog).getByLabelText(/Category/)).toHaveAccessibleDescription("Choose a category.");
    expect(within(dialog).getByLabelText(/Message/)).toHaveAccessibleDescription(/Describe the problem\./);
    expect(within(dialog).getByLabelText(/Title/)).toHaveFocus();
    expect(fakeApi.calls("POST", LIST)).toHaveLength(0);

    // Whitespace is not a title.
    await user.type(within(dialog).getByLabelText(/Title/), "   ");
    await user.click(within(dialog).getByRole("button", { name: "Create ticket" }));
    expect(within(dialog).getByLabelText(/Title/)).toHaveAccessibleDescription("Give your ticket a title.");

    await user.type(within(dialog).getByLabelText(/Title/), "Refund");
    expect(within(dialog).getByLabelText(/Title/)).not.toHaveAccessibleDescription("Give your ticket a title.");
    expect(fakeApi.calls("POST", LIST)).toHaveLength(0);
  });

  it("puts the server's field errors on the fields after submitting", async () => {
    const { user, dialog } = await openDialog();
    fakeApi.once(
      "POST",
      LIST,
      apiError(400, "validation_error", "The request has invalid fields.", {
        title: ["A ticket with this title is already open."],
        message_text: ["The message cannot be empty."],
      }),
    );

    await user.type(within(dialog).getByLabelText(/Title/), "Refund please");
    await user.selectOptions(within(dialog).getByLabelText(/Category/), "billing");
    await user.type(within(dialog).getByLabelText(/Message/), "Two charges for one booking.");
    await user.click(within(dialog).getByRole("button", { name: "Create ticket" }));

    await waitFor(() =>
      expect(within(dialog).getByLabelText(/Title/)).toHaveAccessibleDescription(
        "A ticket with this title is already open.",
      ),
    );
    expect(within(dialog).getByLabelText(/Message/)).toHaveAccessibleDescription(/The message cannot be empty\./);
    expect(screen.getByRole("dialog", { name: "New ticket" })).toBeInTheDocument();
  });

  it("shows errors that belong to no field (rate limiting) above the form", async () => {
    const { user, dialog } = await openDialog();
    fakeApi.once(
      "POST",
      LIST,
      apiError(429, "rate_limit_exceeded", "Too many requests.", {}, { "Retry-After": "42" }),
    );

    await user.type(within(dialog).getByLabelText(/Title/), "Refund please");
    await user.selectOptions(within(dialog).getByLabelText(/Category/), "billing");
    await user.type(within(dialog).getByLabelText(/Message/), "Two charges.");
    await user.click(within(dialog).getByRole("button", { name: "Create ticket" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent("Too many requests, try again in 42 s.");
  });

  it("creates the ticket with trimmed values and lands on it", async () => {
    const { user, dialog, router } = await openDialog();
    const created = aTicket({ id: "ticket-new", title: "Refund please" });
    fakeApi.once("POST", LIST, json(created, { status: 201 }));
    fakeApi.on("GET", "/api/support/tickets/ticket-new/", created);

    await user.type(within(dialog).getByLabelText(/Title/), "  Refund please ");
    await user.selectOptions(within(dialog).getByLabelText(/Category/), "billing");
    await user.selectOptions(within(dialog).getByLabelText(/Priority/), "high");
    await user.type(within(dialog).getByLabelText(/Message/), "Two charges for one booking.");
    await user.click(within(dialog).getByRole("button", { name: "Create ticket" }));

    await waitFor(() => expect(router.state.location.pathname).toBe("/tickets/ticket-new"));
    expect(fakeApi.calls("POST", LIST)[0]!.body).toEqual({
      title: "Refund please",
      category: "billing",
      priority: "high",
      message_text: "Two charges for one booking.",
    });
    expect(await screen.findByRole("heading", { level: 1, name: "Refund please" })).toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("keeps focus inside while open, closes on Escape, and gives focus back", async () => {
    const { user, dialog } = await openDialog();
    const opener = screen.getByRole("button", { name: "New ticket" });

    expect(within(dialog).getByLabelText(/Title/)).toHaveFocus();
    const closeButton = within(dialog).getByRole("button", { name: "Close dialog" });
    const submit = within(dialog).getByRole("button", { name: "Create ticket" });

    // Past the last control, Tab wraps to the first; Shift+Tab from the first wraps to the last.
    submit.focus();
    await user.tab();
    expect(closeButton).toHaveFocus();
    await user.tab({ shift: true });
    expect(submit).toHaveFocus();
    for (let step = 0; step < 12; step += 1) {
      await user.tab();
      expect(dialog.contains(document.activeElement)).toBe(true);
    }

    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
  });
});
