import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/database';
import { executeTogether } from '../db/statements';
import { type AuditOutcome, auditChainHeads, auditEvents } from './audit.schema';

/** Who did it and from where: carried from the request into every audit row. */
export interface AuditContext {
  actorUserId: string | null;
  actorLabel: string;
  requestId: string | null;
  clientAddress: string | null;
  now: Date;
}

/** The context of work the system does on its own (sweeps, checks, seeding): no user, no request. */
export const systemAudit = (label: string, now: Date): AuditContext => ({
  actorUserId: null,
  actorLabel: label,
  requestId: null,
  clientAddress: null,
  now,
});

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  patientId?: string | null;
  organisationId?: string | null;
  outcome?: AuditOutcome;
  details?: Record<string, unknown>;
}

const GENESIS_HASH = '0'.repeat(64);

/** The chain an event belongs to: its patient's, else its organisation's, else the system's. */
export function chainKeyFor(entry: Pick<AuditEntry, 'patientId' | 'organisationId'>): string {
  if (entry.patientId) return `patient:${entry.patientId}`;
  if (entry.organisationId) return `organisation:${entry.organisationId}`;
  return 'system';
}

type ChainedFields = Omit<typeof auditEvents.$inferSelect, 'id' | 'hash'>;

function hashOf(event: ChainedFields): string {
  const body = canonicalize({
    chainKey: event.chainKey,
    seq: event.seq,
    occurredAt: event.occurredAt.toISOString(),
    actorUserId: event.actorUserId,
    actorLabel: event.actorLabel,
    action: event.action,
    patientId: event.patientId,
    organisationId: event.organisationId,
    entityType: event.entityType,
    entityId: event.entityId,
    outcome: event.outcome,
    requestId: event.requestId,
    clientAddress: event.clientAddress,
    details: event.details,
    prevHash: event.prevHash,
  });
  return createHash('sha256')
    .update(body ?? '')
    .digest('hex');
}

/**
 * Appends one audit event inside the caller's transaction (DESIGN C4), so the event commits
 * or rolls back with the change or read it records. Locks only its own chain's head.
 */
export async function recordAudit(tx: Tx, context: AuditContext, entry: AuditEntry): Promise<void> {
  const chainKey = chainKeyFor(entry);
  // Creates the chain's head on first use, and in every case locks it and returns it: one
  // round trip. The no-op update is what takes the row lock.
  const [head] = await tx
    .insert(auditChainHeads)
    .values({ chainKey, seq: 0, hash: GENESIS_HASH })
    .onConflictDoUpdate({
      target: auditChainHeads.chainKey,
      set: { seq: sql`${auditChainHeads.seq}` },
    })
    .returning();
  if (!head) throw new Error('audit chain head vanished');

  const event: ChainedFields = {
    chainKey,
    seq: head.seq + 1,
    occurredAt: context.now,
    actorUserId: context.actorUserId,
    actorLabel: context.actorLabel,
    action: entry.action,
    patientId: entry.patientId ?? null,
    organisationId: entry.organisationId ?? null,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    outcome: entry.outcome ?? 'success',
    requestId: context.requestId,
    clientAddress: context.clientAddress,
    details: entry.details ?? {},
    prevHash: head.hash,
  };
  const hash = hashOf(event);
  // The event and the head's move are one statement: one round trip instead of two.
  await executeTogether(tx, [
    tx.insert(auditEvents).values({ ...event, hash }),
    tx
      .update(auditChainHeads)
      .set({ seq: event.seq, hash })
      .where(eq(auditChainHeads.chainKey, chainKey)),
  ]);
}

export type ChainVerdict =
  | { ok: true; length: number }
  | { ok: false; seq: number; reason: 'altered' | 'missing' | 'head_mismatch' };

/**
 * Re-computes a chain from its first event: an altered row breaks its own hash, a removed
 * row leaves a gap in the sequence, and a removed newest row no longer matches the head.
 */
export async function verifyAuditChain(tx: Tx, chainKey: string): Promise<ChainVerdict> {
  const rows = await tx
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.chainKey, chainKey))
    .orderBy(asc(auditEvents.seq));
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const row of rows) {
    if (row.seq !== expectedSeq) return { ok: false, seq: expectedSeq, reason: 'missing' };
    if (row.prevHash !== prevHash || hashOf(row) !== row.hash) {
      return { ok: false, seq: row.seq, reason: 'altered' };
    }
    prevHash = row.hash;
    expectedSeq += 1;
  }
  const [head] = await tx
    .select()
    .from(auditChainHeads)
    .where(eq(auditChainHeads.chainKey, chainKey));
  const headSeq = head?.seq ?? 0;
  if (headSeq !== rows.length || (head && head.hash !== prevHash)) {
    return { ok: false, seq: rows.length + 1, reason: 'head_mismatch' };
  }
  return { ok: true, length: rows.length };
}

/** Every chain in the database, for an operator's full verification run. */
export async function listAuditChains(tx: Tx): Promise<string[]> {
  const rows = await tx
    .select({ chainKey: auditChainHeads.chainKey })
    .from(auditChainHeads)
    .orderBy(asc(auditChainHeads.chainKey));
  return rows.map((row) => row.chainKey);
}
