import { statSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consentUrl,
  consentWorld,
  type ConsentWorld,
  makeCarer,
} from '../../../../test/consent-world';
import { expectStatus, url } from '../../../../test/conversation-world';
import {
  createUpload,
  makePdf,
  patchUpload,
  settled,
  upload,
} from '../../../../test/documents-world';
import type { Client } from '../../../../test/http';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

/**
 * tus writes a refusal from its hooks as the problem document with no content type of its own
 * (decision 0015): the body is read as it is.
 *
 * Finishing an upload, and sending a draft with a message, decide again whether the uploader
 * may still add to the record there (C1, C2): access can end while the bytes arrive.
 */

let t: TestApp;
let w: ConsentWorld;

beforeAll(async () => {
  t = await buildTestApp();
  w = await consentWorld(t.app, t.db);
});
afterAll(async () => t?.close());

const rowOf = async (id: string) =>
  (
    (await t.db.execute(
      sql`select status, draft, message_id, rejection_code from documents where id = ${id}`,
    )) as {
      rows: {
        status: string;
        draft: boolean;
        message_id: string | null;
        rejection_code: string | null;
      }[];
    }
  ).rows[0];

/** Refused as it finished, the upload was given up: rejected, nothing staged, not checked. */
async function expectGivenUp(documentId: string, fields: Record<string, unknown> = {}) {
  expect(await rowOf(documentId)).toMatchObject({
    status: 'rejected',
    rejection_code: 'document.upload_refused',
    ...fields,
  });
  expect(await completions(documentId)).toBe(0);
  const staged = path.join(t.deps.config.dataDir, 'uploads', documentId);
  expect(statSync(staged, { throwIfNoEntry: false })).toBeUndefined();
  expect(statSync(`${staged}.json`, { throwIfNoEntry: false })).toBeUndefined();
}

const completions = async (id: string) =>
  (
    (await t.db.execute(
      sql`select count(*)::int as n from audit_events
           where action = 'document.upload_completed' and entity_id = ${id}`,
    )) as { rows: { n: number }[] }
  ).rows[0]?.n;

/**
 * Sends a whole PDF in one PATCH whose second half arrives only after `meanwhile` has run,
 * once the route has authorised the PATCH and tus has staged the first half.
 */
async function finishAfter(
  client: Client,
  metadata: Record<string, string>,
  meanwhile: () => Promise<void>,
) {
  const pdf = await makePdf();
  const created = await createUpload(client, metadata, pdf.length);
  expect(created.statusCode, created.body).toBe(201);
  const location = String(created.headers.location);
  const documentId = location.split('/').pop() ?? '';
  const half = Math.floor(pdf.length / 2);
  const body = new PassThrough();
  const patched = patchUpload(client, location, 0, body, pdf.length);
  body.write(pdf.subarray(0, half));
  const staged = path.join(t.deps.config.dataDir, 'uploads', documentId);
  for (let i = 0; i < 500; i += 1) {
    if ((statSync(staged, { throwIfNoEntry: false })?.size ?? 0) >= half) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(statSync(staged).size).toBe(half);
  await meanwhile();
  body.end(pdf.subarray(half));
  return { documentId, response: await patched };
}

describe('an upload finishes only while its uploader may still add there (C1, C2)', () => {
  it('C2: removed from the care team while the last bytes arrive → 403, given up at once, not checked', async () => {
    const { documentId, response } = await finishAfter(
      w.nurse.client,
      { patientId: w.margaret.id, filename: 'letter.pdf' },
      async () => {
        await t.db.execute(
          sql`delete from team_memberships
               where professional_id = ${w.nurse.id} and team_id = ${w.nurses.id}`,
        );
      },
    );
    try {
      expect(response.statusCode, response.body).toBe(403);
      expect(response.json<{ code: string }>().code).toBe('document.upload_forbidden');
      await expectGivenUp(documentId);
    } finally {
      await t.db.execute(
        sql`insert into team_memberships (professional_id, team_id, role)
            values (${w.nurse.id}, ${w.nurses.id}, 'member')`,
      );
    }
  });

  it('C1: the carer’s consent ends while the last bytes of a draft arrive → refused, given up at once', async () => {
    const consentId = await makeCarer(w.victor, w.carol, 'message');
    const { documentId, response } = await finishAfter(
      w.carol.client,
      { patientId: w.victor.id, filename: 'photo.pdf', purpose: 'message' },
      async () => {
        await expectStatus(
          w.victor.client,
          { method: 'POST', url: consentUrl.revoke(consentId) },
          200,
        );
      },
    );
    expect(response.statusCode, response.body).toBe(403);
    expect(response.json<{ code: string }>().code).toBe('document.upload_forbidden');
    await expectGivenUp(documentId, { draft: true });
  });

  it('C1: a draft whose uploader lost message consent cannot be sent; it stays a draft', async () => {
    const consentId = await makeCarer(w.margaret, w.carol, 'message');
    const draft = await upload(
      w.carol.client,
      { patientId: w.margaret.id, filename: 'photo.pdf', purpose: 'message' },
      await makePdf(),
    );
    await settled(w.carol.client, draft);
    await expectStatus(
      w.margaret.client,
      { method: 'POST', url: consentUrl.revoke(consentId) },
      200,
    );
    const sent = await w.carol.client.request({
      method: 'POST',
      url: url.conversations,
      payload: {
        patientId: w.margaret.id,
        subject: 'Photo',
        body: 'Attached',
        recipients: [{ teamId: w.nurses.id }],
        documentIds: [draft],
      },
    });
    expect([403, 404]).toContain(sent.statusCode);
    expect(await rowOf(draft)).toMatchObject({ draft: true, message_id: null });
  });
});
