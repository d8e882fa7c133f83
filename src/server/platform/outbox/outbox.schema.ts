import { sql } from 'drizzle-orm';
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const OUTBOX_STATUSES = ['pending', 'sent', 'dropped', 'dead'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * Work to do outside the database (emails now; webhooks later), written in the same
 * transaction as the change that caused it (N4). One row per (kind, event, recipient): a
 * second enqueue of the same is a no-op, which is the deduplication. Payloads carry ids only.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    eventKey: text('event_key').notNull(),
    recipientUserId: uuid('recipient_user_id').notNull(),
    payload: jsonb('payload').$type<Record<string, string>>().notNull(),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamptz('next_attempt_at'),
    /** While a worker holds the row: others skip it until then (a lease, not a lock). */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
    /** Why a row was dropped at delivery (access re-check, N4): a code, never patient data. */
    droppedReason: text('dropped_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('outbox_event_recipient_key').on(t.kind, t.eventKey, t.recipientUserId),
    index('outbox_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
  ],
);

function timestamptz(name: string) {
  return timestamp(name, { withTimezone: true }).notNull();
}
