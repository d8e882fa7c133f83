import { randomBytes } from 'node:crypto';
import { and, eq, lte } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database';
import { hashToken, SESSION_ABSOLUTE_MS } from './identity.queries';
import { sessions, signInChallenges } from './identity.schema';

/** How long the second step of a sign-in may wait for its code. */
export const SIGN_IN_CHALLENGE_MS = 5 * 60 * 1000;

export interface SessionOptions {
  /** 'password' for local accounts; other sign-in methods leave it null. */
  signInMethod: string | null;
  /** The session may only set up an authenticator app until it has done so (DESIGN C5). */
  totpSetupRequired: boolean;
}

/** Stores a new session under the hash of a fresh random token, and returns the token. */
export async function openSession(
  tx: Tx,
  userId: string,
  now: Date,
  options: SessionOptions,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await tx.insert(sessions).values({
    tokenHash: hashToken(token),
    userId,
    csrfToken: randomBytes(24).toString('base64url'),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
    signInMethod: options.signInMethod,
    totpSetupRequired: options.totpSetupRequired,
  });
  return token;
}

/** Records that the password was right and a second factor is due; returns its token. */
export async function openSignInChallenge(
  tx: Tx,
  userId: string,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  // Challenges left behind by abandoned sign-ins go as soon as their user tries again.
  await tx
    .delete(signInChallenges)
    .where(and(eq(signInChallenges.userId, userId), lte(signInChallenges.expiresAt, now)));
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SIGN_IN_CHALLENGE_MS);
  await tx
    .insert(signInChallenges)
    .values({ tokenHash: hashToken(token), userId, createdAt: now, expiresAt });
  return { token, expiresAt };
}
