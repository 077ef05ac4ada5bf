import { describe, expect, it } from "vitest";
import { apiDownload, filenameFromDisposition } from "@/lib/api-client";
import { apiError, fakeApi } from "@/testing/fake-api";
import { caught, signedIn } from "./test-helpers";

describe("api client: file downloads", () => {
  it("reads the server's file name from Content-Disposition", () => {
    expect(filenameFromDisposition('attachment; filename="ticket-1042.eml"')).toBe("ticket-1042.eml");
    expect(filenameFromDisposition("attachment; filename=plain.eml")).toBe("plain.eml");
    expect(filenameFromDisposition('attachment; filename="a \\"quoted\\" name.eml"')).toBe('a "quoted" name.eml');
    // The RFC 5987 form wins, for names outside ASCII.
    expect(filenameFromDisposition("attachment; filename=\"fallback.eml\"; filename*=UTF-8''R%C3%A9ponse.eml")).toBe(
      "Réponse.eml",
    );
    expect(filenameFromDisposition("attachment; filename*=UTF-8''%E0%A4%A.eml; filename=\"safe.eml\"")).toBe("safe.eml");
    expect(filenameFromDisposition("attachment")).toBeNull();
    expect(filenameFromDisposition(null)).toBeNull();
  });

  it("fetches the bytes with the bearer token and gives back the name", async () => {
    signedIn("access-1");
    fakeApi.once(
      "GET",
      "/api/support/inbound-emails/e-1/raw/",
      new Response("Subject: Hi\r\n\r\nHello", {
        headers: { "Content-Type": "message/rfc822", "Content-Disposition": 'attachment; filename="e-1.eml"' },
      }),
    );

    const file = await apiDownload("/api/support/inbound-emails/e-1/raw/");

    expect(file.filename).toBe("e-1.eml");
    expect(await file.blob.text()).toBe("Subject: Hi\r\n\r\nHello");
    expect(fakeApi.calls("GET", "/api/support/inbound-emails/e-1/raw/")[0]!.headers.get("Authorization")).toBe("Bearer access-1");
  });

  it("turns a refusal into an ApiError", async () => {
    signedIn();
    fakeApi.once("GET", "/api/support/inbound-emails/e-2/raw/", apiError(404, "not_found", "Not found."));
    const error = await caught(apiDownload("/api/support/inbound-emails/e-2/raw/"));
    expect([error.status, error.code]).toEqual([404, "not_found"]);
  });
});
