/** The session's tokens, kept in localStorage, with a way to hear when they change. */

const ACCESS_KEY = "desk.access";
const REFRESH_KEY = "desk.refresh";

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
