/**
 * A fake WebSocket for unit tests (the server's end of the socket is outside the web app).
 * Every socket the app opens is kept, so a test can open it, send it server events, read what
 * the app sent, and close it with any code.
 */
import { vi } from "vitest";
import type { ServerEvent } from "@/lib/types";

export class FakeWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static instances: FakeWebSocket[] = [];

  readonly url: string;
  readonly protocols: string[];
  readyState = FakeWebSocket.CONNECTING;
  sent: unknown[] = [];
  closedByClient: { code?: number; reason?: string } | null = null;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;

  constructor(url: string, protocols: string | string[] = []) {
    this.url = url;
    this.protocols = typeof protocols === "string" ? [protocols] : protocols;
    FakeWebSocket.instances.push(this);
  }

  /** The access token the app connected with (offered as a subprotocol, never in the URL). */
  get token(): string | null {
    const offered = this.protocols.find((protocol) => protocol.startsWith("desk.bearer."));
    return offered ? offered.slice("desk.bearer.".length) : null;
  }

  send(data: string): void {
    if (this.readyState !== FakeWebSocket.OPEN) throw new Error("fake websocket: send while not open");
    this.sent.push(JSON.parse(data));
  }

  close(code?: number, reason?: string): void {
    this.closedByClient = { code, reason };
    this.readyState = FakeWebSocket.CLOSED;
  }

  // --- the server's side ---

  /** Accept the connection and say hello, as the server does. */
  open(userId = "user-carol"): this {
    this.readyState = FakeWebSocket.OPEN;
    this.onopen?.(new Event("open"));
    this.emit({ type: "hello", user: userId });
    return this;
  }

  emit(event: ServerEvent | Record<string, unknown>): void {
    this.onmessage?.(new MessageEvent("message", { data: JSON.stringify(event) }));
  }

  /** The server ends the connection (1006: it went away without a close frame). */
  serverClose(code = 1006): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.(new CloseEvent("close", { code, wasClean: code !== 1006 }));
  }

  /** The connection could not be made at all. */
  fail(): void {
    this.onerror?.(new Event("error"));
    this.serverClose(1006);
  }

  static get latest(): FakeWebSocket {
    const socket = FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
    if (!socket) throw new Error("fake websocket: the app opened no socket");
    return socket;
  }

  /** Sockets the app has not closed and the server has not closed. */
  static get live(): FakeWebSocket[] {
    return FakeWebSocket.instances.filter((socket) => socket.readyState !== FakeWebSocket.CLOSED);
  }

  static install(): void {
    FakeWebSocket.instances = [];
    vi.stubGlobal("WebSocket", FakeWebSocket);
  }
}
