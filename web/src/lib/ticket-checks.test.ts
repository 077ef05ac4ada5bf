import { describe, expect, it } from "vitest";
import { messageProblem, titleProblem } from "./ticket-checks";

describe("ticket checks", () => {
  it("say the limit and the length as they are, not one more than the limit", () => {
    expect(messageProblem("x".repeat(5001), "Write something.")).toBe(
      "The message can be at most 5,000 characters; it has 5,001.",
    );
    expect(titleProblem("t".repeat(300), "Give it a title.")).toBe("The title can be at most 255 characters; it has 300.");
    expect(messageProblem("x".repeat(5000), "Write something.")).toBeUndefined();
    expect(messageProblem("   ", "Write something.")).toBe("Write something.");
  });
});
