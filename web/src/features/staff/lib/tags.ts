/**
 * Tags as the server keeps them (SPEC "Ticket"): trimmed, inner spaces collapsed, lower case,
 * duplicates dropped, at most 20 of at most 50 characters each.
 */
import { MAX_TAGS, TAG_MAX_LENGTH } from "@/lib/types";

export function normalizeTag(raw: string): string {
  return raw.trim().replace(/\s+/g, " ").toLowerCase();
}

/** "Refund, VIP customer,, refund" → ["refund", "vip customer"]. */
export function parseTags(text: string): string[] {
  const tags: string[] = [];
  for (const piece of text.split(",")) {
    const tag = normalizeTag(piece);
    if (tag && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

/** Why these tags would be refused, or undefined when they are fine. */
export function tagsProblem(tags: string[]): string | undefined {
  const long = tags.find((tag) => tag.length > TAG_MAX_LENGTH);
  if (long) return `Keep each tag to ${TAG_MAX_LENGTH} characters (“${long.slice(0, 20)}…” is longer).`;
  if (tags.length > MAX_TAGS) return `A ticket can have at most ${MAX_TAGS} tags (this has ${tags.length}).`;
  return undefined;
}
