import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentWorld, type ConsentWorld } from '../../../../test/consent-world';
import { expectStatus, problemOf, url } from '../../../../test/conversation-world';
import {
  createUpload,
  documentUrl,
  makePdf,
  settled,
  stagingFiles,
  upload,
} from '../../../../test/documents-world';
import type { Client } from '../../../../test/http';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

/** A person's outstanding uploads (unfinished, or drafts not sent) are limited. */

const MB = 1024 * 1024;
let t: TestApp;
let w: ConsentWorld;

beforeAll(async () => {
  t = await buildTestApp({
    env: {
      DOCUMENT_MAX_BYTES: String(2 * MB),
      DOCUMENT_MAX_OUTSTANDING_UPLOADS: '3',
      DOCUMENT_MAX_OUTSTANDING_BYTES: String(3 * MB),
    },
  });
  w = await consentWorld(t.app, t.db);
});
afterAll(async () => t?.close());

const documentCount = async () =>
  (
    (await t.db.execute(sql`select count(*)::int as n from documents`)) as {
      rows: { n: number }[];
    }
  ).rows[0]?.n;

/** Starts an upload (no bytes sent): the document's id. */
async function started(client: Client, patientId: string, size = 1000, purpose = 'message') {
  const created = await createUpload(client, { patientId, filename: 'a.pdf', purpose }, size);
  expect(created.statusCode, created.body).toBe(201);
  return String(created.headers.location).split('/').pop() ?? '';
}

async function expectQuotaRefusal(client: Client, patientId: string, size: number) {
  const before = await documentCount();
  const staged = await stagingFiles(t);
  const refused = await createUpload(client, { patientId, filename: 'more.pdf' }, size);
  expect(refused.statusCode).toBe(429);
  const problem = problemOf(refused);
  expect(problem.code).toBe('document.quota_exceeded');
  expect(problem.detail).toMatch(/Finish or discard/);
  expect(await documentCount()).toBe(before);
  // Nothing new is staged (earlier uploads may leave staging meanwhile, as their checks end).
  expect((await stagingFiles(t)).filter((file) => !staged.includes(file))).toEqual([]);
}

describe('upload quota: outstanding uploads per person', () => {
  it('refuses a fourth unfinished upload with 429 document.quota_exceeded, changing nothing; Remove frees room', async () => {
    const patient = w.carol.client;
    const ids = [
      await started(patient, w.carol.id),
      await started(patient, w.carol.id),
      await started(patient, w.carol.id, 1000, 'record'),
    ];
    await expectQuotaRefusal(patient, w.carol.id, 1000);
    // Someone else is not held back by Carol's uploads.
    await started(w.victor.client, w.victor.id);

    await expectStatus(patient, { method: 'DELETE', url: documentUrl(ids[0] ?? '') }, 204);
    await started(patient, w.carol.id);
  });

  it('counts the declared bytes of what is outstanding with the new file', async () => {
    const patient = w.victor.client;
    await started(patient, w.victor.id, 2 * MB - 10); // with the one above: about 2 MB
    await expectQuotaRefusal(patient, w.victor.id, MB + 10);
    await started(patient, w.victor.id, MB / 2);
  });

  it('files finished into the record, and drafts sent with a message, no longer count', async () => {
    const patient = w.margaret.client;
    const pdf = await makePdf();
    await upload(patient, { patientId: w.margaret.id, filename: 'letter.pdf' }, pdf);
    const drafts = [
      await upload(
        patient,
        { patientId: w.margaret.id, filename: 'a.pdf', purpose: 'message' },
        pdf,
      ),
      await upload(
        patient,
        { patientId: w.margaret.id, filename: 'b.pdf', purpose: 'message' },
        pdf,
      ),
    ];
    await started(patient, w.margaret.id);
    await expectQuotaRefusal(patient, w.margaret.id, 1000);
    for (const id of drafts) await settled(patient, id);
    await expectStatus(
      patient,
      {
        method: 'POST',
        url: url.conversations,
        payload: {
          subject: 'Letters',
          body: 'Attached',
          recipients: [{ teamId: w.nurses.id }],
          documentIds: drafts,
        },
      },
      201,
    );
    await started(patient, w.margaret.id);
    await started(patient, w.margaret.id);
  });

  it('two uploads started at once for the last place: exactly one is accepted', async () => {
    const nurse = w.nurse.client;
    await started(nurse, w.margaret.id);
    await started(nurse, w.margaret.id);
    const before = await documentCount();
    const both = await Promise.all(
      [1, 2].map(() =>
        createUpload(nurse, { patientId: w.margaret.id, filename: 'race.pdf' }, 1000),
      ),
    );
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 429]);
    const refused = both.find((r) => r.statusCode === 429);
    expect(JSON.parse(refused?.body ?? '{}')).toMatchObject({ code: 'document.quota_exceeded' });
    expect(await documentCount()).toBe((before ?? 0) + 1);
  });

  it('uploadDocument documents the 429 in OpenAPI', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    }>();
    expect(Object.keys(doc.paths['/api/v1/uploads']?.post?.responses ?? {})).toContain('429');
  });
});
