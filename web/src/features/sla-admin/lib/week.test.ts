import { describe, expect, it } from "vitest";
import { canonicalWeek, dayProblem, fullWeek, minutesOf, weekSummary } from "./week";

describe("week summary", () => {
  it("runs days with the same hours together and leaves closed days out", () => {
    const nine: [string, string][] = [["09:00", "18:00"]];
    expect(weekSummary({ mon: nine, tue: nine, wed: nine, thu: nine, fri: nine })).toBe("Mon–Fri 09:00–18:00");
    expect(
      weekSummary({ mon: nine, tue: nine, wed: [["09:00", "13:00"], ["14:00", "18:00"]], sat: [["10:00", "14:00"]] }),
    ).toBe("Mon, Tue 09:00–18:00 · Wed 09:00–13:00, 14:00–18:00 · Sat 10:00–14:00");
    const allDay: [string, string][] = [["00:00", "24:00"]];
    expect(weekSummary(fullWeek({ mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }))).toBe(
      "Every day 00:00–24:00",
    );
    expect(weekSummary({})).toBe("Closed all week");
  });
});

describe("day checks", () => {
  it("reads HH:MM, with 24:00 only as an end", () => {
    expect(minutesOf("9:05")).toBe(545);
    expect(minutesOf("24:00")).toBe(1440);
    expect(minutesOf("24:01")).toBeNull();
    expect(minutesOf("12:60")).toBeNull();
    expect(minutesOf("noon")).toBeNull();
  });

  it("refuses a period that does not end after it starts, overlaps, and bad times; touching is fine", () => {
    expect(dayProblem([["09:00", "13:00"], ["13:00", "18:00"]])).toBeNull();
    expect(dayProblem([["18:00", "24:00"]])).toBeNull();
    expect(dayProblem([["10:00", "09:00"]])).toMatch(/must end after it starts/);
    expect(dayProblem([["22:00", "00:00"]])).toMatch(/ends at 24:00/);
    expect(dayProblem([["14:00", "18:00"], ["09:00", "14:30"]])).toMatch(/overlap/);
    expect(dayProblem([["9", "18:00"]])).toMatch(/HH:MM/);
  });

  it("sends every day, times padded, each day's periods in time order", () => {
    expect(canonicalWeek(fullWeek({ mon: [["14:00", "18:00"], ["9:00", "13:00"]] }))).toEqual({
      mon: [
        ["09:00", "13:00"],
        ["14:00", "18:00"],
      ],
      tue: [],
      wed: [],
      thu: [],
      fri: [],
      sat: [],
      sun: [],
    });
  });
});
