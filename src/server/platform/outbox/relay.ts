import type { Database } from '../db/database';
import { claimDue, markDropped, markFailed, markSent, type OutboxRow } from './outbox';

/** What delivering one row came to. Throwing means "try again later". */
export type Delivery = { outcome: 'sent' } | { outcome: 'dropped'; reason: string };
export type Handler = (row: OutboxRow) => Promise<Delivery>;

export interface RelayOptions {
  db: Database;
  clock: () => Date;
  handlers: Record<string, Handler>;
  batchSize?: number;
  /** Poll interval when nothing wakes the relay. */
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

export interface Relay {
  /** Delivers everything due now, batch after batch; resolves with how many rows it handled. */
  drain(): Promise<number>;
  /** Asks for a drain soon (after a NOTIFY, say). */
  wake(): void;
  stop(): Promise<void>;
}

/**
 * The in-process outbox worker: claims due rows, runs their kind's handler outside any
 * transaction, then records the outcome. At least once: a worker that dies after the
 * handler succeeded but before markSent leaves the row to be delivered again when its lease
 * ends, and handlers make that harmless (emails carry a deterministic Message-ID).
 */
export function startRelay(options: RelayOptions): Relay {
  // Small batches: every claimed row must be delivered within its lease, even when each
  // send waits out the SMTP timeouts.
  const { db, clock, handlers, batchSize = 5, intervalMs = 5_000 } = options;
  let stopped = false;
  let running: Promise<number> | null = null;
  let timer: NodeJS.Timeout | null = null;

  async function deliver(row: OutboxRow): Promise<void> {
    const handler = handlers[row.kind];
    try {
      if (!handler) throw new Error(`no handler for ${row.kind}`);
      const delivery = await handler(row);
      if (delivery.outcome === 'sent') await markSent(db, row.id, clock());
      else await markDropped(db, row.id, delivery.reason);
    } catch (error) {
      await markFailed(db, row, describeFailure(error), clock());
    }
  }

  async function drainOnce(): Promise<number> {
    let handled = 0;
    for (;;) {
      const rows = await claimDue(db, clock(), batchSize);
      if (rows.length === 0 || stopped) return handled;
      for (const row of rows) await deliver(row);
      handled += rows.length;
    }
  }

  let again: Promise<number> | null = null;
  /**
   * A pass already running may have looked for work before the caller's rows committed, so
   * a drain asked for meanwhile runs one more pass after it instead of sharing its result.
   */
  function drain(): Promise<number> {
    if (!running) {
      running = drainOnce().finally(() => {
        running = null;
      });
      return running;
    }
    again ??= running
      .catch(() => 0)
      .then(() => {
        again = null;
        return drain();
      });
    return again;
  }

  function schedule(delay: number) {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      drain()
        .catch((error: unknown) => options.onError?.(error))
        .finally(() => schedule(intervalMs));
    }, delay);
  }
  schedule(0);

  return {
    drain,
    wake: () => schedule(0),
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/**
 * A failure in words safe to store: the error's code or name only. SMTP errors quote
 * addresses in their messages, so messages are never kept.
 */
function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown; responseCode?: unknown }).code;
    const response = (error as { responseCode?: unknown }).responseCode;
    return [
      error.name,
      typeof code === 'string' ? code : null,
      typeof response === 'number' ? String(response) : null,
    ]
      .filter(Boolean)
      .join(' ');
  }
  return 'failed';
}
