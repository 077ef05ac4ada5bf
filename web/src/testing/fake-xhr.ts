/**
 * A fake XMLHttpRequest for upload tests (uploads use XHR for progress events). Each request is
 * kept so a test can report progress and answer it when it likes.
 */
import { vi } from "vitest";

type Listener = ((event: ProgressEvent) => void) | null;

export class FakeXhr {
  static instances: FakeXhr[] = [];

  method = "";
  url = "";
  headers: Record<string, string> = {};
  body: FormData | null = null;
  status = 0;
  responseText = "";
  aborted = false;
  upload: { onprogress: Listener } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  private responseHeaders = "";

  constructor() {
    FakeXhr.instances.push(this);
  }

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }

  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }

  send(body: FormData): void {
    this.body = body;
  }

  abort(): void {
    this.aborted = true;
    this.onabort?.();
  }

  getAllResponseHeaders(): string {
    return this.responseHeaders;
  }

  /** Report upload progress. */
  progress(loaded: number, total: number): void {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total } as ProgressEvent);
  }

  /** Answer the request. */
  respond(status: number, body: unknown, headers: Record<string, string> = { "Content-Type": "application/json" }): void {
    this.status = status;
    this.responseText = typeof body === "string" ? body : JSON.stringify(body);
    this.responseHeaders = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}`)
      .join("\r\n");
    this.onload?.();
  }

  /** The connection failed before any answer (offline, reset). */
  fail(): void {
    this.onerror?.();
  }

  get file(): File | null {
    const value = this.body?.get("file");
    return value instanceof File ? value : null;
  }

  static install(): void {
    FakeXhr.instances = [];
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
  }
}
