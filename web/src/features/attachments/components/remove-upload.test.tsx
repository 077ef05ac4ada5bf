import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { anAttachment, aTicket } from "@/testing/data";
import { fakeApi } from "@/testing/fake-api";
import { FakeXhr } from "@/testing/fake-xhr";
import { renderApp, signInAs } from "@/testing/render";

const png = (name: string) => new File([new Uint8Array([137, 80, 78, 71])], name, { type: "image/png" });

describe("removing a picked file from a reply", () => {
  it("deletes it on the server when it was already uploaded, and only then", async () => {
    const user = userEvent.setup({ applyAccept: false });
    signInAs();
    fakeApi.on("GET", "/api/support/tickets/ticket-1/", aTicket());
    fakeApi.on("DELETE", /\/api\/support\/attachments\/.+\/$/, () => new Response(null, { status: 204 }));
    renderApp("/tickets/ticket-1");

    await user.upload(await screen.findByTestId("attachment-input"), [png("done.png"), png("pending.png")]);
    const [uploadedXhr] = FakeXhr.instances;
    uploadedXhr!.respond(201, anAttachment({ id: "att-done", filename: "done.png", message: null }));
    const files = screen.getByRole("list", { name: "Files to attach" });
    const [done, pending] = within(files).getAllByRole("listitem");
    await waitFor(() => expect(done).toHaveTextContent("Uploaded"));

    await user.click(within(done!).getByRole("button", { name: /Remove/ }));
    await waitFor(() => expect(fakeApi.calls("DELETE", /attachments/)).toHaveLength(1));
    const call = fakeApi.calls("DELETE", /attachments/)[0]!;
    expect(call.path).toBe("/api/support/attachments/att-done/");
    expect(call.headers.get("Authorization")).toBe("Bearer access-1");

    // Still uploading: the upload is cancelled instead; there is nothing to delete.
    await user.click(within(pending!).getByRole("button", { name: /Remove/ }));
    expect(FakeXhr.instances[1]!.aborted).toBe(true);
    expect(fakeApi.calls("DELETE", /attachments/)).toHaveLength(1);
    expect(screen.queryByRole("list", { name: "Files to attach" })).toBeNull();
  });
});
