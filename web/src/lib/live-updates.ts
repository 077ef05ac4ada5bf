/**
 * Live updates for the signed-in session: the websocket (lib/socket) feeds the query cache
 * (lib/live-events), and while it is down the live data (tickets, the open conversation, the
 * unread count) is polled every 15 s instead; polling stops when the socket is back.
 */
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useSyncExternalStore } from "react";
import { tokenStore } from "./api-client";
import { applyServerEvent, isLiveQuery, type LiveContext } from "./live-events";
import { LiveSocket, type SocketStatus } from "./socket";
import type { ServerEvent } from "./types";

export const FALLBACK_POLL_MS = 15_000;

// --- connection status, for the indicator ---------------------------------------------------

let currentStatus: SocketStatus = "idle";
const statusListeners = new Set<() => void>();

function setSocketStatus(status: SocketStatus): void {
  if (status === currentStatus) return;
  currentStatus = status;
  statusListeners.forEach((listener) => listener());
}

function subscribeStatus(listener: () => void): () => void {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}

const getStatus = () => currentStatus;

export function useSocketStatus(): SocketStatus {
  return useSyncExternalStore(subscribeStatus, getStatus, getStatus);
}

// --- events, for views that react to them (announcements) -----------------------------------

type EventListener = (event: ServerEvent) => void;
const eventListeners = new Set<EventListener>();

/** Hear every server event after it has been applied to the cache. */
export function subscribeServerEvents(listener: EventListener): () => void {
  eventListeners.add(listener);
  return () => eventListeners.delete(listener);
}

// --- the session's socket -------------------------------------------------------------------

const hasTokens = () => tokenStore.get() !== null;

/** Fetch again every live query on screen (after a gap in events, or as the fallback poll). */
export function refetchLiveQueries(queryClient: QueryClient): Promise<void> {
  return queryClient.refetchQueries({ type: "active", predicate: (query) => isLiveQuery(query.queryKey) });
}

/**
 * Keep one socket open while signed in (opened at sign-in, closed at sign-out, in any tab),
 * apply its events, and poll while it is down. Mount once, inside the query client provider.
 */
export function useLiveUpdates(): void {
  const queryClient = useQueryClient();
  const signedIn = useSyncExternalStore(tokenStore.subscribe, hasTokens, hasTokens);
  const live = useSocketStatus() === "open";

  useEffect(() => {
    if (!signedIn) return undefined;
    const context: LiveContext = { userId: null };
    let openedBefore = false;
    const socket = new LiveSocket({
      onEvent: (event) => {
        if (event.type === "hello") context.userId = event.user;
        applyServerEvent(queryClient, event, context);
        eventListeners.forEach((listener) => listener(event));
      },
      onStatus: (status) => {
        // Back after a drop: events sent meanwhile are lost, so fetch what is on screen again.
        if (status === "open" && openedBefore) void refetchLiveQueries(queryClient);
        if (status === "open") openedBefore = true;
        setSocketStatus(status);
      },
    });
    socket.start();
    return () => {
      socket.stop();
      setSocketStatus("idle");
    };
  }, [signedIn, queryClient]);

  useEffect(() => {
    if (!signedIn || live) return undefined;
    const timer = setInterval(() => void refetchLiveQueries(queryClient), FALLBACK_POLL_MS);
    return () => clearInterval(timer);
  }, [signedIn, live, queryClient]);
}
