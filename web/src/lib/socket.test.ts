import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeWebSocket } from "@/testing/fake-websocket";
import {
  BACKOFF_MAX_MS,
  LiveSocket,
  PING_MS,
  PROBE_MS,
  backoffDelay,
  secondsUntilExpiry,
  socketUrl,
  type SocketStatus,
} from "./socket";
import type { ServerEvent } from "./types";

/** A JWT-shaped token that expires `seconds` from now (only the payload matters here). */
function jwt(seconds: number): string {
  const payload = btoa(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + seconds }))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
  return `header.${payload}.signature`;
}

function setup(options: { token?: string; refresh?: (used: string | null) => Promise<boolean>; random?: number } = {}) {
  let token: string | null = options.token ?? "access-1";
  const events: ServerEvent[] = [];
  const statuses: SocketStatus[] = [];
  const tokenListeners = new Set<() => void>();
  const refresh = vi.fn(
    options.refresh ??
      (async () => {
        token = "access-2";
        return true;
      }),
  );
  const socket = new LiveSocket({
    onEvent: (event) => events.push(event),
    onStatus: (status) => statuses.push(status),
    getToken: () => token,
    refresh,
    subscribeTokens: (listener: () => void) => {
      tokenListeners.add(listener);
      return () => tokenListeners.delete(listener);
    },
    url: () => "ws://desk.test/ws/",
    random: () => options.random ?? 0.5,
  });
  return {
    socket,
    events,
    statuses,
    refresh,
    setToken: (value: string | null) => {
      token = value;
    },
    /** The session's tokens changed (a refresh elsewhere in the app). */
    tokensChanged: () => tokenListeners.forEach((listener) => listener()),
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("backoff", () => {
  it("doubles from 1 s, stays between half and all of the step, and stops growing at 30 s", () => {
    expect([0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, () => 1))).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect([0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, () => 0))).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(backoffDelay(5, () => 1)).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(50, () => 1)).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(50, () => 0)).toBe(BACKOFF_MAX_MS / 2);
  });

  it("spreads clients out with jitter", () => {
    const delays = new Set([0, 0.25, 0.5, 0.75, 0.99].map((random) => backoffDelay(3, () => random)));
    expect(delays.size).toBe(5);
  });
});

describe("socket address and token expiry", () => {
  it("uses the page's origin, wss under https, and escapes the token", () => {
    expect(socketUrl({ protocol: "http:", host: "desk.test:8000" })).toBe("ws://desk.test:8000/ws/");
    expect(socketUrl({ protocol: "https:", host: "desk.example.com" })).toBe("wss://desk.example.com/ws/");
  });

  it("reads a JWT's expiry and gives up on anything else", () => {
    expect(secondsUntilExpiry(jwt(600))).toBeGreaterThan(590);
    expect(secondsUntilExpiry(jwt(-5))).toBeLessThan(0);
    expect(secondsUntilExpiry("access-1")).toBeNull();
    expect(secondsUntilExpiry("a.!!!.c")).toBeNull();
  });
});

describe("live socket", () => {
  it("connects with the session's token, passes events on and ignores junk", () => {
    const { socket, events, statuses } = setup();
    socket.start();

    const ws = FakeWebSocket.latest;
    expect(ws.token).toBe("access-1");
    expect(statuses).toEqual(["connecting"]);
    ws.open("user-carol");
    ws.onmessage?.(new MessageEvent("message", { data: "not json" }));
    ws.onmessage?.(new MessageEvent("message", { data: "42" }));
    ws.emit({ type: "ticket.updated", ticket: { id: "t1" } });

    expect(statuses).toEqual(["connecting", "open"]);
    expect(events.map((event) => event.type)).toEqual(["hello", "ticket.updated"]);
    socket.stop();
  });

  it("reconnects after drops with growing, capped waits, and starts over once connected", async () => {
    const { socket, statuses } = setup({ random: 1 });
    socket.start();
    FakeWebSocket.latest.open();

    FakeWebSocket.latest.serverClose(1006);
    expect(statuses.at(-1)).toBe("reconnecting");
    const waits: number[] = [];
    for (let attempt = 0; attempt < 7; attempt += 1) {
      const before = FakeWebSocket.instances.length;
      let waited = 0;
      while (FakeWebSocket.instances.length === before) {
        await vi.advanceTimersByTimeAsync(250);
        waited += 250;
      }
      waits.push(waited);
      FakeWebSocket.latest.fail();
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);

    // Once a connection opens, the next drop waits the shortest time again.
    await vi.advanceTimersByTimeAsync(30_000);
    FakeWebSocket.latest.open();
    expect(statuses.at(-1)).toBe("open");
    const count = FakeWebSocket.instances.length;
    FakeWebSocket.latest.serverClose(1012);
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeWebSocket.instances.length).toBe(count);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeWebSocket.instances.length).toBe(count + 1);
    socket.stop();
  });

  it("counts a connection that closes before the server's hello as a failed attempt", async () => {
    const { socket, statuses } = setup({ random: 1 });
    socket.start();
    const waits: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const ws = FakeWebSocket.latest;
      ws.readyState = FakeWebSocket.OPEN;
      ws.onopen?.(new Event("open")); // accepted, then dropped before saying hello
      ws.serverClose(1011);
      const before = FakeWebSocket.instances.length;
      let waited = 0;
      while (FakeWebSocket.instances.length === before) {
        await vi.advanceTimersByTimeAsync(250);
        waited += 250;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000]);
    expect(statuses).not.toContain("open");
    socket.stop();
  });

  it("on close 4401 refreshes the token through the API client and reconnects with the new one", async () => {
    const { socket, refresh, statuses } = setup();
    socket.start();
    FakeWebSocket.latest.open();

    FakeWebSocket.latest.serverClose(4401);
    await vi.advanceTimersByTimeAsync(0);

    expect(refresh).toHaveBeenCalledWith("access-1");
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(FakeWebSocket.latest.token).toBe("access-2");
    FakeWebSocket.latest.open();
    expect(statuses.slice(-2)).toEqual(["reconnecting", "open"]);
    socket.stop();
  });

  it("does not loop when the server keeps refusing fresh tokens: the second refusal waits out the backoff", async () => {
    const { socket, refresh } = setup();
    socket.start();
    FakeWebSocket.latest.serverClose(4401);
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeWebSocket.instances).toHaveLength(2);

    FakeWebSocket.latest.serverClose(4401);
    await vi.advanceTimersByTimeAsync(0);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(FakeWebSocket.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(FakeWebSocket.instances).toHaveLength(3);
    socket.stop();
  });

  it("stops for good when the session cannot be refreshed", async () => {
    const { socket, statuses } = setup({ refresh: async () => false });
    socket.start();
    FakeWebSocket.latest.open();
    FakeWebSocket.latest.serverClose(4401);
    await vi.advanceTimersByTimeAsync(60_000);

    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(statuses.at(-1)).toBe("idle");
  });

  it("refreshes an access token that is about to expire before connecting with it", async () => {
    const fresh = jwt(900);
    let current = jwt(10);
    const refresh = vi.fn(async () => {
      current = fresh;
      return true;
    });
    const socket = new LiveSocket({ onEvent: () => undefined, getToken: () => current, refresh, url: () => "ws://x/ws/" });
    socket.start();
    await vi.advanceTimersByTimeAsync(0);

    expect(refresh).toHaveBeenCalledTimes(1);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(FakeWebSocket.latest.token).toBe(fresh);
    socket.stop();
  });

  it("pings every 25 s, and replaces a connection that has gone silent", async () => {
    const { socket } = setup();
    socket.start();
    const ws = FakeWebSocket.latest.open();

    await vi.advanceTimersByTimeAsync(PING_MS);
    expect(ws.sent).toEqual([{ type: "ping" }]);
    ws.emit({ type: "pong" });
    await vi.advanceTimersByTimeAsync(PING_MS);
    expect(ws.sent).toHaveLength(2);
    expect(FakeWebSocket.instances).toHaveLength(1);

    // No answer to two more pings: the connection is dead even though no close event came.
    await vi.advanceTimersByTimeAsync(3 * PING_MS);
    expect(ws.closedByClient).not.toBeNull();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(FakeWebSocket.instances).toHaveLength(2);
    socket.stop();
  });

  it("closes on stop and never reconnects afterwards", async () => {
    const { socket, statuses } = setup();
    socket.start();
    const ws = FakeWebSocket.latest.open();

    socket.stop();
    expect(ws.closedByClient).toEqual({ code: 1000, reason: "Signed out" });
    expect(statuses.at(-1)).toBe("idle");
    ws.serverClose(1006);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it("stops instead of connecting without a token", () => {
    const { socket, setToken, statuses } = setup();
    setToken(null);
    socket.start();
    expect(FakeWebSocket.instances).toHaveLength(0);
    expect(statuses).toEqual([]);
  });

  it("offers the token as a subprotocol next to the desk's, never in the URL", () => {
    const { socket } = setup({ token: "access-1" });
    socket.start();
    expect(FakeWebSocket.latest.url).toBe("ws://desk.test/ws/");
    expect(FakeWebSocket.latest.protocols).toEqual(["desk", "desk.bearer.access-1"]);
    socket.stop();
  });

  it("signs the open connection in again with each new access token", async () => {
    const { socket, setToken, tokensChanged } = setup({ token: "access-1" });
    socket.start();
    const ws = FakeWebSocket.latest.open();
    setToken("access-2");
    tokensChanged();
    expect(ws.sent).toEqual([{ type: "auth", token: "access-2" }]);
    tokensChanged(); // the same token again: nothing to send
    setToken(null); // signed out: the socket stops elsewhere, nothing is sent here
    tokensChanged();
    expect(ws.sent).toHaveLength(1);
    expect(FakeWebSocket.instances).toHaveLength(1);
    socket.stop();
  });

  it("reconnects at once when the tab becomes visible again", async () => {
    const { socket } = setup();
    socket.start();
    FakeWebSocket.latest.fail();
    expect(FakeWebSocket.instances).toHaveLength(1);

    Object.defineProperty(document, "visibilityState", { value: "visible", configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeWebSocket.instances).toHaveLength(2);
    socket.stop();
  });

  it("back online, replaces a connection that looks open but no longer answers", async () => {
    const { socket } = setup();
    socket.start();
    const ws = FakeWebSocket.latest.open();
    window.dispatchEvent(new Event("online"));
    expect(ws.sent).toEqual([{ type: "ping" }]);
    await vi.advanceTimersByTimeAsync(PROBE_MS + 10);
    expect(ws.closedByClient).not.toBeNull();
    expect(FakeWebSocket.instances).toHaveLength(2); // at once, not after the silence timeout
    socket.stop();
  });

  it("back online, keeps a connection that answers the ping", async () => {
    const { socket } = setup();
    socket.start();
    const ws = FakeWebSocket.latest.open();
    await vi.advanceTimersByTimeAsync(10);
    window.dispatchEvent(new Event("online"));
    ws.emit({ type: "pong" });
    await vi.advanceTimersByTimeAsync(PROBE_MS + 10);
    expect(ws.closedByClient).toBeNull();
    expect(FakeWebSocket.instances).toHaveLength(1);
    socket.stop();
  });

  it("reconnects at once when the browser comes back online", async () => {
    const { socket } = setup();
    socket.start();
    FakeWebSocket.latest.fail(); // the retry now waits out its backoff
    expect(FakeWebSocket.instances).toHaveLength(1);

    window.dispatchEvent(new Event("online"));
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeWebSocket.instances).toHaveLength(2);
    socket.stop();
  });
});
