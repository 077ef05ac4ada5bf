import { useSyncExternalStore } from "react";

/** The current time, ticking every 30 s for every subscriber at once (relative times stay fresh). */
const TICK_MS = 30_000;
let now = Date.now();
const subscribers = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(callback: () => void): () => void {
  subscribers.add(callback);
  if (!timer) {
    // Nothing kept the time while no one watched it: a countdown shown after a while away
    // starts from now, not from when the last one went (React renders again with it).
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      subscribers.forEach((fn) => fn());
    }, TICK_MS);
  }
  return () => {
    subscribers.delete(callback);
    if (subscribers.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

export function useNow(): number {
  return useSyncExternalStore(
    subscribe,
    () => now,
    () => now,
  );
}

