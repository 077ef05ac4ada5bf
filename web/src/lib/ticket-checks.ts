/**
 * Client-side checks of a new ticket's text, mirroring SPEC's limits (title 1..255 characters,
 * message 1..5000 after trimming). They spare the user a round trip; the server still decides.
 * Each form words the "empty" case for its own reader.
 */
import { MESSAGE_MAX_LENGTH, TITLE_MAX_LENGTH } from "./types";

/** "The message can be at most 5,000 characters; it has 5,001." */
export function tooLong(what: string, limit: number, length: number): string {
  return `${what} can be at most ${limit.toLocaleString("en")} characters; it has ${length.toLocaleString("en")}.`;
}

export function titleProblem(title: string, whenEmpty: string): string | undefined {
  const value = title.trim();
  if (!value) return whenEmpty;
  if (value.length > TITLE_MAX_LENGTH) return tooLong("The title", TITLE_MAX_LENGTH, value.length);
  return undefined;
}

export function messageProblem(text: string, whenEmpty: string): string | undefined {
  const value = text.trim();
  if (!value) return whenEmpty;
  if (value.length > MESSAGE_MAX_LENGTH) return tooLong("The message", MESSAGE_MAX_LENGTH, value.length);
  return undefined;
}
