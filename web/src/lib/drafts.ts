/**
 * Unsent writing (a new ticket's fields, a reply, an internal note) kept in localStorage until
 * it is sent or discarded, so closing a dialog, leaving a page or reloading loses nothing.
 *
 * Keys: `desk.draft:<user id>:<what>`, where <what> is `new-ticket` (a customer's new ticket),
 * `new-ticket-for-customer` or `new-ticket-for-customer:<customer id>` (staff, opened from the
 * queue or from that customer's panel), `reply:<ticket id>` or `note:<ticket id>`. A draft
 * belongs to one signed-in user, so whoever signs in next in this browser never sees it; an
 * explicit sign-out forgets every draft kept here (a shared computer keeps no one's text).
 */

const PREFIX = "desk.draft:";

export type DraftPurpose =
  | { kind: "new-ticket" }
  | { kind: "new-ticket-for-customer"; customerId?: string }
  | { kind: "reply" | "note"; ticketId: string };

export function draftKey(userId: string, purpose: DraftPurpose): string {
  const parts: string[] = [purpose.kind];
  if (purpose.kind === "reply" || purpose.kind === "note") parts.push(purpose.ticketId);
  else if (purpose.kind === "new-ticket-for-customer" && purpose.customerId) parts.push(purpose.customerId);
  return `${PREFIX}${userId}:${parts.join(":")}`;
}

/** The stored draft, or null (none, unreadable, or storage unavailable). */
export function readDraft(key: string): unknown {
  try {
    const raw = window.localStorage.getItem(key);
    return raw === null ? null : (JSON.parse(raw) as unknown);
  } catch {
    return null;
  }
}

/** Keep a draft (null forgets it). A full or disabled storage only means the draft is not kept. */
export function saveDraft(key: string, value: unknown): void {
  try {
    if (value === null || value === undefined) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Nothing to do: the text is still on screen.
  }
}

export function removeDraft(key: string): void {
  saveDraft(key, null);
}

/**
 * Forget a text draft once what it held has been sent, unless it was changed since (the user
 * went on writing the next message while this one was on its way).
 */
export function removeDraftIfSent(key: string, sent: string): void {
  const stored = readDraft(key);
  if (typeof stored === "string" && stored.trim() === sent.trim()) removeDraft(key);
}

/** Forget every draft kept in this browser (signing out). */
export function clearDrafts(): void {
  try {
    const storage = window.localStorage;
    const keys: string[] = [];
    for (let index = 0; index < storage.length; index += 1) {
      const key = storage.key(index);
      if (key?.startsWith(PREFIX)) keys.push(key);
    }
    keys.forEach((key) => storage.removeItem(key));
  } catch {
    // Storage unavailable: nothing was kept.
  }
}
