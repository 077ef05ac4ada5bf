import { describe, expect, it } from "vitest";
import { formatClock, formatPageStatus, statusLabel } from "./format";

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

describe("statusLabel", () => {
  it("names pending for who reads it: staff see the status, customers what it asks of them", () => {
    expect(statusLabel("pending")).toBe("Pending");
    expect(statusLabel("pending", "staff")).toBe("Pending");
    expect(statusLabel("pending", "customer")).toBe("Waiting for your reply");
    expect(statusLabel("in_progress", "customer")).toBe("In progress");
  });
});

describe("formatClock", () => {
  const now = new Date(2026, 11, 7, 8, 0).getTime();

  it("gives the local time of day today, with the date on other days", () => {
    expect(formatClock(new Date(2026, 11, 7, 10, 30).toISOString(), now)).toBe("10:30");
    expect(formatClock(new Date(2026, 11, 7, 17, 5).toISOString(), now)).toBe("17:05");
    expect(formatClock(new Date(2026, 11, 6, 23, 59).toISOString(), now)).toBe("Dec 6, 23:59");
    expect(formatClock(new Date(2025, 0, 2, 9, 0).toISOString(), now)).toBe("Jan 2, 2025, 09:00");
    expect(formatClock("not a date", now)).toBe("");
  });
});
