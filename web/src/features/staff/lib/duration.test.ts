import { describe, expect, it } from "vitest";
import { formatDuration, formatRate } from "./duration";

describe("durations and rates", () => {
  it.each([
    [null, "—"],
    [0, "0 s"],
    [44.6, "45 s"],
    [60, "1 min"],
    [754, "13 min"],
    [3600, "1 h"],
    [2 * 3600 + 5 * 60, "2 h 5 min"],
    [86_400, "1 d"],
    [3 * 86_400 + 4 * 3600 + 59, "3 d 4 h"],
  ])("formats %s seconds as %s", (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });

  it("formats rates as whole percentages", () => {
    expect(formatRate(0.8333)).toBe("83%");
    expect(formatRate(1)).toBe("100%");
    expect(formatRate(null)).toBe("—");
  });
});
