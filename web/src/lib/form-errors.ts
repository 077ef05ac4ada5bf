/** Put an API error's per-field messages on a form's fields, and the rest in one sentence. */
import { errorMessage, isApiError } from "./api-client";

export interface FormErrors<F extends string> {
  fields: Partial<Record<F, string>>;
  form: string | null;
}

export function formErrorsFrom<F extends string>(error: unknown, fieldNames: readonly F[]): FormErrors<F> {
  const fields: Partial<Record<F, string>> = {};
  if (!isApiError(error)) return { fields, form: errorMessage(error) };
  const leftovers: string[] = [];
  for (const [key, messages] of Object.entries(error.details)) {
    const first = messages[0];
    if (!first) continue;
    // A list's items are reported as "tags.0", "tags.1": they belong to the list's field.
    const name = (fieldNames as readonly string[]).includes(key) ? key : key.split(".")[0]!;
    if ((fieldNames as readonly string[]).includes(name)) fields[name as F] ??= first;
    else leftovers.push(first);
  }
  const matched = Object.keys(fields).length > 0;
  let form: string | null = null;
  if (leftovers.length) form = leftovers.join(" ");
  else if (!matched) form = error.message;
  return { fields, form };
}
