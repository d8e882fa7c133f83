import { existsSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentUrl, consentWorld, type ConsentWorld } from '../../../../test/consent-world';
import {
  expectStatus,
  problemOf,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { documentUrl, makePdf, settled, upload } from '../../../../test/documents-world';
import type { Client } from '../../../../test/http';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import type { DocumentView } from './documents.contracts';
import { REMOVED_TITLE } from './documents.presenters';

/** markDocumentEnteredInError: the uploader takes a wrong document out of use (C4). */

let t: TestApp;
let w: ConsentWorld;

beforeAll(async () => {
  t = await buildTestApp();
  w = await consentWorld(t.app, t.db);
});
afterAll(async () => t?.close());

const mark = (client: Client, id: string, reason = 'The wrong patient’s letter') =>
  client.request({
    method: 'POST',
    url: `${documentUrl(id)}/entered-in-error`,
    payload: { reason },
  });

/** A letter the nurse adds to Margaret's record, checked. */
async function nursesLetter(title = 'Letter for Mr Smith'): Promise<string> {
  const id = await upload(
    w.nurse.client,
    { patientId: w.margaret.id, filename: 'letter.pdf', title },
    await makePdf(),
  );
  await settled(w.nurse.client, id);
  return id;
}

describe('a document added in error', () => {
  it('its uploader marks it: nobody opens it, its name is gone, the bytes are kept', async () => {
    const id = await nursesLetter();
    const response = await expectStatus(
      w.nurse.client,
      {
        method: 'POST',
        url: `${documentUrl(id)}/entered-in-error`,
        payload: { reason: 'The wrong patient’s letter' },
      },
      200,
    );
    const marked = response.json<DocumentView>();
    expect(marked).toMatchObject({
      status: 'entered_in_error',
      title: REMOVED_TITLE,
      fileName: REMOVED_TITLE,
      sizeBytes: null,
      sha256: null,
      enteredInError: { by: 'Nina Nurse, Cardiology Nurses' },
    });
    expect(JSON.stringify(marked)).not.toContain('Mr Smith');

    // The patient sees that it was removed, not what it was; nobody downloads it.
    const seen = await expectStatus(
      w.margaret.client,
      { method: 'GET', url: documentUrl(id) },
      200,
    );
    expect(seen.json<DocumentView>()).toMatchObject({ title: REMOVED_TITLE, addedByYou: false });
    for (const client of [w.margaret.client, w.nurse.client]) {
      const download = await client.request({ method: 'GET', url: `${documentUrl(id)}/content` });
      expect(download.statusCode).toBe(409);
      expect(problemOf(download).code).toBe('document.not_available');
    }
    const stored = path.join(t.deps.config.dataDir, 'documents', 'documents', id);
    expect(existsSync(stored)).toBe(true);

    // The reason is in the audit trail only; the patient's log names the change.
    const audit = (await t.db.execute(
      sql`select details from audit_events where action = 'document.entered_in_error' and entity_id = ${id}`,
    )) as { rows: { details: { enteredInErrorReason: string; statusBefore: string } }[] };
    expect(audit.rows.map((r) => r.details)).toEqual([
      { enteredInErrorReason: 'The wrong patient’s letter', statusBefore: 'available' },
    ]);
    const log = await expectStatus(
      w.margaret.client,
      { method: 'GET', url: consentUrl.accessLog },
      200,
    );
    expect(log.json<{ items: { what: string }[] }>().items.map((i) => i.what)).toContain(
      'Removed a document that was added in error',
    );

    // Again: nothing more happens.
    expect((await mark(w.nurse.client, id)).statusCode).toBe(200);
    const count = (await t.db.execute(
      sql`select count(*)::int as n from audit_events where action = 'document.entered_in_error' and entity_id = ${id}`,
    )) as { rows: { n: number }[] };
    expect(count.rows[0]?.n).toBe(1);
  });

  it('a message that carried it shows only that a file was removed', async () => {
    const conversationId = await startConversation(w.margaret.client, [{ teamId: w.nurses.id }]);
    const id = await upload(
      w.margaret.client,
      { patientId: w.margaret.id, filename: 'wrong.pdf', conversationId, purpose: 'message' },
      await makePdf(),
    );
    await settled(w.margaret.client, id);
    await expectStatus(
      w.margaret.client,
      {
        method: 'POST',
        url: url.messages(conversationId),
        payload: { body: 'Here', documentIds: [id] },
      },
      201,
    );
    await expectStatus(
      w.margaret.client,
      {
        method: 'POST',
        url: `${documentUrl(id)}/entered-in-error`,
        payload: { reason: 'Wrong photo' },
      },
      200,
    );
    const thread = await expectStatus(
      w.nurse.client,
      { method: 'GET', url: url.conversation(conversationId) },
      200,
    );
    expect(thread.body).not.toContain('wrong.pdf');
    expect(thread.body).toContain(REMOVED_TITLE);
  });

  it('refuses others, drafts, documents still being checked and an empty reason; nothing changes', async () => {
    const id = await nursesLetter('Another letter');
    // The coordinator has no record access here: the document is invisible to them.
    expect((await mark(w.coordinator.client, id)).statusCode).toBe(404);
    const patient = await mark(w.margaret.client, id);
    expect(patient.statusCode).toBe(403);
    expect(problemOf(patient).code).toBe('document.entered_in_error_forbidden');
    const pals = await mark(w.palsMember.client, id);
    expect(pals.statusCode).toBe(404);

    const draft = await upload(
      w.nurse.client,
      { patientId: w.margaret.id, filename: 'draft.pdf', purpose: 'message' },
      await makePdf(),
    );
    const ofDraft = await mark(w.nurse.client, draft);
    expect(ofDraft.statusCode).toBe(409);
    expect(problemOf(ofDraft).code).toBe('document.is_draft');

    // Once the app's own checks are done with it (else they would settle it under the test),
    // it is made to look sent and still being checked.
    await settled(w.nurse.client, draft);
    await t.db.execute(
      sql`update documents set status = 'checking', draft = false where id = ${draft}`,
    );
    const checking = await mark(w.nurse.client, draft);
    expect(checking.statusCode).toBe(409);
    expect(problemOf(checking).code).toBe('document.still_checking');

    for (const reason of ['', '   ', 'x'.repeat(501)]) {
      const response = await mark(w.nurse.client, id, reason);
      expect(response.statusCode, JSON.stringify(reason)).toBe(400);
    }
    const row = (await t.db.execute(sql`select status from documents where id = ${id}`)) as {
      rows: { status: string }[];
    };
    expect(row.rows[0]?.status).toBe('available');

    // Once marked, others are still refused (not told "done").
    expect((await mark(w.nurse.client, id)).statusCode).toBe(200);
    const after = await mark(w.margaret.client, id);
    expect(after.statusCode).toBe(403);
  });

  it.each(['checking', 'uploading'])(
    'decides who may act before where it stands: %s, others get 403 and only its uploader 409',
    async (status) => {
      // Made to look unfinished once its own checks are done (else they would settle it here).
      const id = await nursesLetter('Letter still in checks');
      await t.db.execute(sql`update documents set status = ${status} where id = ${id}`);

      // Margaret reads her record (C1) but did not add it: she is refused for who she is,
      // and learns nothing from the refusal about its checks.
      const patient = await mark(w.margaret.client, id);
      expect(patient.statusCode).toBe(403);
      expect(problemOf(patient).code).toBe('document.entered_in_error_forbidden');
      expect(patient.body).not.toContain('check');

      const uploader = await mark(w.nurse.client, id);
      expect(uploader.statusCode).toBe(409);
      expect(problemOf(uploader).code).toBe('document.still_checking');

      const row = (await t.db.execute(
        sql`select status, entered_in_error_at from documents where id = ${id}`,
      )) as { rows: { status: string; entered_in_error_at: unknown }[] };
      expect(row.rows[0]).toEqual({ status, entered_in_error_at: null });
    },
  );

  it('the record’s list shows a removed document without its title; a refused download is not logged as one', async () => {
    const id = await nursesLetter('Letter about Mr Jones');
    await expectStatus(
      w.nurse.client,
      { method: 'POST', url: `${documentUrl(id)}/entered-in-error`, payload: { reason: 'Wrong' } },
      200,
    );
    const list = await expectStatus(
      w.margaret.client,
      { method: 'GET', url: `/api/v1/patients/${w.margaret.id}/documents` },
      200,
    );
    expect(list.body).not.toContain('Mr Jones');
    expect(list.json<{ items: DocumentView[] }>().items.find((d) => d.id === id)?.title).toBe(
      REMOVED_TITLE,
    );
    const before = (await t.db.execute(
      sql`select count(*)::int as n from audit_events where action = 'document.downloaded' and entity_id = ${id}`,
    )) as { rows: { n: number }[] };
    const download = await w.margaret.client.request({
      method: 'GET',
      url: `${documentUrl(id)}/content`,
    });
    expect(download.statusCode).toBe(409);
    const after = (await t.db.execute(
      sql`select count(*)::int as n from audit_events where action = 'document.downloaded' and entity_id = ${id}`,
    )) as { rows: { n: number }[] };
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });
});
