import { describe, expect, it } from "vitest";
import { normalizeTag, parseTags, tagsProblem } from "./tags";

describe("tags", () => {
  it("normalizes like the server: trimmed, inner spaces collapsed, lower case", () => {
    expect(normalizeTag("  VIP \t  Customer ")).toBe("vip customer");
  });

  it("splits on commas, dropping empty pieces and duplicates, keeping order", () => {
    expect(parseTags(" Refund,VIP   customer ,, refund,")).toEqual(["refund", "vip customer"]);
    expect(parseTags("")).toEqual([]);
    expect(parseTags(" , ,")).toEqual([]);
  });

  it("refuses a tag over 50 characters and more than 20 tags", () => {
    expect(tagsProblem(["a".repeat(50)])).toBeUndefined();
    expect(tagsProblem(["ok", "b".repeat(51)])).toMatch(/Keep each tag to 50 characters \(“b{20}…” is longer\)/);
    const twenty = Array.from({ length: 20 }, (_, index) => `tag-${index}`);
    expect(tagsProblem(twenty)).toBeUndefined();
    expect(tagsProblem([...twenty, "one-more"])).toBe("A ticket can have at most 20 tags (this has 21).");
  });
});
