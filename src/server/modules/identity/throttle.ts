import { createHmac } from 'node:crypto';
import { and, count, eq, gt, sql } from 'drizzle-orm';
import type { Config } from '../../platform/config/config';
import type { Tx } from '../../platform/db/database';
import { AppError } from '../../platform/http/problem';
import { signInAttempts } from './identity.schema';

/** Sign-in throttling: failures per account, and attempts per client address. */
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
/** The default of SIGN_IN_ATTEMPTS_PER_ADDRESS. */
export const MAX_ATTEMPTS_PER_ADDRESS = 30;

export const tooManyAttempts = () =>
  new AppError(
    429,
    'auth.too_many_attempts',
    'Too many attempts',
    'Too many sign-in attempts. Wait 15 minutes and try again.',
  );

/**
 * What attempts are counted against, as a keyed hash so the table holds no address:
 * `password:<email>` for passwords, `second-factor:<user id>` for authenticator and
 * recovery codes (their failures are limited separately from the password's). The prefixes
 * keep anything typed as an email from ever naming a second-factor account.
 */
export function accountKeyFor(config: Config, subject: string): string {
  return createHmac('sha256', config.sessionSecret).update(subject).digest('hex');
}

/**
 * Takes the account's attempt lock for the rest of the transaction (so parallel guesses
 * cannot all read the same count) and says whether the account or address is over its limit.
 */
export async function isThrottled(
  tx: Tx,
  accountKey: string,
  clientAddress: string,
  now: Date,
  attemptsPerAddress: number,
): Promise<boolean> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`sign-in:${accountKey}`}, 0))`,
  );
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
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
      and(eq(signInAttempts.clientAddress, clientAddress), gt(signInAttempts.attemptedAt, since)),
    );
  return (
    (failures?.n ?? 0) >= MAX_FAILURES_PER_ACCOUNT || (fromAddress?.n ?? 0) >= attemptsPerAddress
  );
}

export async function recordAttempt(
  tx: Tx,
  accountKey: string,
  clientAddress: string,
  succeeded: boolean,
  now: Date,
): Promise<void> {
  await tx
    .insert(signInAttempts)
    .values({ accountKey, clientAddress, succeeded, attemptedAt: now });
}
