import { describe, expect, it } from "vitest";
import { api } from "@/lib/api-client";
import { apiError, fakeApi } from "@/testing/fake-api";
import { waitPhrase } from "./errors";
import { caught, signedIn } from "./test-helpers";

describe("api client: errors", () => {
  it("turns SPEC's error body into a message with per-field details", async () => {
    signedIn();
    fakeApi.once(
      "POST",
      "/api/support/tickets/",
      apiError(400, "validation_error", "title: The title cannot be empty.", {
        title: ["The title cannot be empty."],
      }),
    );

    const error = await caught(api.post("support/tickets/", { title: "" }));

    expect(error.status).toBe(400);
    expect(error.code).toBe("validation_error");
    expect(error.message).toBe("title: The title cannot be empty.");
    expect(error.field("title")).toBe("The title cannot be empty.");
    expect(error.field("category")).toBeUndefined();
  });

  it("says how long to wait when rate limited, from Retry-After", async () => {
    signedIn();
    fakeApi.once(
      "GET",
      "/api/support/tickets/",
      apiError(429, "rate_limit_exceeded", "Too many requests; try again in 17 s.", {}, { "Retry-After": "17" }),
    );

    const error = await caught(api.get("support/tickets/"));

    expect(error.code).toBe("rate_limit_exceeded");
    expect(error.retryAfter).toBe(17);
    expect(error.message).toBe("Too many requests, try again in 17 seconds.");
  });

  it("says a long wait in minutes or hours, never hundreds of seconds", () => {
    expect(waitPhrase(1)).toBe("in 1 second");
    expect(waitPhrase(89)).toBe("in 89 seconds");
    expect(waitPhrase(563)).toBe("in 10 minutes");
    expect(waitPhrase(7200)).toBe("in 2 hours");
  });

  it("gives a sentence for an error that is not JSON (a proxy's 502 page)", async () => {
    signedIn();
    fakeApi.once(
      "GET",
      "/api/support/tickets/",
      new Response("<html>Bad gateway</html>", { status: 502, headers: { "Content-Type": "text/html" } }),
    );

    const error = await caught(api.get("support/tickets/"));

    expect(error.status).toBe(502);
    expect(error.code).toBe("error");
    expect(error.message).toMatch(/server had a problem/i);
  });

  it("reports an unreachable server as a network error", async () => {
    signedIn();
    fakeApi.once("GET", "/api/support/tickets/", () => Promise.reject(new TypeError("Failed to fetch")));

    const error = await caught(api.get("support/tickets/"));

    expect(error.code).toBe("network_error");
    expect(error.message).toMatch(/could not reach the server/i);
  });

  it("builds query strings without empty filters", async () => {
    signedIn();
    fakeApi.on("GET", "/api/support/tickets/", { count: 0, next: null, previous: null, results: [] });

    await api.get("support/tickets/", { query: { status: "open", priority: "", search: undefined, page: 2 } });

    const call = fakeApi.calls("GET", "/api/support/tickets/")[0]!;
    expect(Object.fromEntries(call.query)).toEqual({ status: "open", page: "2" });
  });
});
