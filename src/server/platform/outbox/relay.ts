import type { Database } from '../db/database';
import { startPolling, type Polling } from './polling';
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

/** Delivers everything due now, batch after batch (`drain` resolves with how many rows). */
export type Relay = Polling;

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

  return startPolling({
    intervalMs,
    onError: options.onError,
    pass: async () => {
      const rows = await claimDue(db, clock(), batchSize);
      for (const row of rows) await deliver(row);
      return rows.length;
    },
  });
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
