/** Business minutes as people read them: 90 -> "1h 30m". */

/**
 * Hours and minutes only: a business day's length depends on the calendar, so "1d" would
 * mislead (480 business minutes may be one office day).
 */
export function formatMinutes(minutes: number): string {
  const whole = Math.max(0, Math.round(minutes));
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  if (!hours) return `${rest}m`;
  return rest ? `${hours}h ${rest}m` : `${hours}h`;
}

/** A target field's text: blank -> null (no target), a positive whole number -> it, else undefined (invalid). */
export function parseMinutes(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (!trimmed) return null;
  if (!/^\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value > 0 ? value : undefined;
}
