import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { withTransaction } from '../db/database';
import { type AuditContext, recordAudit, verifyAuditChain } from './audit';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const context = (): AuditContext => ({
  actorUserId: null,
  actorLabel: 'Test',
  requestId: 'req-1',
  clientAddress: '127.0.0.1',
  now: t.clock.now(),
});

async function writeChain(patientId: string, length: number) {
  for (let i = 0; i < length; i++) {
    await withTransaction(t.db, (tx) =>
      recordAudit(tx, context(), {
        action: 'patient.read',
        entityType: 'patient',
        patientId,
        details: { i },
      }),
    );
    t.clock.advance(1000);
  }
}

// Tampering needs the append-only trigger out of the way, as only a database owner could.
async function asOwner(statement: ReturnType<typeof sql>) {
  await withTransaction(t.db, async (tx) => {
    await tx.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
    await tx.execute(statement);
    await tx.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
  });
}

describe('audit chain (DESIGN C4)', () => {
  it('verifies an untouched chain per patient', async () => {
    const patientId = crypto.randomUUID();
    await writeChain(patientId, 4);
    const verdict = await withTransaction(t.db, (tx) =>
      verifyAuditChain(tx, `patient:${patientId}`),
    );
    expect(verdict).toEqual({ ok: true, length: 4 });
  });

  it('detects an altered row', async () => {
    const patientId = crypto.randomUUID();
    await writeChain(patientId, 3);
    await asOwner(
      sql`update audit_events set action = 'nothing.happened' where patient_id = ${patientId} and seq = 2`,
    );
    const verdict = await withTransaction(t.db, (tx) =>
      verifyAuditChain(tx, `patient:${patientId}`),
    );
    expect(verdict).toEqual({ ok: false, seq: 2, reason: 'altered' });
  });

  it('detects a removed row in the middle and at the end', async () => {
    const middle = crypto.randomUUID();
    await writeChain(middle, 3);
    await asOwner(sql`delete from audit_events where patient_id = ${middle} and seq = 2`);
    expect(await withTransaction(t.db, (tx) => verifyAuditChain(tx, `patient:${middle}`))).toEqual({
      ok: false,
      seq: 2,
      reason: 'missing',
    });

    const end = crypto.randomUUID();
    await writeChain(end, 3);
    await asOwner(sql`delete from audit_events where patient_id = ${end} and seq = 3`);
    expect(await withTransaction(t.db, (tx) => verifyAuditChain(tx, `patient:${end}`))).toEqual({
      ok: false,
      seq: 3,
      reason: 'head_mismatch',
    });
  });

  it('refuses updates, deletes and truncation of audit events', async () => {
    const patientId = crypto.randomUUID();
    await writeChain(patientId, 1);
    for (const statement of [
      sql`update audit_events set action = 'x' where patient_id = ${patientId}`,
      sql`delete from audit_events where patient_id = ${patientId}`,
      sql`truncate audit_events`,
    ]) {
      await expect(withTransaction(t.db, (tx) => tx.execute(statement))).rejects.toThrow();
    }
    const verdict = await withTransaction(t.db, (tx) =>
      verifyAuditChain(tx, `patient:${patientId}`),
    );
    expect(verdict).toEqual({ ok: true, length: 1 });
  });

  it('rolls back with the transaction it belongs to', async () => {
    const patientId = crypto.randomUUID();
    await expect(
      withTransaction(t.db, async (tx) => {
        await recordAudit(tx, context(), {
          action: 'patient.read',
          entityType: 'patient',
          patientId,
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const verdict = await withTransaction(t.db, (tx) =>
      verifyAuditChain(tx, `patient:${patientId}`),
    );
    expect(verdict).toEqual({ ok: true, length: 0 });
  });
});
