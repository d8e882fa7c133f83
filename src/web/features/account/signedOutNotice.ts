/**
 * "You have been signed out of all devices", handed to the sign-in page outside the router:
 * other parts of the app notice the ended session too and may redirect to sign-in on their
 * own, so navigation state cannot be relied on to carry it.
 */
const SHOW_FOR_MS = 10_000;
let notice: { message: string; at: number } | null = null;

export function leaveSignedOutNotice(message: string): void {
  notice = { message, at: Date.now() };
}

/** The notice, if one was left in the last few seconds. */
export function signedOutNotice(): string | null {
  return notice && Date.now() - notice.at < SHOW_FOR_MS ? notice.message : null;
}
