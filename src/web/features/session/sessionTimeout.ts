/** Warn this long before the session ends (WCAG 2.2.1 asks for a warning and a way to extend). */
export const WARN_BEFORE_MS = 2 * 60_000;
/** How often the page asks the server how long is left. */
export const CHECK_EVERY_MS = 30_000;
/** Someone typing or clicking keeps their session: at most one request this often says so. */
export const ACTIVITY_KEEPS_ALIVE_EVERY_MS = 5 * 60_000;

export const SIGNED_OUT_IDLE =
  'We signed you out because you had not used Carethread for 30 minutes. Sign in again to carry on.';
export const SIGNED_OUT_LONGEST =
  'We signed you out because you had been signed in for 12 hours, the longest we allow. Sign in again to carry on.';
export const SIGNED_OUT = 'You have been signed out. Sign in again to carry on.';

/**
 * Why the session ended, as far as this page can tell: at the deadline it knew (idle, or the
 * 12-hour end), or earlier for another reason (signed out elsewhere, an account closed).
 */
export function signedOutReason(
  deadline: { endsAt: number; canExtend: boolean } | null,
  localNow: number,
): string {
  if (!deadline || localNow < deadline.endsAt - 5_000) return SIGNED_OUT;
  return deadline.canExtend ? SIGNED_OUT_IDLE : SIGNED_OUT_LONGEST;
}

let knownDeadline: { endsAt: number; canExtend: boolean } | null = null;

/**
 * Why the session has ended, said the same way wherever the page learns it (the timeout's own
 * check, or any request answered 401): from the last deadline the page heard of.
 */
export function rememberDeadline(deadline: { endsAt: number; canExtend: boolean }): void {
  knownDeadline = deadline;
}
export const signedOutReasonNow = (): string => signedOutReason(knownDeadline, Date.now());

export interface SessionExpiry {
  now: string;
  idleExpiresAt: string;
  expiresAt: string;
}

/**
 * When the session ends by this page's clock, from the server's answer (so the two clocks
 * need not agree), and whether doing something would put the end off.
 */
export function sessionDeadline(
  expiry: SessionExpiry,
  localNow: number,
): { endsAt: number; canExtend: boolean } {
  const serverNow = Date.parse(expiry.now);
  const idle = Date.parse(expiry.idleExpiresAt);
  const absolute = Date.parse(expiry.expiresAt);
  return {
    endsAt: localNow + (Math.min(idle, absolute) - serverNow),
    canExtend: idle < absolute,
  };
}

/** "1 minute 5 seconds", "2 minutes", "45 seconds" (whole seconds, rounded up). */
export function timeLeftWords(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const parts = [];
  if (minutes > 0) parts.push(`${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`);
  if (seconds > 0 || minutes === 0)
    parts.push(`${seconds} ${seconds === 1 ? 'second' : 'seconds'}`);
  return parts.join(' ');
}
