import { describe, expect, it } from "vitest";
import { formatPageStatus } from "./format";

describe("formatPageStatus", () => {
  it("gives the page, the pages and the exact count", () => {
    expect(formatPageStatus(2, 50, 120)).toBe("Page 2 of 3 · 120 tickets");
    expect(formatPageStatus(1, 25, 1)).toBe("Page 1 of 1 · 1 ticket");
    expect(formatPageStatus(1, 25, 0)).toBe("Page 1 of 1 · 0 tickets");
  });

  it("marks an estimated count as approximate", () => {
    expect(formatPageStatus(1, 25, 1_000_212, false)).toBe("Page 1 of about 40,009 · about 1,000,212 tickets");
  });
});
