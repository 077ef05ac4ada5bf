import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { draftKey, readDraft } from "@/lib/drafts";
import { aPage, aTicket, aUser } from "@/testing/data";
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

    expect(await within(dialog).findByRole("alert")).toHaveTextContent("Too many requests, try again in 42 seconds.");
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

const DRAFT = draftKey(aUser().id, { kind: "new-ticket" });

async function fillIn(user: ReturnType<typeof userEvent.setup>, dialog: HTMLElement) {
  await user.type(within(dialog).getByLabelText(/Title/), "Refund please");
  await user.selectOptions(within(dialog).getByLabelText(/Category/), "billing");
  await user.selectOptions(within(dialog).getByLabelText(/Priority/), "high");
  await user.type(within(dialog).getByLabelText(/Message/), "Two charges for one booking.");
}

function expectFilledIn(dialog: HTMLElement) {
  expect(within(dialog).getByLabelText(/Title/)).toHaveValue("Refund please");
  expect(within(dialog).getByLabelText(/Category/)).toHaveValue("billing");
  expect(within(dialog).getByLabelText(/Priority/)).toHaveValue("high");
  expect(within(dialog).getByLabelText(/Message/)).toHaveValue("Two charges for one booking.");
}

describe("new ticket drafts", () => {
  it("keeps what was written when closed (Escape, backdrop, Cancel) and after a reload, until created", async () => {
    const { user, dialog, unmount } = await openDialog();
    const reopen = async () => {
      await user.click(screen.getByRole("button", { name: "New ticket" }));
      return screen.getByRole("dialog", { name: "New ticket" });
    };
    await fillIn(user, dialog);

    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    let again = await reopen();
    expectFilledIn(again);

    await user.click(again.parentElement!); // the backdrop
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    again = await reopen();
    expectFilledIn(again);

    await user.click(within(again).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    unmount();

    const reloaded = await openDialog();
    expectFilledIn(reloaded.dialog);
    const created = aTicket({ id: "ticket-new", title: "Refund please" });
    fakeApi.once("POST", LIST, json(created, { status: 201 }));
    fakeApi.on("GET", "/api/support/tickets/ticket-new/", created);
    await user.click(within(reloaded.dialog).getByRole("button", { name: "Create ticket" }));

    await waitFor(() => expect(reloaded.router.state.location.pathname).toBe("/tickets/ticket-new"));
    expect(readDraft(DRAFT)).toBeNull();
  });

  it("asks before discarding a draft: keeping it goes back to the form, discarding forgets it", async () => {
    const { user, dialog } = await openDialog();
    const opener = screen.getByRole("button", { name: "New ticket" });
    expect(within(dialog).queryByRole("button", { name: "Discard draft" })).not.toBeInTheDocument();
    await user.type(within(dialog).getByLabelText(/Title/), "Never mind");

    const discard = within(dialog).getByRole("button", { name: "Discard draft" });
    await user.click(discard);
    let confirm = screen.getByRole("alertdialog", { name: "Discard this draft?" });
    expect(within(confirm).getByRole("button", { name: "Keep editing" })).toHaveFocus();
    await user.keyboard("{Escape}"); // answers the question only
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(within(dialog).getByLabelText(/Title/)).toHaveValue("Never mind");
    expect(discard).toHaveFocus();

    await user.click(discard);
    confirm = screen.getByRole("alertdialog", { name: "Discard this draft?" });
    await user.click(within(confirm).getByRole("button", { name: "Discard" }));

    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
    expect(readDraft(DRAFT)).toBeNull();
    await user.click(opener);
    const fresh = screen.getByRole("dialog", { name: "New ticket" });
    expect(within(fresh).getByLabelText(/Title/)).toHaveValue("");
    expect(fakeApi.calls("POST", LIST)).toHaveLength(0);
  });
});
