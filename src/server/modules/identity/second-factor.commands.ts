import { and, eq, gt, isNull } from 'drizzle-orm';
import { type Tx, withTransaction } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/http/problem';
import { invalidCredentials, type SignedIn, startSession } from './identity.commands';
import { hashToken, type ResolvedSession } from './identity.queries';
import { recoveryCodes, signInChallenges, totpCredentials } from './identity.schema';
import type { RequestFacts } from './actor';
import { accountKeyFor, isThrottled, recordAttempt, tooManyAttempts } from './throttle';
import { stepOfCode } from './totp';
import { decryptTotpSecret, hashRecoveryCode } from './totp.crypto';

export const signInExpired = () =>
  new AppError(
    401,
    'auth.sign_in_expired',
    'Sign-in expired',
    'Your sign-in has timed out. Sign in again with your email address and password.',
  );
const invalidCode = () =>
  new AppError(
    401,
    'auth.invalid_code',
    'Sign-in failed',
    'Enter the 6-digit code your authenticator app shows now.',
  );
const codeAlreadyUsed = () =>
  new AppError(
    401,
    'auth.code_already_used',
    'Sign-in failed',
    'That code has already been used. Wait for your authenticator app to show a new code.',
  );
const invalidRecoveryCode = () =>
  new AppError(
    401,
    'auth.invalid_recovery_code',
    'Sign-in failed',
    'Enter one of your recovery codes that you have not used before.',
  );

type CheckResult = 'ok' | 'invalid' | 'replayed';
type SecondFactor = 'totp' | 'recovery_code';

/** The account key the second step's failures are counted against (see throttle.ts). */
export const secondFactorAccountKey = (deps: AppDeps, userId: string) =>
  accountKeyFor(deps.config, `second-factor:${userId}`);

/**
 * Checks an authenticator code against a confirmed TOTP credential, allowing one step of
 * drift, and moves the credential past the code's step so that the code never works again.
 */
export async function useTotpCode(
  deps: AppDeps,
  tx: Tx,
  userId: string,
  code: string,
  now: Date,
): Promise<CheckResult> {
  const [credential] = await tx
    .select()
    .from(totpCredentials)
    .where(eq(totpCredentials.userId, userId))
    .for('update');
  if (!credential || credential.confirmedAt === null) return 'invalid';
  const secret = decryptTotpSecret(deps.config, userId, credential.secretCiphertext);
  const step = stepOfCode(secret, code, now);
  if (step === null) return 'invalid';
  if (credential.lastUsedStep !== null && step <= credential.lastUsedStep) return 'replayed';
  await tx
    .update(totpCredentials)
    .set({ lastUsedStep: step })
    .where(eq(totpCredentials.userId, userId));
  return 'ok';
}

async function useRecoveryCode(
  deps: AppDeps,
  tx: Tx,
  userId: string,
  code: string,
  now: Date,
): Promise<CheckResult> {
  const used = await tx
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(
      and(
        eq(recoveryCodes.userId, userId),
        eq(recoveryCodes.codeHash, hashRecoveryCode(deps.config, code)),
        isNull(recoveryCodes.usedAt),
      ),
    )
    .returning({ id: recoveryCodes.id });
  return used.length === 1 ? 'ok' : 'invalid';
}

/** Second step of a password sign-in: the code from the authenticator app. */
export function verifySignInCode(
  deps: AppDeps,
  challengeToken: string | null,
  code: string,
  request: RequestFacts,
  previous: ResolvedSession | null,
): Promise<SignedIn> {
  return completeSignIn(deps, challengeToken, request, previous, 'totp', (tx, userId, now) =>
    useTotpCode(deps, tx, userId, code, now),
  );
}

/** Second step of a password sign-in with one of the single-use recovery codes instead. */
export function verifySignInRecoveryCode(
  deps: AppDeps,
  challengeToken: string | null,
  recoveryCode: string,
  request: RequestFacts,
  previous: ResolvedSession | null,
): Promise<SignedIn> {
  return completeSignIn(
    deps,
    challengeToken,
    request,
    previous,
    'recovery_code',
    (tx, userId, now) => useRecoveryCode(deps, tx, userId, recoveryCode, now),
  );
}

/**
 * Finds the pending sign-in, checks the second factor under the same throttling as
 * passwords, and on success opens the session in the same transaction as the code is spent.
 * Failures are recorded and committed before they are reported.
 */
async function completeSignIn(
  deps: AppDeps,
  challengeToken: string | null,
  request: RequestFacts,
  previous: ResolvedSession | null,
  factor: SecondFactor,
  check: (tx: Tx, userId: string, now: Date) => Promise<CheckResult>,
): Promise<SignedIn> {
  if (challengeToken === null) throw signInExpired();
  const now = deps.clock();
  const outcome = await withTransaction(deps.db, async (tx) => {
    const tokenHash = hashToken(challengeToken);
    const [challenge] = await tx
      .select({ userId: signInChallenges.userId })
      .from(signInChallenges)
      .where(and(eq(signInChallenges.tokenHash, tokenHash), gt(signInChallenges.expiresAt, now)));
    if (!challenge) return { kind: 'expired' as const };
    const accountKey = secondFactorAccountKey(deps, challenge.userId);
    if (
      await isThrottled(
        tx,
        accountKey,
        request.clientAddress,
        now,
        deps.config.signInAttemptsPerAddress,
      )
    ) {
      return { kind: 'throttled' as const };
    }
    const result = await check(tx, challenge.userId, now);
    await recordAttempt(tx, accountKey, request.clientAddress, result === 'ok', now);
    if (result !== 'ok') return { kind: result };

    await tx.delete(signInChallenges).where(eq(signInChallenges.tokenHash, tokenHash));
    const signedIn = await startSession(tx, challenge.userId, now, request, previous, {
      signInMethod: 'password',
      totpSetupRequired: false,
      details: { method: 'password', secondFactor: factor },
    });
    // Deactivated between the two steps: roll back, nothing spent.
    if (!signedIn) throw invalidCredentials();
    return { kind: 'ok' as const, signedIn };
  });
  switch (outcome.kind) {
    case 'ok':
      return outcome.signedIn;
    case 'expired':
      throw signInExpired();
    case 'throttled':
      throw tooManyAttempts();
    case 'replayed':
      throw codeAlreadyUsed();
    case 'invalid':
      throw factor === 'totp' ? invalidCode() : invalidRecoveryCode();
  }
}
