import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { and, eq, lt } from 'drizzle-orm';
import type { Database, Tx } from '../db/database';
import { writeOnCommit } from '../db/on-commit';
import { AppError } from '../http/problem';
import { idempotencyKeys } from './idempotency.schema';

export interface IdempotencyRef {
  userId: string;
  key: string;
  /** The operation and everything that identifies the request: params and body. */
  operation: string;
  request: unknown;
  now: Date;
}

export interface Outcome<T> {
  statusCode: number;
  body: T;
}

/**
 * Runs `work` once per (user, key) inside the caller's transaction (DESIGN M5). A retry with
 * the same request gets the first outcome and creates nothing; the same key with another
 * request is refused. A concurrent retry waits on the key's row until the first commits.
 */
export async function onceOnly<T>(
  tx: Tx,
  ref: IdempotencyRef | null,
  work: () => Promise<Outcome<T>>,
  /**
   * Checks, before a first outcome is answered again, that the caller may still see what it
   * made (throwing if not): access can end between a request and its retry.
   */
  beforeReplay?: (first: T) => Promise<void>,
): Promise<Outcome<T>> {
  if (!ref) return work();
  const requestHash = createHash('sha256')
    .update(canonicalize({ operation: ref.operation, request: ref.request }) ?? '')
    .digest('hex');
  const claimed = await tx
    .insert(idempotencyKeys)
    .values({
      userId: ref.userId,
      key: ref.key,
      operation: ref.operation,
      requestHash,
      createdAt: ref.now,
    })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  const where = and(eq(idempotencyKeys.userId, ref.userId), eq(idempotencyKeys.key, ref.key));
  if (claimed.length === 0) {
    const [first] = await tx.select().from(idempotencyKeys).where(where);
    if (!first || first.requestHash !== requestHash || first.statusCode === null) {
      throw new AppError(
        422,
        'idempotency.key_reused',
        'Idempotency key reused',
        'This Idempotency-Key was already used for a different request.',
      );
    }
    const body = first.response as T;
    await beforeReplay?.(body);
    return { statusCode: first.statusCode, body };
  }
  const outcome = await work();
  // Nothing reads the stored outcome before commit: it goes with the transaction's last statement.
  await writeOnCommit(
    tx,
    tx
      .update(idempotencyKeys)
      .set({ statusCode: outcome.statusCode, response: outcome.body })
      .where(where),
  );
  return outcome;
}

/** How long a key is remembered: a retry after this creates anew. */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * Forgets keys (and the responses stored with them) older than their lifetime, so copies
 * of message text do not outlive their purpose. Run periodically.
 */
export async function forgetExpiredKeys(db: Database, now: Date): Promise<number> {
  const expired = await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, new Date(now.getTime() - IDEMPOTENCY_KEY_LIFETIME_MS)))
    .returning({ key: idempotencyKeys.key });
  return expired.length;
}
