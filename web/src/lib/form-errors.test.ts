import { describe, expect, it } from "vitest";
import { ApiError } from "./api-client";
import { formErrorsFrom } from "./form-errors";

const FIELDS = ["title", "tags"] as const;

function validation(details: Record<string, string[]>) {
  return new ApiError({ status: 400, code: "validation_error", message: "The request has invalid fields.", details });
}

describe("formErrorsFrom", () => {
  it("puts each message on its field, and the rest above the form", () => {
    const errors = formErrorsFrom(validation({ title: ["Too long."], non_field_errors: ["Try later."] }), FIELDS);
    expect(errors).toEqual({ fields: { title: "Too long." }, form: "Try later." });
  });

  it("puts a list item's message (tags.1) on the list's field, the first one winning", () => {
    const errors = formErrorsFrom(validation({ "tags.1": ["Tag 2 is too long."], "tags.3": ["Tag 4 is too long."] }), FIELDS);
    expect(errors).toEqual({ fields: { tags: "Tag 2 is too long." }, form: null });
  });

  it("shows the error's sentence when no field matches", () => {
    const error = new ApiError({ status: 429, code: "rate_limit_exceeded", message: "Too many requests." });
    expect(formErrorsFrom(error, FIELDS)).toEqual({ fields: {}, form: "Too many requests." });
    expect(formErrorsFrom(new Error("Offline."), FIELDS)).toEqual({ fields: {}, form: "Offline." });
  });
});
