import { api } from "@/lib/api-client";
import type { Page } from "@/lib/types";

/** A page's `next` link (absolute, from the server) as a path this client can call. */
function nextPath(next: string): string {
  const url = new URL(next, window.location.origin);
  return `${url.pathname}${url.search}`;
}

/**
 * Every item of a short admin list. The list endpoints answer in pages (`{count, next,
 * previous, results}`), so this follows `next`; a plain array is taken as it is.
 */
export async function listAll<T>(path: string, signal?: AbortSignal): Promise<T[]> {
  const first = await api.get<Page<T> | T[]>(path, { signal, query: { page_size: 100 } });
  if (Array.isArray(first)) return first;
  const items = [...first.results];
  let next = first.next;
  // A bound, so a server that keeps answering with a `next` cannot spin this forever.
  for (let pages = 1; next && pages < 50; pages += 1) {
    const page = await api.get<Page<T>>(nextPath(next), { signal });
    items.push(...page.results);
    next = page.next;
  }
  return items;
}
