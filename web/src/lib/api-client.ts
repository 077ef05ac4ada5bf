/**
 * The one way the web app talks to the API.
 *
 * - Puts the bearer token on every call and keeps the tokens in localStorage.
 * - On a 401 it refreshes the access token once (one refresh at a time: refresh tokens rotate,
 *   so two concurrent refreshes with the same token would sign the user out) and retries.
 * - When the refresh is refused it signs out.
 * - Every failure becomes an ApiError carrying SPEC's code, a sentence to show, and the
 *   per-field messages for forms.
 */

export const API_BASE = "/api";

const ACCESS_KEY = "desk.access";
const REFRESH_KEY = "desk.refresh";

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

// --- tokens -------------------------------------------------------------------------------

export interface Tokens {
  access: string;
  refresh: string;
}

type Listener = () => void;
const listeners = new Set<Listener>();

function readStorage(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

export const tokenStore = {
  get(): Tokens | null {
    const access = readStorage(ACCESS_KEY);
    const refresh = readStorage(REFRESH_KEY);
    return access && refresh ? { access, refresh } : null;
  },
  set(tokens: Tokens): void {
    window.localStorage.setItem(ACCESS_KEY, tokens.access);
    window.localStorage.setItem(REFRESH_KEY, tokens.refresh);
    listeners.forEach((listener) => listener());
  },
  clear(): void {
    window.localStorage.removeItem(ACCESS_KEY);
    window.localStorage.removeItem(REFRESH_KEY);
    listeners.forEach((listener) => listener());
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    // Another tab signing in or out changes this tab's session too.
    const onStorage = (event: StorageEvent) => {
      if (event.key === null || event.key === ACCESS_KEY || event.key === REFRESH_KEY) listener();
    };
    window.addEventListener("storage", onStorage);
    return () => {
      listeners.delete(listener);
      window.removeEventListener("storage", onStorage);
    };
  },
};

// --- errors -------------------------------------------------------------------------------

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

/** Turn an HTTP error response (SPEC's {error, message, details} or anything else) into an ApiError. */
export function errorFromResponse(status: number, headers: Headers, body: unknown): ApiError {
  const data = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  const code = typeof data.error === "string" ? data.error : status === 429 ? "rate_limit_exceeded" : "error";
  const details = normaliseDetails(data.details);
  let message = typeof data.message === "string" && data.message ? data.message : fallbackMessage(status);
  const retryAfter = retryAfterSeconds(headers);
  if (status === 429) {
    message = `Too many requests, try again in ${retryAfter ?? 60} s.`;
  }
  return new ApiError({ status, code, message, details, retryAfter });
}

function networkError(): ApiError {
  return new ApiError({
    status: 0,
    code: "network_error",
    message: "Could not reach the server. Check your connection and try again.",
  });
}

async function parseBody(response: Response): Promise<unknown> {
  if (response.status === 204) return null;
  const text = await response.text();
  if (!text) return null;
  const type = response.headers.get("Content-Type") ?? "";
  if (type.includes("json")) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  }
  return text;
}

// --- refresh ------------------------------------------------------------------------------

let refreshing: Promise<boolean> | null = null;
// A request that replaces the session's tokens (`replaceSession`), while it is in flight.
let replacing: Promise<unknown> | null = null;
// The longest a refused refresh waits for such a request (a safety net, never reached normally).
const REPLACEMENT_WAIT_MS = 15_000;

async function afterReplacement(): Promise<void> {
  const pending = replacing;
  if (!pending) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cap = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, REPLACEMENT_WAIT_MS);
  });
  await Promise.race([pending.then(noop, noop), cap]);
  clearTimeout(timer);
}

function noop(): void {}

/**
 * Run a request that replaces the session's tokens: a password change, whose answer carries the
 * new pair while the server revokes the old one. A refresh refused meanwhile (say, by the live
 * socket that the server has just closed) waits for the new pair instead of ending the session.
 * The request itself must be sent with `replacesSession: true`.
 */
export function replaceSession(request: () => Promise<Tokens>): Promise<Tokens> {
  const replaced = request().then((tokens) => {
    tokenStore.set(tokens);
    return tokens;
  });
  const tracked: Promise<unknown> = replaced.finally(() => {
    if (replacing === tracked) replacing = null;
  });
  tracked.catch(noop);
  replacing = tracked;
  return replaced;
}

async function refreshOnce(refreshToken: string, waitForReplacement: boolean): Promise<boolean> {
  let response: Response;
  try {
    response = await fetch(`${API_BASE}/auth/token/refresh/`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ refresh: refreshToken }),
    });
  } catch {
    throw networkError();
  }
  if (!response.ok) {
    // Only a refusal of the token itself signs out; a rate limit or an outage does not.
    if (response.status === 400 || response.status === 401) {
      if (waitForReplacement) await afterReplacement();
      const now = tokenStore.get();
      // Another tab may have rotated the token meanwhile: then its new pair is good to use.
      if (now && now.refresh !== refreshToken) return true;
      tokenStore.clear();
      return false;
    }
    throw errorFromResponse(response.status, response.headers, await parseBody(response));
  }
  const data = (await parseBody(response)) as Partial<Tokens> | null;
  if (!data?.access) {
    tokenStore.clear();
    return false;
  }
  // Refresh tokens rotate: the old one is now blacklisted, keep the new one.
  tokenStore.set({ access: data.access, refresh: data.refresh ?? refreshToken });
  return true;
}

/**
 * Get a new access token. Concurrent callers share one refresh. Resolves true when there is a
 * new access token, false when the session is over (and the user is signed out).
 */
export function refreshAccessToken(usedAccess: string | null, waitForReplacement = true): Promise<boolean> {
  const current = tokenStore.get();
  if (!current) return Promise.resolve(false);
  // Someone else already refreshed while our request was in flight.
  if (usedAccess !== null && current.access !== usedAccess) return Promise.resolve(true);
  if (!refreshing) {
    const settled: Promise<boolean> = refreshOnce(current.refresh, waitForReplacement).finally(() => {
      if (refreshing === settled) refreshing = null;
    });
    refreshing = settled;
  }
  return refreshing;
}

function sessionEnded(): ApiError {
  return new ApiError({
    status: 401,
    code: "not_authenticated",
    message: "Your session has ended. Please sign in again.",
  });
}

// --- requests -----------------------------------------------------------------------------

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** A JSON body, or FormData for multipart. */
  body?: unknown;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
  /** Send the bearer token (default true). Sign-in and register send none. */
  auth?: boolean;
  /** This request replaces the session's tokens (`replaceSession`): its own refresh never waits for it. */
  replacesSession?: boolean;
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const url = path.startsWith("/") ? path : `${API_BASE}/${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${url}?${search}` : url;
}

async function send(url: string, options: RequestOptions, access: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json" };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  if (access) headers.Authorization = `Bearer ${access}`;
  try {
    return await fetch(url, { method: options.method ?? "GET", headers, body, signal: options.signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw networkError();
  }
}

/** Send a request with the session's token, refreshing it once on a 401. */
async function authorisedFetch(url: string, options: RequestOptions): Promise<Response> {
  const useAuth = options.auth ?? true;
  const access = useAuth ? (tokenStore.get()?.access ?? null) : null;
  let response = await send(url, options, access);
  if (response.status === 401 && useAuth && access) {
    const refreshed = await refreshAccessToken(access, !options.replacesSession);
    if (!refreshed) throw sessionEnded();
    response = await send(url, options, tokenStore.get()?.access ?? null);
    if (response.status === 401) {
      tokenStore.clear();
      throw sessionEnded();
    }
  }
  return response;
}

/** Call a JSON endpoint; resolves with the parsed body or throws an ApiError. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await authorisedFetch(buildUrl(path, options.query), options);
  const body = await parseBody(response);
  if (!response.ok) throw errorFromResponse(response.status, response.headers, body);
  return body as T;
}

/** Fetch a file with the session's token (never in the URL) and return its bytes. */
export async function apiBlob(path: string, options: RequestOptions = {}): Promise<Blob> {
  const response = await authorisedFetch(buildUrl(path, options.query), options);
  if (!response.ok) throw errorFromResponse(response.status, response.headers, await parseBody(response));
  return response.blob();
}

export const api = {
  get: <T>(path: string, options: Omit<RequestOptions, "method" | "body"> = {}) =>
    apiRequest<T>(path, { ...options, method: "GET" }),
  post: <T>(path: string, body?: unknown, options: Omit<RequestOptions, "method" | "body"> = {}) =>
    apiRequest<T>(path, { ...options, method: "POST", body }),
  patch: <T>(path: string, body?: unknown, options: Omit<RequestOptions, "method" | "body"> = {}) =>
    apiRequest<T>(path, { ...options, method: "PATCH", body }),
  delete: <T = null>(path: string, options: Omit<RequestOptions, "method" | "body"> = {}) =>
    apiRequest<T>(path, { ...options, method: "DELETE" }),
};

// --- uploads with progress ----------------------------------------------------------------

export interface UploadOptions {
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

interface XhrResult {
  status: number;
  headers: Headers;
  body: unknown;
}

function parseXhrHeaders(raw: string): Headers {
  const headers = new Headers();
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const index = line.indexOf(":");
    if (index > 0) {
      try {
        headers.append(line.slice(0, index).trim(), line.slice(index + 1).trim());
      } catch {
        // A header the Headers class refuses is not one we need.
      }
    }
  }
  return headers;
}

function xhrSend(url: string, form: FormData, access: string | null, options: UploadOptions): Promise<XhrResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Accept", "application/json");
    if (access) xhr.setRequestHeader("Authorization", `Bearer ${access}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      const headers = parseXhrHeaders(xhr.getAllResponseHeaders());
      let body: unknown = null;
      if (xhr.responseText) {
        try {
          body = JSON.parse(xhr.responseText) as unknown;
        } catch {
          body = xhr.responseText;
        }
      }
      resolve({ status: xhr.status, headers, body });
    };
    xhr.onerror = () => reject(networkError());
    xhr.onabort = () => reject(new DOMException("The upload was cancelled.", "AbortError"));
    if (options.signal) {
      if (options.signal.aborted) {
        reject(new DOMException("The upload was cancelled.", "AbortError"));
        return;
      }
      options.signal.addEventListener("abort", () => xhr.abort(), { once: true });
    }
    xhr.send(form);
  });
}

/**
 * POST multipart data with upload progress (fetch cannot report it, XMLHttpRequest can), with
 * the same token, refresh and error rules as every other call.
 */
export async function apiUpload<T>(path: string, form: FormData, options: UploadOptions = {}): Promise<T> {
  const url = buildUrl(path);
  const access = tokenStore.get()?.access ?? null;
  let result = await xhrSend(url, form, access, options);
  if (result.status === 401 && access) {
    const refreshed = await refreshAccessToken(access);
    if (!refreshed) throw sessionEnded();
    options.onProgress?.(0);
    result = await xhrSend(url, form, tokenStore.get()?.access ?? null, options);
    if (result.status === 401) {
      tokenStore.clear();
      throw sessionEnded();
    }
  }
  if (result.status < 200 || result.status >= 300) {
    throw errorFromResponse(result.status, result.headers, result.body);
  }
  options.onProgress?.(1);
  return result.body as T;
}
