import { createHmac, randomBytes } from 'node:crypto';
import { and, count, eq, gt, sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import { type Tx, withTransaction } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/http/problem';
import { professionals } from '../directory/directory.schema';
import { auditContextFor, type RequestFacts } from './actor';
import {
  findSession,
  hashToken,
  SESSION_ABSOLUTE_MS,
  type ResolvedSession,
} from './identity.queries';
import { sessions, signInAttempts, signInMethods, users } from './identity.schema';
import { verifyPassword } from './passwords';

/** Sign-in throttling: failures per account, and attempts per client address. */
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_ATTEMPTS_PER_ADDRESS = 30;

export const invalidCredentials = () =>
  new AppError(
    401,
    'auth.invalid_credentials',
    'Sign-in failed',
    'Enter a correct email address and password.',
  );
const tooManyAttempts = () =>
  new AppError(
    429,
    'auth.too_many_attempts',
    'Too many attempts',
    'Too many sign-in attempts. Wait 15 minutes and try again.',
  );

export interface SignedIn {
  token: string;
  session: ResolvedSession;
}

/**
 * Checks an email and password and opens a new session. Unknown email and wrong password
 * give the same answer; repeated failures are throttled per account and per address.
 */
export async function signInWithPassword(
  deps: AppDeps,
  input: { email: string; password: string },
  request: RequestFacts,
  previous: ResolvedSession | null = null,
): Promise<SignedIn> {
  const now = deps.clock();
  const email = input.email.trim().toLowerCase();
  const accountKey = createHmac('sha256', deps.config.sessionSecret).update(email).digest('hex');
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MS);

  const userId = await withTransaction(deps.db, async (tx) => {
    // Attempts on one account queue here, so parallel guesses cannot all read the same count.
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`sign-in:${accountKey}`}, 0))`,
    );
    const [failures] = await tx
      .select({ n: count() })
      .from(signInAttempts)
      .where(
        and(
          eq(signInAttempts.accountKey, accountKey),
          eq(signInAttempts.succeeded, false),
          gt(signInAttempts.attemptedAt, since),
        ),
      );
    const [fromAddress] = await tx
      .select({ n: count() })
      .from(signInAttempts)
      .where(
        and(
          eq(signInAttempts.clientAddress, request.clientAddress),
          gt(signInAttempts.attemptedAt, since),
        ),
      );
    if (
      (failures?.n ?? 0) >= MAX_FAILURES_PER_ACCOUNT ||
      (fromAddress?.n ?? 0) >= MAX_ATTEMPTS_PER_ADDRESS
    ) {
      return 'throttled' as const;
    }

    const [method] = await tx
      .select({
        userId: signInMethods.userId,
        passwordHash: signInMethods.passwordHash,
        professionalActive: professionals.active,
      })
      .from(signInMethods)
      .innerJoin(users, eq(users.id, signInMethods.userId))
      .leftJoin(professionals, eq(professionals.id, users.professionalId))
      .where(and(eq(signInMethods.provider, 'password'), eq(signInMethods.subject, email)));
    const passwordOk = await verifyPassword(method?.passwordHash ?? null, input.password);
    const ok = passwordOk && method !== undefined && method.professionalActive !== false;
    await tx.insert(signInAttempts).values({
      accountKey,
      clientAddress: request.clientAddress,
      succeeded: ok,
      attemptedAt: now,
    });
    return ok ? method.userId : null;
  });
  if (userId === 'throttled') throw tooManyAttempts();
  if (userId === null) throw invalidCredentials();

  const token = randomBytes(32).toString('base64url');
  // The session and its audit event commit together (C4).
  const session = await withTransaction(deps.db, async (tx) => {
    // A new sign-in always gets a new session id; the browser's old session ends.
    if (previous) await tx.delete(sessions).where(eq(sessions.tokenHash, previous.tokenHash));
    await openSession(tx, userId, token, now);
    const opened = await findSession(tx, token, now);
    if (!opened) throw invalidCredentials();
    await recordAudit(tx, auditContextFor(opened.actor, request, now), {
      action: 'session.created',
      entityType: 'session',
      patientId: opened.actor.kind === 'patient' ? opened.actor.patientId : null,
      details: { method: 'password' },
    });
    return opened;
  });
  return { token, session };
}

async function openSession(tx: Tx, userId: string, token: string, now: Date): Promise<void> {
  await tx.insert(sessions).values({
    tokenHash: hashToken(token),
    userId,
    csrfToken: randomBytes(24).toString('base64url'),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
  });
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
