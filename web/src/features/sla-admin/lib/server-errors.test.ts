import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api-client";
import { serverErrorsFrom } from "./server-errors";

const FIELDS = ["hours", "hours.mon", "holidays", "targets", "targets.first_response"] as const;

describe("server errors on dotted fields", () => {
  it("gives each key to the longest field it starts with and keeps the message on top", () => {
    const error = new ApiError({
      status: 400,
      code: "validation_error",
      message: "Check the form.",
      details: {
        "hours.mon.0": ["Ends before it starts."],
        "hours.tue": ["Overlaps."],
        "holidays.2": ["Not a date."],
        targets: ["Set one."],
        "targets.first_response": ["Too small."],
        colour: ["Unknown field."],
      },
    });
    expect(serverErrorsFrom(error, FIELDS)).toEqual({
      fields: {
        "hours.mon": "Ends before it starts.",
        hours: "Overlaps.",
        holidays: "Not a date.",
        targets: "Set one.",
        "targets.first_response": "Too small.",
      },
      form: "Check the form. Unknown field.",
      status: 400,
      code: "validation_error",
    });
  });
});
