import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Database, Tx } from '../db/database';
import { notifyOnCommit, writeOnCommit } from '../db/on-commit';
import { outbox } from './outbox.schema';

export type OutboxRow = typeof outbox.$inferSelect;
export interface OutboxItem {
  kind: string;
  eventKey: string;
  recipientUserId: string;
  payload: Record<string, string>;
}

export const OUTBOX_CHANNEL = 'carethread_outbox';

/** Attempts before a row is dead-lettered (visible to coordinators). */
export const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 60 * 60_000;
/** How long a claimed row stays invisible to other workers. */
export const LEASE_MS = 2 * 60_000;

/**
 * Queues work in the caller's transaction; a duplicate (kind, event, recipient) is ignored.
 * The rows are written, and relays on every instance woken, as the transaction commits.
 */
export async function enqueue(tx: Tx, items: OutboxItem[], now: Date): Promise<void> {
  if (items.length === 0) return;
  await writeOnCommit(
    tx,
    tx
      .insert(outbox)
      .values(items.map((item) => ({ ...item, nextAttemptAt: now, createdAt: now })))
      .onConflictDoNothing(),
  );
  await notifyOnCommit(tx, OUTBOX_CHANNEL, '');
}

/**
 * Claims up to `limit` due rows. SKIP LOCKED lets any number of workers claim side by side;
 * the lease keeps a claimed row from being claimed again while it is being delivered, and
 * lets another worker take it over if this one dies.
 */
export async function claimDue(db: Database, now: Date, limit: number): Promise<OutboxRow[]> {
  return db.transaction(async (tx) => {
    const due = tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          eq(outbox.status, 'pending'),
          lte(outbox.nextAttemptAt, now),
          or(isNull(outbox.lockedUntil), lte(outbox.lockedUntil, now)),
        ),
      )
      .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
      .limit(limit)
      .for('update', { skipLocked: true });
    return tx
      .update(outbox)
      .set({
        lockedUntil: new Date(now.getTime() + LEASE_MS),
        attempts: sql`${outbox.attempts} + 1`,
      })
      .where(inArray(outbox.id, due))
      .returning();
  });
}

export async function markSent(db: Database, id: number, now: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'sent', sentAt: now, lockedUntil: null, lastError: null })
    .where(eq(outbox.id, id));
}

/** Delivery re-checked the recipient's access and found none (N4): nothing is sent. */
export async function markDropped(db: Database, id: number, reason: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'dropped', droppedReason: reason, lockedUntil: null })
    // A worker whose lease ran out must not overwrite what the next one recorded.
    .where(and(eq(outbox.id, id), eq(outbox.status, 'pending')));
}

/** Exponential backoff with jitter: the nth retry waits 50–100 % of base·2ⁿ⁻¹, capped. */
export function retryDelayMs(attempts: number, random = Math.random): number {
  const ceiling = Math.min(BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

/** Schedules a retry, or dead-letters the row after MAX_ATTEMPTS. `error` must hold no patient data. */
export async function markFailed(
  db: Database,
  row: OutboxRow,
  error: string,
  now: Date,
): Promise<void> {
  const dead = row.attempts >= MAX_ATTEMPTS;
  await db
    .update(outbox)
    .set({
      status: dead ? 'dead' : 'pending',
      lastError: error.slice(0, 200),
      lockedUntil: null,
      nextAttemptAt: new Date(now.getTime() + retryDelayMs(row.attempts)),
    })
    // A late failure from a worker whose lease ran out must not reopen a row sent since.
    .where(and(eq(outbox.id, row.id), eq(outbox.status, 'pending')));
}
