/** JSON (and file) requests with the session's token, refreshing it once on a 401. */

import { errorFromResponse, networkError, sessionEnded } from "./errors";
import { buildUrl, parseBody, type QueryValue } from "./http";
import { refreshAccessToken } from "./refresh";
import { tokenStore } from "./tokens";

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

/** A downloaded file: its bytes, and the name the server gave it (Content-Disposition), if any. */
export interface DownloadedFile {
  blob: Blob;
  filename: string | null;
}

/** The file name in a Content-Disposition header: `filename*` (RFC 5987) first, then `filename`. */
export function filenameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*([^;]+)/i.exec(header);
  if (extended) {
    const value = extended[1]!.trim().replace(/^"(.*)"$/, "$1");
    const encoded = value.replace(/^[\w-]*'[^']*'/, "");
    try {
      const name = decodeURIComponent(encoded);
      if (name) return name;
    } catch {
      // A malformed encoding: fall back to the plain name.
    }
  }
  const plain = /filename\s*=\s*("(?:[^"\\]|\\.)*"|[^;]+)/i.exec(header);
  if (!plain) return null;
  const name = plain[1]!.trim().replace(/^"(.*)"$/, "$1").replace(/\\(.)/g, "$1");
  return name || null;
}

/** Like `apiBlob`, and also the file name the server suggests. */
export async function apiDownload(path: string, options: RequestOptions = {}): Promise<DownloadedFile> {
  const response = await authorisedFetch(buildUrl(path, options.query), options);
  if (!response.ok) throw errorFromResponse(response.status, response.headers, await parseBody(response));
  return { blob: await response.blob(), filename: filenameFromDisposition(response.headers.get("Content-Disposition")) };
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
