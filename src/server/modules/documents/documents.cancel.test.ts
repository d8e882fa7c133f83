import { existsSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentWorld, type ConsentWorld } from '../../../../test/consent-world';
import { expectStatus, problemOf } from '../../../../test/conversation-world';
import { createUpload, documentUrl, makePdf, patchUpload } from '../../../../test/documents-world';
import type { Client } from '../../../../test/http';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

/**
 * An upload into the record that stopped half-way can be cancelled by its uploader (decision
 * 0015, "Cancelling an unfinished upload"): audited (DESIGN C4), its staged bytes removed, no
 * longer listed or counted against their quota, and never seen again by anyone else (C1–C3).
 */

let t: TestApp;
let w: ConsentWorld;

beforeAll(async () => {
  t = await buildTestApp({ env: { DOCUMENT_MAX_OUTSTANDING_UPLOADS: '1' } });
  w = await consentWorld(t.app, t.db);
});
afterAll(async () => t?.close());

/** An upload into the record with half its bytes sent: its id, address and the rest. */
async function halfUploaded(client: Client, patientId: string) {
  const pdf = await makePdf('Clinic letter');
  const created = await createUpload(
    client,
    { patientId, filename: 'Clinic letter.pdf' },
    pdf.length,
  );
  expect(created.statusCode, created.body).toBe(201);
  const location = String(created.headers.location);
  const half = Math.floor(pdf.length / 2);
  expect((await patchUpload(client, location, 0, pdf.subarray(0, half))).statusCode).toBe(204);
  return { id: location.split('/').pop() ?? '', location, half, rest: pdf.subarray(half) };
}

const rowOf = async (id: string) =>
  (
    (await t.db.execute(
      sql`select status, draft, rejection_code from documents where id = ${id}`,
    )) as { rows: { status: string; draft: boolean; rejection_code: string | null }[] }
  ).rows[0];

const auditOf = async (id: string) =>
  (
    (await t.db.execute(
      sql`select action, actor_user_id, details from audit_events
          where entity_id = ${id} and action = 'document.upload_cancelled'`,
    )) as { rows: { action: string; actor_user_id: string; details: Record<string, unknown> }[] }
  ).rows;

const listed = async (client: Client, patientId: string) =>
  (
    await expectStatus(
      client,
      { method: 'GET', url: `/api/v1/patients/${patientId}/documents` },
      200,
    )
  )
    .json<{ items: { id: string }[] }>()
    .items.map((d) => d.id);

describe('cancelling an upload into the record that has not finished', () => {
  it('its uploader cancels it: withdrawn, staged bytes gone, audited once, listed no more', async () => {
    const { id, location, half, rest } = await halfUploaded(w.margaret.client, w.margaret.id);
    // Before: everyone who reads the record sees it "Still uploading".
    expect(await listed(w.nurse.client, w.margaret.id)).toContain(id);
    const staged = path.join(t.deps.config.dataDir, 'uploads', id);
    expect(existsSync(staged)).toBe(true);

    await expectStatus(w.margaret.client, { method: 'DELETE', url: documentUrl(id) }, 204);
    expect(await rowOf(id)).toMatchObject({
      status: 'withdrawn',
      draft: false,
      rejection_code: 'document.upload_cancelled',
    });
    expect(existsSync(staged)).toBe(false);
    expect(existsSync(`${staged}.json`)).toBe(false);
    const audit = await auditOf(id);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ statusBefore: 'uploading' });
    expect(audit[0]?.details).not.toHaveProperty('draft');

    // It never entered the record: not listed, and nobody else reads it.
    expect(await listed(w.margaret.client, w.margaret.id)).not.toContain(id);
    expect(await listed(w.nurse.client, w.margaret.id)).not.toContain(id);
    const byNurse = await w.nurse.client.request({ method: 'GET', url: documentUrl(id) });
    expect(byNurse.statusCode).toBe(404);
    expect(problemOf(byNurse).code).toBe('document.not_found');
    const own = await expectStatus(w.margaret.client, { method: 'GET', url: documentUrl(id) }, 200);
    expect(own.json()).toMatchObject({
      status: 'withdrawn',
      rejectionCode: 'document.upload_cancelled',
    });

    // The rest of it is refused; cancelling again changes nothing.
    const late = await patchUpload(w.margaret.client, location, half, rest);
    expect(late.statusCode).toBe(409);
    expect(problemOf(late).code).toBe('document.upload_finished');
    await expectStatus(w.margaret.client, { method: 'DELETE', url: documentUrl(id) }, 204);
    expect(await auditOf(id)).toHaveLength(1);

    // Nor can it be "added in error": it is not in the record.
    const marked = await w.margaret.client.request({
      method: 'POST',
      url: `${documentUrl(id)}/entered-in-error`,
      payload: { reason: 'Wrong file' },
    });
    expect(marked.statusCode).toBe(409);
    expect(problemOf(marked).code).toBe('document.not_in_record');
  });

  it('frees its place in the uploader’s quota of unfinished uploads', async () => {
    const { id } = await halfUploaded(w.nurse.client, w.margaret.id);
    const refused = await createUpload(
      w.nurse.client,
      { patientId: w.margaret.id, filename: 'next.pdf' },
      1000,
    );
    expect(refused.statusCode).toBe(429);
    await expectStatus(w.nurse.client, { method: 'DELETE', url: documentUrl(id) }, 204);
    const next = await createUpload(
      w.nurse.client,
      { patientId: w.margaret.id, filename: 'next.pdf' },
      1000,
    );
    expect(next.statusCode, next.body).toBe(201);
    await expectStatus(
      w.nurse.client,
      { method: 'DELETE', url: documentUrl(String(next.headers.location).split('/').pop() ?? '') },
      204,
    );
  });

  it('its uploader opening it afterwards is not in the patient’s “Who has seen my record” (C4)', async () => {
    const { id } = await halfUploaded(w.nurse.client, w.margaret.id);
    await expectStatus(w.nurse.client, { method: 'DELETE', url: documentUrl(id) }, 204);
    const log = async () =>
      (
        await expectStatus(w.margaret.client, { method: 'GET', url: '/api/v1/me/access-log' }, 200)
      ).json<{ items: unknown[] }>().items;
    const before = await log();
    await expectStatus(w.nurse.client, { method: 'GET', url: documentUrl(id) }, 200);
    const opened = (
      (await t.db.execute(
        sql`select count(*)::int as n from audit_events
            where entity_id = ${id} and action = 'document.read'`,
      )) as { rows: { n: number }[] }
    ).rows[0]?.n;
    expect(opened, 'the read is audited all the same').toBe(1);
    expect(await log()).toEqual(before);
  });

  it('nobody else cancels it (403 to readers of the record)', async () => {
    const { id } = await halfUploaded(w.margaret.client, w.margaret.id);
    const byNurse = await w.nurse.client.request({ method: 'DELETE', url: documentUrl(id) });
    expect(byNurse.statusCode).toBe(403);
    expect(problemOf(byNurse).code).toBe('document.withdraw_forbidden');
    const byPals = await w.palsMember.client.request({ method: 'DELETE', url: documentUrl(id) });
    expect(byPals.statusCode).toBe(404);
    expect(await rowOf(id)).toMatchObject({ status: 'uploading' });
    expect(await auditOf(id)).toHaveLength(0);
    await expectStatus(w.margaret.client, { method: 'DELETE', url: documentUrl(id) }, 204);
  });
});
