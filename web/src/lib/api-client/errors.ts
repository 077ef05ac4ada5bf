/** Every failure as an ApiError: SPEC's code, a sentence to show, and the per-field messages. */

export type FieldErrors = Record<string, string[]>;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: FieldErrors;
  readonly retryAfter: number | null;

  constructor(options: {
    status: number;
    code: string;
    message: string;
    details?: FieldErrors;
    retryAfter?: number | null;
  }) {
    super(options.message);
    this.name = "ApiError";
    this.status = options.status;
    this.code = options.code;
    this.details = options.details ?? {};
    this.retryAfter = options.retryAfter ?? null;
  }

  /** The first message for a field, if the server gave one. */
  field(name: string): string | undefined {
    return this.details[name]?.[0];
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** A sentence for any thrown value, for alerts and failed-message markers. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong. Please try again.";
}

function retryAfterSeconds(headers: Headers): number | null {
  const raw = headers.get("Retry-After");
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(1, Math.ceil((date - Date.now()) / 1000));
}

function normaliseDetails(raw: unknown): FieldErrors {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return {};
  const out: FieldErrors = {};
  for (const [field, value] of Object.entries(raw as Record<string, unknown>)) {
    const messages = Array.isArray(value) ? value : [value];
    out[field] = messages.filter((item) => item !== null && item !== undefined).map(String);
  }
  return out;
}

function fallbackMessage(status: number): string {
  if (status === 401) return "Please sign in again.";
  if (status === 403) return "You do not have permission to do that.";
  if (status === 404) return "Not found.";
  if (status >= 500) return "The server had a problem. Please try again in a moment.";
  return `The request failed (HTTP ${status}).`;
}

/** How long to wait, as people say it (as the server does): "in 40 seconds", "in 10 minutes". */
export function waitPhrase(seconds: number): string {
  const whole = Math.max(1, Math.ceil(seconds));
  if (whole < 90) return `in ${whole} second${whole === 1 ? "" : "s"}`;
  const minutes = Math.ceil(whole / 60);
  if (minutes < 90) return `in ${minutes} minutes`;
  return `in ${Math.ceil(minutes / 60)} hours`;
}

/** Turn an HTTP error response (SPEC's {error, message, details} or anything else) into an ApiError. */
export function errorFromResponse(status: number, headers: Headers, body: unknown): ApiError {
  const data = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  const code = typeof data.error === "string" ? data.error : status === 429 ? "rate_limit_exceeded" : "error";
  const details = normaliseDetails(data.details);
  let message = typeof data.message === "string" && data.message ? data.message : fallbackMessage(status);
  const retryAfter = retryAfterSeconds(headers);
  if (status === 429) {
    message = `Too many requests, try again ${waitPhrase(retryAfter ?? 60)}.`;
  }
  return new ApiError({ status, code, message, details, retryAfter });
}

// The two below are the client's own (not re-exported by index.ts).

/** The server could not be reached at all. */
export function networkError(): ApiError {
  return new ApiError({
    status: 0,
    code: "network_error",
    message: "Could not reach the server. Check your connection and try again.",
  });
}

/** The session is over: the refresh was refused, or the retried call was refused again. */
export function sessionEnded(): ApiError {
  return new ApiError({
    status: 401,
    code: "not_authenticated",
    message: "Your session has ended. Please sign in again.",
  });
}
