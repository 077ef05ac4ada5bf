/**
 * The live-updates websocket: one connection per signed-in session.
 *
 * - Authenticates with the API client's access token, offered as a subprotocol next to the
 *   desk's own (browsers cannot set headers on a websocket, and a URL ends up in access logs),
 *   refreshing it first when it is about to expire. The server closes a socket when its token
 *   expires, so each new access token is sent over the open socket (`auth`).
 * - A close with 4401 (token refused) refreshes the token through the API client and
 *   reconnects; a session that can no longer be refreshed is over, and the socket stops.
 * - Any other drop reconnects with exponential backoff, with jitter and a cap, so clients that
 *   lost the server together do not all come back at the same instant; at once when the browser
 *   comes back online or the tab becomes visible again.
 * - A ping every 25 s keeps proxies from closing an idle connection; a connection that has not
 *   been heard from for two rounds is treated as dead and replaced.
 */
import { refreshAccessToken, tokenStore } from "./api-client";
import type { ServerEvent } from "./types";

export type SocketStatus = "idle" | "connecting" | "open" | "reconnecting";

export const CLOSE_NOT_AUTHENTICATED = 4401;
/** The desk's subprotocol; the token rides next to it, and the server chooses this one. */
export const SUBPROTOCOL = "desk";
export const TOKEN_SUBPROTOCOL_PREFIX = "desk.bearer.";
export const PING_MS = 25_000;
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;
/** Refresh an access token that expires sooner than this before connecting with it. */
const EXPIRY_MARGIN_SECONDS = 30;
/** How long a connection has to answer the ping sent when the browser comes back online. */
export const PROBE_MS = 4_000;
/** Silence longer than this (no pong, no event) means the connection is dead. */
const SILENCE_MS = 2 * PING_MS + 5_000;

/**
 * The wait before reconnect attempt `attempt` (0-based): doubling from 1 s up to 30 s, with
 * "equal jitter" (between half and all of that), so nobody retries at once or in step.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** The websocket address on this page's own origin (ws:, or wss: under https); never a token. */
export function socketUrl(location: Pick<Location, "protocol" | "host"> = window.location): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws/`;
}

/** The subprotocols a socket offers: the desk's, and the access token that signs it in. */
export function socketProtocols(token: string): string[] {
  return [SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${token}`];
}

/** Seconds until a JWT's `exp`; null when the token carries no readable expiry. */
export function secondsUntilExpiry(token: string, now: number = Date.now()): number | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "="))) as { exp?: unknown };
    return typeof claims.exp === "number" ? claims.exp - now / 1000 : null;
  } catch {
    return null;
  }
}

function isServerEvent(value: unknown): value is ServerEvent {
  return Boolean(value) && typeof value === "object" && typeof (value as { type?: unknown }).type === "string";
}

export interface LiveSocketOptions {
  onEvent: (event: ServerEvent) => void;
  onStatus?: (status: SocketStatus) => void;
  /** The session's access token; null when signed out. */
  getToken?: () => string | null;
  /** Get a new access token: true when there is one, false when the session is over. */
  refresh?: (usedToken: string | null) => Promise<boolean>;
  /** Hear when the session's tokens change; returns a way to stop listening. */
  subscribeTokens?: (listener: () => void) => () => void;
  url?: () => string;
  random?: () => number;
}

export class LiveSocket {
  private readonly options: Required<LiveSocketOptions>;
  private socket: WebSocket | null = null;
  private statusValue: SocketStatus = "idle";
  /** Reconnect attempts since the last open connection. */
  private attempt = 0;
  /** Changes on every start and stop, so work begun for an earlier run gives up. */
  private run = 0;
  private running = false;
  private opened = false;
  private refreshedForAuth = false;
  private lastHeard = 0;
  /** How many messages the current connection has delivered. */
  private heard = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private probeTimer: ReturnType<typeof setTimeout> | null = null;
  /** The token the open connection last signed in with. */
  private socketToken: string | null = null;
  private greeted = false;
  private unsubscribeTokens: (() => void) | null = null;

  constructor(options: LiveSocketOptions) {
    this.options = {
      onStatus: () => undefined,
      getToken: () => tokenStore.get()?.access ?? null,
      refresh: refreshAccessToken,
      subscribeTokens: (listener) => tokenStore.subscribe(listener),
      url: () => socketUrl(),
      random: Math.random,
      ...options,
    };
  }

  get status(): SocketStatus {
    return this.statusValue;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.run += 1;
    this.attempt = 0;
    this.opened = false;
    window.addEventListener("online", this.onOnline);
    document.addEventListener("visibilitychange", this.onVisible);
    this.unsubscribeTokens = this.options.subscribeTokens(this.onTokens);
    void this.connect(this.run);
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.run += 1;
    window.removeEventListener("online", this.onOnline);
    document.removeEventListener("visibilitychange", this.onVisible);
    if (this.probeTimer !== null) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    this.unsubscribeTokens?.();
    this.unsubscribeTokens = null;
    this.clearRetry();
    this.stopPing();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      detach(socket);
      socket.close(1000, "Signed out");
    }
    this.setStatus("idle");
  }

  private setStatus(status: SocketStatus): void {
    if (status === this.statusValue) return;
    this.statusValue = status;
    this.options.onStatus(status);
  }

  private async connect(run: number): Promise<void> {
    this.clearRetry();
    if (run !== this.run) return;
    let token = this.options.getToken();
    if (!token) {
      this.stop();
      return;
    }
    this.setStatus(this.opened || this.attempt > 0 ? "reconnecting" : "connecting");
    const left = secondsUntilExpiry(token);
    if (left !== null && left < EXPIRY_MARGIN_SECONDS) {
      // The server would refuse the handshake, and a refused handshake looks like any other
      // failure to the browser: get a fresh token first.
      const outcome = await this.tryRefresh(token);
      if (run !== this.run) return;
      if (outcome === "ended") return this.stop();
      if (outcome === "failed") return this.scheduleReconnect(run);
      token = this.options.getToken();
      if (!token) return this.stop();
    }

    const socket = new WebSocket(this.options.url(), socketProtocols(token));
    this.socket = socket;
    this.socketToken = token;
    this.greeted = false;
    const usedToken = token;
    socket.onopen = () => {
      if (socket !== this.socket) return;
      this.lastHeard = Date.now();
      this.startPing(socket);
    };
    socket.onmessage = (message: MessageEvent) => {
      if (socket !== this.socket) return;
      this.lastHeard = Date.now();
      this.heard += 1;
      if (!this.greeted) {
        // The server speaks first (hello) once it has accepted the token and subscribed this
        // connection: only then is it live. A connection dropped before that is a failed
        // attempt, so a server that accepts and hangs up at once gets the growing backoff.
        this.greeted = true;
        this.attempt = 0;
        this.opened = true;
        this.refreshedForAuth = false;
        this.setStatus("open");
      }
      let data: unknown;
      try {
        data = JSON.parse(String(message.data));
      } catch {
        return;
      }
      if (isServerEvent(data)) this.options.onEvent(data);
    };
    socket.onerror = () => undefined; // a close event follows, and that is where we act
    socket.onclose = (event: CloseEvent) => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.stopPing();
      if (run !== this.run) return;
      if (event.code === CLOSE_NOT_AUTHENTICATED) void this.reauthenticate(run, usedToken);
      else this.scheduleReconnect(run);
    };
  }

  private async tryRefresh(usedToken: string): Promise<"ok" | "ended" | "failed"> {
    try {
      return (await this.options.refresh(usedToken)) ? "ok" : "ended";
    } catch {
      return "failed"; // the server is unreachable: try again later with the backoff
    }
  }

  private async reauthenticate(run: number, usedToken: string): Promise<void> {
    this.setStatus("reconnecting");
    const outcome = await this.tryRefresh(usedToken);
    if (run !== this.run) return;
    if (outcome === "ended") return this.stop(); // the API client has signed the user out
    // With a new token, try again at once, but only once in a row: a server that keeps refusing
    // gets the backoff, not a loop.
    if (outcome === "ok" && !this.refreshedForAuth) {
      this.refreshedForAuth = true;
      void this.connect(run);
      return;
    }
    this.scheduleReconnect(run);
  }

  private scheduleReconnect(run: number): void {
    if (run !== this.run) return;
    this.clearRetry();
    this.setStatus("reconnecting");
    const delay = backoffDelay(this.attempt, this.options.random);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => void this.connect(run), delay);
  }

  private startPing(socket: WebSocket): void {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      if (socket !== this.socket) return;
      if (Date.now() - this.lastHeard > SILENCE_MS) {
        // A connection that went away without a close (sleep, network change): replace it now
        // rather than wait for the browser to notice.
        this.socket = null;
        this.stopPing();
        detach(socket);
        socket.close();
        this.scheduleReconnect(this.run);
        return;
      }
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "ping" }));
    }, PING_MS);
  }

  private stopPing(): void {
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Back online: no need to wait out the backoff. A connection that looks open may have died
   * with the network (no close event comes then): it must answer a ping at once, or it is
   * replaced, rather than after the usual two silent rounds. */
  private onOnline = (): void => {
    if (!this.running) return;
    const socket = this.socket;
    if (socket && this.greeted && socket.readyState === WebSocket.OPEN) {
      const asked = this.heard;
      socket.send(JSON.stringify({ type: "ping" }));
      if (this.probeTimer !== null) clearTimeout(this.probeTimer);
      this.probeTimer = setTimeout(() => {
        this.probeTimer = null;
        if (socket !== this.socket || this.heard > asked) return;
        this.socket = null;
        this.stopPing();
        detach(socket);
        socket.close();
        this.attempt = 0;
        void this.connect(this.run);
      }, PROBE_MS);
      return;
    }
    if (this.retryTimer === null) return;
    this.attempt = 0;
    void this.connect(this.run);
  };

  /** The tab is shown again (a laptop woke up, the phone came back to the browser): the same. */
  private onVisible = (): void => {
    if (document.visibilityState === "visible") this.onOnline();
  };

  /** A new access token (after a refresh): sign the open connection in with it, so that the
   * server keeps it open past the old token's expiry. */
  private onTokens = (): void => {
    const socket = this.socket;
    const token = this.options.getToken();
    if (!socket || !this.greeted || !token || token === this.socketToken) return;
    if (socket.readyState !== WebSocket.OPEN) return;
    this.socketToken = token;
    socket.send(JSON.stringify({ type: "auth", token }));
  };
}

function detach(socket: WebSocket): void {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onerror = null;
  socket.onclose = null;
}
