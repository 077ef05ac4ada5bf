/** IANA zone names for the calendar's zone field, from the browser when it can list them. */

let cached: string[] | null = null;

/** Every zone this browser knows, or [] when it cannot list them (the field is then plain text). */
export function timeZoneNames(): string[] {
  if (cached) return cached;
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  let names: string[] = [];
  try {
    names = supported ? supported("timeZone") : [];
  } catch {
    names = [];
  }
  // Some engines leave UTC out of the list although every one accepts it.
  if (names.length && !names.includes("UTC")) names = ["UTC", ...names];
  cached = names;
  return names;
}

/** True when this browser can count time in the zone (it accepts aliases such as "Asia/Katmandu" too). */
export function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
