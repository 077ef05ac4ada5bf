/**
 * Find the web addresses in plain text (http://, https:// and bare www. ones) so they can be
 * rendered as links, the rest staying text. Only http and https ever become links: no other
 * scheme (javascript:, data:, …) is recognised, and each address is parsed as a URL before it
 * is trusted. Addresses inside HTML someone pasted (href="…") are left as the text they are.
 */

export type TextPart = { kind: "text"; text: string } | { kind: "link"; text: string; href: string };

// A candidate runs to the next space or character that cannot be in a written address.
const CANDIDATE = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+/giu;
// Sentence punctuation after an address belongs to the sentence (Arabic, Urdu and CJK too).
const TRAILING = /[.,;:!?…)\]}»”’*_~\-،؛؟۔。、，！？：；]$/u;
const PAIRS: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

function count(text: string, character: string): number {
  return text.split(character).length - 1;
}

/** Drop trailing punctuation, keeping a closing bracket the address itself opened (Wikipedia). */
function trimEnd(candidate: string): string {
  let text = candidate;
  while (TRAILING.test(text)) {
    const last = text[text.length - 1]!;
    const opener = PAIRS[last];
    if (opener && count(text, opener) >= count(text, last)) break;
    text = text.slice(0, -1);
  }
  return text;
}

/** Preceded by a word, an address or an attribute (`=`, `="`): not an address of its own. */
function insideSomething(text: string, index: number): boolean {
  const before = text[index - 1];
  if (before === undefined) return false;
  if (/[\p{L}\p{N}_/@.=-]/u.test(before)) return true;
  return (before === '"' || before === "'") && text[index - 2] === "=";
}

function safeHref(text: string): string | null {
  const withScheme = /^www\./iu.test(text) ? `https://${text}` : text;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    if (!url.hostname || url.username || url.password) return null;
    return url.href;
  } catch {
    return null;
  }
}

export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let plainFrom = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index;
    const address = trimEnd(match[0]);
    const href = insideSomething(text, start) ? null : safeHref(address);
    // "www." or "https://" alone is not an address.
    if (!href || /^(?:https?:\/\/|www\.)$/iu.test(address)) continue;
    if (start > plainFrom) parts.push({ kind: "text", text: text.slice(plainFrom, start) });
    parts.push({ kind: "link", text: address, href });
    plainFrom = start + address.length;
  }
  if (plainFrom < text.length) parts.push({ kind: "text", text: text.slice(plainFrom) });
  return parts;
}
