import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import { type Tx, withTransaction } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/http/problem';
import { professionals } from '../directory/directory.schema';
import { auditContextFor, type RequestFacts } from './actor';
import { findSession, type ResolvedSession } from './identity.queries';
import {
  sessions,
  signInChallenges,
  signInMethods,
  totpCredentials,
  users,
} from './identity.schema';
import { verifyPassword } from './passwords';
import { openSession, openSignInChallenge } from './sessions';
import { isTotpSetupDue } from './sign-in-policy';
import { accountKeyFor, isThrottled, recordAttempt, tooManyAttempts } from './throttle';

export { MAX_ATTEMPTS_PER_ADDRESS, MAX_FAILURES_PER_ACCOUNT, SIGN_IN_WINDOW_MS } from './throttle';

export const invalidCredentials = () =>
  new AppError(
    401,
    'auth.invalid_credentials',
    'Sign-in failed',
    'Enter a correct email address and password.',
  );

export interface SignedIn {
  kind: 'signed_in';
  token: string;
  session: ResolvedSession;
}

/** The password was right; the account has an authenticator app, so a code is due next. */
export interface SecondFactorRequired {
  kind: 'second_factor_required';
  challengeToken: string;
  expiresAt: Date;
}

/**
 * Checks an email and password. Unknown email and wrong password give the same answer;
 * repeated failures are throttled per account and per address. An account with an
 * authenticator app gets no session yet, only a short-lived challenge for the code.
 */
export async function signInWithPassword(
  deps: AppDeps,
  input: { email: string; password: string },
  request: RequestFacts,
  previous: ResolvedSession | null = null,
): Promise<SignedIn | SecondFactorRequired> {
  const now = deps.clock();
  const email = input.email.trim().toLowerCase();
  const accountKey = accountKeyFor(deps.config, `password:${email}`);

  const outcome = await withTransaction(deps.db, async (tx) => {
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
    const [method] = await tx
      .select({
        userId: signInMethods.userId,
        passwordHash: signInMethods.passwordHash,
        professionalActive: professionals.active,
        totpConfirmedAt: totpCredentials.confirmedAt,
      })
      .from(signInMethods)
      .innerJoin(users, eq(users.id, signInMethods.userId))
      .leftJoin(professionals, eq(professionals.id, users.professionalId))
      .leftJoin(totpCredentials, eq(totpCredentials.userId, users.id))
      .where(and(eq(signInMethods.provider, 'password'), eq(signInMethods.subject, email)));
    const passwordOk = await verifyPassword(method?.passwordHash ?? null, input.password);
    const ok = passwordOk && method !== undefined && method.professionalActive !== false;
    await recordAttempt(tx, accountKey, request.clientAddress, ok, now);
    if (!ok) return { kind: 'failed' as const };
    if (method.totpConfirmedAt !== null) {
      const challenge = await openSignInChallenge(tx, method.userId, now);
      return { kind: 'challenge' as const, challenge };
    }
    return { kind: 'ok' as const, userId: method.userId };
  });
  if (outcome.kind === 'throttled') throw tooManyAttempts();
  if (outcome.kind === 'failed') throw invalidCredentials();
  if (outcome.kind === 'challenge') {
    return {
      kind: 'second_factor_required',
      challengeToken: outcome.challenge.token,
      expiresAt: outcome.challenge.expiresAt,
    };
  }

  // The session and its audit event commit together (C4).
  return withTransaction(deps.db, async (tx) => {
    const totpSetupRequired = await isTotpSetupDue(tx, outcome.userId);
    const signedIn = await startSession(tx, outcome.userId, now, request, previous, {
      signInMethod: 'password',
      totpSetupRequired,
      details: { method: 'password', totpSetupRequired },
    });
    if (!signedIn) throw invalidCredentials();
    return signedIn;
  });
}

/**
 * Opens a session for a user whose sign-in has succeeded, ending the browser's previous
 * session (a new sign-in always gets a new session id), and audits it.
 */
export async function startSession(
  tx: Tx,
  userId: string,
  now: Date,
  request: RequestFacts,
  previous: ResolvedSession | null,
  options: { signInMethod: string | null; totpSetupRequired: boolean; details: object },
): Promise<SignedIn | null> {
  if (previous) await tx.delete(sessions).where(eq(sessions.tokenHash, previous.tokenHash));
  const token = await openSession(tx, userId, now, options);
  const session = await findSession(tx, token, now);
  if (!session) return null;
  await recordAudit(tx, auditContextFor(session.actor, request, now), {
    action: 'session.created',
    entityType: 'session',
    patientId: session.actor.kind === 'patient' ? session.actor.patientId : null,
    details: { ...options.details },
  });
  return { kind: 'signed_in', token, session };
}

/** Ends a session on the server: its cookie is worthless from now on. */
export async function signOut(
  deps: AppDeps,
  session: ResolvedSession,
  request: RequestFacts,
): Promise<void> {
  const now = deps.clock();
  await withTransaction(deps.db, async (tx) => {
    await tx.delete(sessions).where(eq(sessions.tokenHash, session.tokenHash));
    await recordAudit(tx, auditContextFor(session.actor, request, now), {
      action: 'session.ended',
      entityType: 'session',
      patientId: session.actor.kind === 'patient' ? session.actor.patientId : null,
    });
  });
}

/**
 * Ends every session of the signed-in user, on every device, and any sign-in still
 * waiting for its second factor: every cookie they hold is worthless from now on.
 */
export async function signOutEverywhere(
  deps: AppDeps,
  session: ResolvedSession,
  request: RequestFacts,
): Promise<number> {
  const now = deps.clock();
  const { actor } = session;
  return withTransaction(deps.db, async (tx) => {
    const ended = await tx
      .delete(sessions)
      .where(eq(sessions.userId, actor.userId))
      .returning({ tokenHash: sessions.tokenHash });
    await tx.delete(signInChallenges).where(eq(signInChallenges.userId, actor.userId));
    await recordAudit(tx, auditContextFor(actor, request, now), {
      action: 'session.ended_everywhere',
      entityType: 'user',
      entityId: actor.userId,
      patientId: actor.kind === 'patient' ? actor.patientId : null,
      details: { sessionsEnded: ended.length },
    });
    return ended.length;
  });
}

/** Gives a professional or patient a password sign-in; used by seeding and onboarding. */
export async function createPasswordUser(
  tx: Tx,
  who: { professionalId: string } | { patientId: string },
  email: string,
  passwordHash: string,
): Promise<string> {
  const [user] = await tx.insert(users).values(who).returning({ id: users.id });
  if (!user) throw new Error('user insert returned nothing');
  await tx.insert(signInMethods).values({
    userId: user.id,
    provider: 'password',
    subject: email.trim().toLowerCase(),
    passwordHash,
  });
  return user.id;
}
