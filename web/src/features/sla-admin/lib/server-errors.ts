/**
 * An API error's `details` on a form whose fields have dotted names (`hours.mon`,
 * `targets.first_response`). A key goes to the longest field name it starts with, so
 * `hours.mon.0` lands on Monday and `holidays.2` on the holidays; keys that match no field join
 * the sentence shown above the form, which always carries the error's own message.
 */
import { errorMessage, isApiError } from "@/lib/api-client";

export interface ServerErrors<F extends string> {
  fields: Partial<Record<F, string>>;
  /** The error's message, and any messages no field took. */
  form: string;
  status: number | null;
  code: string | null;
}

export function serverErrorsFrom<F extends string>(error: unknown, fieldNames: readonly F[]): ServerErrors<F> {
  const fields: Partial<Record<F, string>> = {};
  if (!isApiError(error)) return { fields, form: errorMessage(error), status: null, code: null };
  const known = new Set<string>(fieldNames);
  const leftovers: string[] = [];
  for (const [key, messages] of Object.entries(error.details)) {
    const first = messages[0];
    if (!first) continue;
    const parts = key.split(".");
    let name: string | null = null;
    for (let length = parts.length; length > 0 && !name; length -= 1) {
      const candidate = parts.slice(0, length).join(".");
      if (known.has(candidate)) name = candidate;
    }
    if (name) fields[name as F] ??= first;
    else if (first !== error.message) leftovers.push(first);
  }
  const form = [error.message, ...leftovers].join(" ");
  return { fields, form, status: error.status, code: error.code };
}
