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

export const AUDIT_OUTCOMES = ['success', 'denied', 'failure'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * Append-only record of who did or read what. Rows chain by hash within their chain
 * (one per patient, one per organisation for directory changes, one for the system), so
 * writes about different patients never wait for each other.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    chainKey: text('chain_key').notNull(),
    seq: integer('seq').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    actorUserId: uuid('actor_user_id'),
    /** A human-readable label of the actor as they were then (name and role). */
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    patientId: uuid('patient_id'),
    organisationId: uuid('organisation_id'),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    outcome: text('outcome', { enum: AUDIT_OUTCOMES }).notNull(),
    requestId: text('request_id'),
    clientAddress: text('client_address'),
    /** Non-clinical facts about the event: changed field names, roles; never message text. */
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    uniqueIndex('audit_events_chain_seq_key').on(t.chainKey, t.seq),
    index('audit_events_patient_idx').on(t.patientId, t.occurredAt),
  ],
);

/** The newest link of each chain; locking it orders writes within one chain. */
export const auditChainHeads = pgTable('audit_chain_heads', {
  chainKey: text('chain_key').primaryKey(),
  seq: integer('seq').notNull(),
  hash: text('hash').notNull(),
});
