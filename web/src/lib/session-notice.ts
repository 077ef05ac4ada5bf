/**
 * A sentence for the sign-in page after the session ended on purpose (the account was deleted,
 * the password was reset), whichever way the app then reaches that page.
 */
let notice: string | null = null;

export function setSessionNotice(text: string): void {
  notice = text;
}

export function sessionNotice(): string | null {
  return notice;
}

export function clearSessionNotice(): void {
  notice = null;
}
