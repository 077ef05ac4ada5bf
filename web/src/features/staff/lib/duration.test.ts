import { describe, expect, it } from "vitest";
import { formatDuration, formatPercentage, formatRate, formatShortDuration } from "./duration";

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

  it.each([
    [0, "<1m"],
    [59_000, "<1m"],
    [20 * 60_000 + 59_000, "20m"],
    [-20 * 60_000, "20m"],
    [80 * 60_000, "1h 20m"],
    [2 * 3600_000, "2h"],
    [(2 * 24 + 4) * 3600_000 + 59 * 60_000, "2d 4h"],
  ])("formats a countdown of %s ms compactly as %s", (milliseconds, expected) => {
    expect(formatShortDuration(milliseconds)).toBe(expected);
  });

  it("formats the server's percentages with at most one decimal", () => {
    expect(formatPercentage(93.0)).toBe("93%");
    expect(formatPercentage(92.3)).toBe("92.3%");
    expect(formatPercentage(null)).toBe("—");
  });
});
