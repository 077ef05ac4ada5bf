/**
 * A fake of the HTTP API for unit tests: the network is the boundary outside the web app's
 * control. Tests register handlers per method and path; every request is recorded so tests can
 * assert on what the app sent. Unhandled requests fail loudly.
 */
import { vi } from "vitest";

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
}

export type Handler = (request: RecordedRequest) => Response | Promise<Response>;

interface Route {
  method: string;
  path: string | RegExp;
  handler: Handler;
  times: number; // remaining uses; Infinity for "always"
}

export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: { "Content-Type": "application/json", ...init.headers },
  });
}

/** SPEC's error body. */
export function apiError(
  status: number,
  error: string,
  message: string,
  details: Record<string, string[]> = {},
  headers: Record<string, string> = {},
): Response {
  return json({ error, message, details }, { status, headers });
}

class FakeApi {
  requests: RecordedRequest[] = [];
  private routes: Route[] = [];

  install(): void {
    this.requests = [];
    this.routes = [];
    vi.stubGlobal("fetch", vi.fn((input: RequestInfo | URL, init?: RequestInit) => this.handle(input, init)));
  }

  uninstall(): void {
    vi.unstubAllGlobals();
    this.routes = [];
  }

  /** Answer `method path` with `handler` every time (or only `times` times, first match wins). */
  on(method: string, path: string | RegExp, handler: Handler | Response | object, times = Infinity): this {
    const fn: Handler =
      typeof handler === "function"
        ? (handler as Handler)
        : handler instanceof Response
          ? () => handler.clone()
          : () => json(handler);
    this.routes.push({ method: method.toUpperCase(), path, handler: fn, times });
    return this;
  }

  once(method: string, path: string | RegExp, handler: Handler | Response | object): this {
    return this.on(method, path, handler, 1);
  }

  calls(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method.toUpperCase() && matches(path, request.path));
  }

  private async handle(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, "http://localhost");
    const method = (init?.method ?? "GET").toUpperCase();
    const headers = new Headers(init?.headers);
    let body: unknown = init?.body ?? null;
    if (typeof body === "string" && headers.get("Content-Type")?.includes("json")) body = JSON.parse(body);
    const request: RecordedRequest = { method, path: url.pathname, query: url.searchParams, headers, body };
    this.requests.push(request);
    if (init?.signal?.aborted) throw new DOMException("Aborted", "AbortError");
    const route = this.routes.find((candidate) => candidate.method === method && candidate.times > 0 && matches(candidate.path, url.pathname));
    if (!route) {
      throw new Error(`fake API: no handler for ${method} ${url.pathname}${url.search}`);
    }
    route.times -= 1;
    return route.handler(request);
  }
}

function matches(pattern: string | RegExp, path: string): boolean {
  return typeof pattern === "string" ? pattern === path : pattern.test(path);
}

export const fakeApi = new FakeApi();
