import { sql } from 'drizzle-orm';
import type { Tx } from './database';
import { executeTogether, type Statement } from './statements';

/** What a transaction opened by `withTransaction` holds back until just before it commits. */
interface Held {
  writes: Statement[];
  /** NOTIFYs by channel and payload: identical ones are delivered once, as PostgreSQL does. */
  notifications: Map<string, { channel: string; payload: string }>;
}

const heldBy = new WeakMap<Tx, Held>();

/**
 * Sends a NOTIFY with the transaction. PostgreSQL delivers it only on commit in any case
 * (and drops it on rollback); in a transaction opened by `withTransaction` it is also sent
 * then, with everything else held back, so a change that wakes several listeners costs no
 * round trip of its own. Anywhere else it is sent at once.
 */
export async function notifyOnCommit(tx: Tx, channel: string, payload: string): Promise<void> {
  const held = heldBy.get(tx);
  if (!held) {
    await tx.execute(sql`select pg_notify(${channel}, ${payload})`);
    return;
  }
  held.notifications.set(`${channel}\u0000${payload}`, { channel, payload });
}

/**
 * Makes a write that returns nothing just before commit: with the other held writes and
 * NOTIFYs, in one statement. Nothing later in the transaction may read or write the rows it
 * writes (see `executeTogether`): an insert of new rows, or the update of a row the
 * transaction claimed for itself and touches no more. Anywhere but in a transaction opened
 * by `withTransaction` it is made at once.
 */
export async function writeOnCommit(tx: Tx, write: Statement): Promise<void> {
  const held = heldBy.get(tx);
  if (!held) {
    await executeTogether(tx, [write]);
    return;
  }
  held.writes.push(write);
}

/** Runs `work`, then makes what it held back in one statement. */
export async function withHeldUntilCommit<T>(tx: Tx, work: (tx: Tx) => Promise<T>): Promise<T> {
  const held: Held = { writes: [], notifications: new Map() };
  heldBy.set(tx, held);
  try {
    const result = await work(tx);
    const notifications = [...held.notifications.values()].map(
      (n) => sql`pg_notify(${n.channel}, ${n.payload})`,
    );
    await executeTogether(tx, [
      ...held.writes,
      ...(notifications.length > 0 ? [sql`select ${sql.join(notifications, sql`, `)}`] : []),
    ]);
    return result;
  } finally {
    heldBy.delete(tx);
  }
}
