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
  for (const [name, messages] of Object.entries(error.details)) {
    const first = messages[0];
    if (!first) continue;
    if ((fieldNames as readonly string[]).includes(name)) fields[name as F] = first;
    else leftovers.push(first);
  }
  const matched = Object.keys(fields).length > 0;
  let form: string | null = null;
  if (leftovers.length) form = leftovers.join(" ");
  else if (!matched) form = error.message;
  return { fields, form };
}
