import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api-client";
import type { TicketDetail } from "@/lib/types";
import { aMessage, aPage, anAttachment, aTicket } from "@/testing/data";
import { fakeApi, json } from "@/testing/fake-api";
import { FakeXhr } from "@/testing/fake-xhr";
import { renderApp, signInAs } from "@/testing/render";
import { isRetryableUploadError } from "@/features/attachments/hooks/use-attachment-queue";

const png = () => new File([new Uint8Array([137, 80, 78, 71, 1, 2, 3])], "screenshot.png", { type: "image/png" });

function lastXhr(): FakeXhr {
  const xhr = FakeXhr.instances[FakeXhr.instances.length - 1];
  if (!xhr) throw new Error("no upload was started");
  return xhr;
}

describe("attachments on a reply", () => {
  it("checks files before uploading, shows each upload's progress, and sends the ids with the message", async () => {
    const user = userEvent.setup({ applyAccept: false });
    signInAs();
    let stored: TicketDetail = aTicket();
    fakeApi.on("GET", "/api/support/tickets/ticket-1/", () => json(stored));
    fakeApi.on("GET", /\/api\/support\/attachments\/.+\/download\/$/, () => new Response(new Blob(["png"])));
    renderApp("/tickets/ticket-1");
    const input = await screen.findByTestId("attachment-input");

    await user.upload(input, [new File(["MZ"], "setup.exe"), png()]);

    const files = screen.getByRole("list", { name: "Files to attach" });
    const [refused, accepted] = within(files).getAllByRole("listitem");
    expect(refused).toHaveTextContent("setup.exe");
    expect(refused).toHaveTextContent("This type of file is not allowed.");
    expect(FakeXhr.instances).toHaveLength(1); // only the allowed file went up
    const xhr = lastXhr();
    expect(xhr.url).toBe("/api/support/tickets/ticket-1/attachments/");
    expect(xhr.headers.Authorization).toBe("Bearer access-1");
    expect(xhr.file?.name).toBe("screenshot.png");
    expect(xhr.body?.get("message")).toBeNull();

    xhr.progress(40, 100);
    const bar = await within(accepted!).findByRole("progressbar", { name: "Upload progress for screenshot.png" });
    await waitFor(() => expect(bar).toHaveAttribute("value", "40"));
    expect(accepted).toHaveTextContent("Uploading… 40%");

    // A refused file blocks sending until it is removed.
    await user.type(screen.getByLabelText("Your reply"), "Here is the screen");
    const uploaded = anAttachment({ id: "att-1", filename: "screenshot.png" });
    xhr.respond(201, uploaded);
    await waitFor(() => expect(accepted).toHaveTextContent("Uploaded"));
    await user.click(screen.getByRole("button", { name: "Send" }));
    expect(screen.getByText("Remove or retry the files that could not be uploaded.")).toBeInTheDocument();
    expect(fakeApi.calls("POST", "/api/support/tickets/ticket-1/messages/")).toHaveLength(0);

    await user.click(within(refused!).getByRole("button", { name: /Remove/ }));
    fakeApi.once("POST", "/api/support/tickets/ticket-1/messages/", () => {
      const message = aMessage({ id: "m-2", message_text: "Here is the screen", attachments: [uploaded] });
      stored = { ...stored, messages: [...stored.messages, message] };
      return json(message, { status: 201 });
    });
    await user.click(screen.getByRole("button", { name: "Send" }));

    await waitFor(() =>
      expect(fakeApi.calls("POST", "/api/support/tickets/ticket-1/messages/")[0]!.body).toEqual({
        message_text: "Here is the screen",
        attachment_ids: ["att-1"],
      }),
    );
    expect(screen.queryByRole("list", { name: "Files to attach" })).not.toBeInTheDocument();
    const conversation = screen.getByRole("log", { name: "Conversation" });
    expect(await within(conversation).findByRole("button", { name: "Preview screenshot.png" })).toBeEnabled();
    // The image is fetched with the token (never in the URL) as an inline preview.
    const download = fakeApi.calls("GET", "/api/support/attachments/att-1/download/")[0]!;
    expect(download.query.get("inline")).toBe("1");
    expect(download.headers.get("Authorization")).toBe("Bearer access-1");
  });

  it("shows a failed upload with the server's reason, and offers Retry only where trying again could help", async () => {
    const user = userEvent.setup({ applyAccept: false });
    signInAs();
    fakeApi.on("GET", "/api/support/tickets/ticket-1/", aTicket());
    renderApp("/tickets/ticket-1");
    const input = await screen.findByTestId("attachment-input");
    const rowFor = (name: string) =>
      within(screen.getByRole("list", { name: "Files to attach" }))
        .getAllByRole("listitem")
        .find((item) => item.textContent?.includes(name))!;

    // The server refuses the file itself: the same file would be refused again.
    await user.upload(input, png());
    lastXhr().respond(400, {
      error: "invalid_file_type",
      message: "The file's name does not match its contents.",
      details: { file: ["The file's name does not match its contents."] },
    });
    await user.upload(input, new File(["big"], "scan.pdf", { type: "application/pdf" }));
    lastXhr().respond(400, { error: "file_too_large", message: "Files can be at most 10 MB.", details: {} });
    const refusedType = rowFor("screenshot.png");
    const refusedSize = rowFor("scan.pdf");
    await waitFor(() =>
      expect(refusedType).toHaveTextContent("Upload failed: The file's name does not match its contents."),
    );
    await waitFor(() => expect(refusedSize).toHaveTextContent("Upload failed: Files can be at most 10 MB."));
    for (const row of [refusedType, refusedSize]) {
      expect(within(row).queryByRole("button", { name: /Retry/ })).not.toBeInTheDocument();
      expect(within(row).getByRole("button", { name: /Remove/ })).toBeInTheDocument();
    }

    // The server had a problem, or the network dropped: trying again may work.
    await user.upload(input, new File(["a"], "notes.txt", { type: "text/plain" }));
    lastXhr().respond(503, { error: "server_error", message: "Down for a moment.", details: {} });
    await user.upload(input, new File(["b"], "log.txt", { type: "text/plain" }));
    lastXhr().fail();
    const serverProblem = rowFor("notes.txt");
    const offline = rowFor("log.txt");
    await waitFor(() => expect(serverProblem).toHaveTextContent("Upload failed: Down for a moment."));
    await waitFor(() => expect(offline).toHaveTextContent("Upload failed: Could not reach the server."));
    expect(within(offline).getByRole("button", { name: /Retry/ })).toBeInTheDocument();

    const uploads = FakeXhr.instances.length;
    await user.click(within(serverProblem).getByRole("button", { name: /Retry/ }));
    expect(FakeXhr.instances).toHaveLength(uploads + 1);
    lastXhr().respond(201, anAttachment({ filename: "notes.txt" }));
    await waitFor(() => expect(serverProblem).toHaveTextContent("Uploaded"));
  });
});

describe("which failed uploads can be retried", () => {
  it("retries the network, the server's problems and rate limits, never a refusal", () => {
    const failure = (status: number, code: string) => new ApiError({ status, code, message: code });
    for (const status of [0, 429, 500, 502, 503]) expect(isRetryableUploadError(failure(status, "x")), `${status}`).toBe(true);
    expect(isRetryableUploadError(new TypeError("Failed to fetch"))).toBe(true);
    expect(isRetryableUploadError(failure(400, "invalid_file_type"))).toBe(false);
    expect(isRetryableUploadError(failure(400, "file_too_large"))).toBe(false);
    for (const status of [401, 403, 404, 413]) expect(isRetryableUploadError(failure(status, "x")), `${status}`).toBe(false);
  });
});

describe("attachments on a new ticket", () => {
  it("creates the ticket, then uploads each file linked to the first message, then opens the ticket", async () => {
    const user = userEvent.setup({ applyAccept: false });
    signInAs();
    fakeApi.on("GET", "/api/support/tickets/", aPage([]));
    const first = aMessage({ id: "first-message", ticket: "ticket-9" });
    const created = aTicket({ id: "ticket-9", title: "Broken page", messages: [first] });
    fakeApi.once("POST", "/api/support/tickets/", json(created, { status: 201 }));
    fakeApi.on("GET", "/api/support/tickets/ticket-9/", created);
    fakeApi.on("GET", /\/download\/$/, () => new Response(new Blob(["png"])));
    const { router } = renderApp("/tickets");

    await user.click(await screen.findByRole("button", { name: "New ticket" }));
    const dialog = screen.getByRole("dialog", { name: "New ticket" });
    await user.type(within(dialog).getByLabelText(/Title/), "Broken page");
    await user.selectOptions(within(dialog).getByLabelText(/Category/), "technical");
    await user.type(within(dialog).getByLabelText(/Message/), "See the screenshot.");
    await user.upload(within(dialog).getByTestId("attachment-input"), png());
    expect(FakeXhr.instances).toHaveLength(0); // nothing uploads before the ticket exists

    await user.click(within(dialog).getByRole("button", { name: "Create ticket" }));

    await waitFor(() => expect(FakeXhr.instances).toHaveLength(1));
    const xhr = lastXhr();
    expect(xhr.url).toBe("/api/support/tickets/ticket-9/attachments/");
    expect(xhr.body?.get("message")).toBe("first-message");
    expect(within(dialog).getByRole("button", { name: "Uploading files…" })).toBeDisabled();
    xhr.respond(201, anAttachment({ id: "att-9", ticket: "ticket-9", message: "first-message" }));

    await waitFor(() => expect(router.state.location.pathname).toBe("/tickets/ticket-9"));
    expect(await screen.findByRole("button", { name: "Preview screenshot.png" })).toBeInTheDocument();
  });
});
