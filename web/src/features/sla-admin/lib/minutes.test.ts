import { describe, expect, it } from "vitest";
import { formatMinutes, parseMinutes } from "./minutes";

describe("business minutes", () => {
  it("reads as hours and minutes, never days", () => {
    expect(formatMinutes(45)).toBe("45m");
    expect(formatMinutes(90)).toBe("1h 30m");
    expect(formatMinutes(480)).toBe("8h");
    expect(formatMinutes(2880)).toBe("48h");
  });

  it("takes blank as no target and only positive whole numbers otherwise", () => {
    expect(parseMinutes("  ")).toBeNull();
    expect(parseMinutes("30")).toBe(30);
    expect(parseMinutes("0")).toBeUndefined();
    expect(parseMinutes("1.5")).toBeUndefined();
    expect(parseMinutes("-4")).toBeUndefined();
  });
});
