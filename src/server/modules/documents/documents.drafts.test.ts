import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentUrl, consentWorld, type ConsentWorld } from '../../../../test/consent-world';
import {
  expectStatus,
  problemOf,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import {
  createUpload,
  documentUrl,
  makePdf,
  patchUpload,
  settled,
  upload,
} from '../../../../test/documents-world';
import type { Client } from '../../../../test/http';
import { signInAs } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { EICAR } from '../../platform/scanning/eicar-scanner';
import { DocumentChecker } from './documents.checker';
import { DRAFT_EXPIRES_AFTER_MS, expireDrafts } from './documents.withdrawal';
import { documentServices } from './documents.routes';

/** Files chosen for a message stay their uploader's until the message is sent (decision 0019). */

let t: TestApp;
let w: ConsentWorld;

beforeAll(async () => {
  t = await buildTestApp();
  w = await consentWorld(t.app, t.db);
});
afterAll(async () => t?.close());

const storedPath = (id: string) => path.join(t.deps.config.dataDir, 'documents', 'documents', id);

const draftOf = async (client: Client, patientId: string, extra: Record<string, string> = {}) =>
  upload(
    client,
    { patientId, filename: 'chosen.pdf', purpose: 'message', ...extra },
    await makePdf(),
  );

const rowOf = async (id: string) =>
  (
    (await t.db.execute(
      sql`select status, draft, storage_key, rejection_code from documents where id = ${id}`,
    )) as {
      rows: {
        status: string;
        draft: boolean;
        storage_key: string | null;
        rejection_code: string | null;
      }[];
    }
  ).rows[0];

const auditCount = async (action: string, id: string) =>
  (
    (await t.db.execute(
      sql`select count(*)::int as n from audit_events where action = ${action} and entity_id = ${id}`,
    )) as { rows: { n: number }[] }
  ).rows[0]?.n;

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

describe('a file chosen for a message is a draft: its uploader’s alone', () => {
  it('nobody else reads, downloads or lists it; the uploader polls it as it is checked', async () => {
    const documentId = await draftOf(w.margaret.client, w.margaret.id);
    expect(await settled(w.margaret.client, documentId)).toMatchObject({
      status: 'available',
      draft: true,
    });
    for (const target of [documentUrl(documentId), `${documentUrl(documentId)}/content`]) {
      const response = await w.nurse.client.request({ method: 'GET', url: target });
      expect(response.statusCode, target).toBe(404);
      expect(problemOf(response).code).toBe('document.not_found');
    }
    // Not in the record yet: not listed, not even to its uploader.
    expect(await listed(w.nurse.client, w.margaret.id)).not.toContain(documentId);
    expect(await listed(w.margaret.client, w.margaret.id)).not.toContain(documentId);
  });

  it('sending carries it into the record: then the team sees it, and the patient’s log says so', async () => {
    const documentId = await draftOf(w.nurse.client, w.margaret.id);
    await settled(w.nurse.client, documentId); // the uploader's own read of a draft
    const log = async () =>
      (await expectStatus(w.margaret.client, { method: 'GET', url: consentUrl.accessLog }, 200))
        .json<{ items: { who: string; what: string }[] }>()
        .items.filter((i) => i.who.startsWith('Nina Nurse'))
        .map((i) => i.what);
    const before = await log();
    expect(before).not.toContain('Added a document to your record');
    expect(before).not.toContain('Looked at a document');

    await expectStatus(
      w.nurse.client,
      {
        method: 'POST',
        url: url.conversations,
        payload: {
          patientId: w.margaret.id,
          asTeamId: w.nurses.id,
          subject: 'Your letter',
          body: 'Attached',
          recipients: [{ teamId: w.nurses.id }],
          documentIds: [documentId],
        },
      },
      201,
    );
    expect(await rowOf(documentId)).toMatchObject({ draft: false, status: 'available' });
    expect(await listed(w.margaret.client, w.margaret.id)).toContain(documentId);
    expect(await listed(w.nurse.client, w.margaret.id)).toContain(documentId);
    expect(await log()).toContain('Sent a document with a message');
  });

  it('purpose must be record or message; anything else changes nothing', async () => {
    const before = (await t.db.execute(sql`select count(*)::int as n from documents`)) as {
      rows: { n: number }[];
    };
    const response = await createUpload(
      w.margaret.client,
      { patientId: w.margaret.id, filename: 'x.pdf', purpose: 'draft' },
      10,
    );
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).code).toBe('document.invalid_metadata');
    const after = (await t.db.execute(sql`select count(*)::int as n from documents`)) as {
      rows: { n: number }[];
    };
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });
});

describe('withdrawDocument: Remove takes a draft back, bytes and all', () => {
  it('the uploader withdraws it: withdrawn, bytes gone, audited once; it can no longer be sent', async () => {
    const documentId = await draftOf(w.margaret.client, w.margaret.id);
    await settled(w.margaret.client, documentId);
    expect(existsSync(storedPath(documentId))).toBe(true);

    await expectStatus(w.margaret.client, { method: 'DELETE', url: documentUrl(documentId) }, 204);
    expect(await rowOf(documentId)).toEqual({
      status: 'withdrawn',
      draft: true,
      storage_key: null,
      rejection_code: 'document.withdrawn',
    });
    expect(existsSync(storedPath(documentId))).toBe(false);
    // Again: nothing more happens.
    await expectStatus(w.margaret.client, { method: 'DELETE', url: documentUrl(documentId) }, 204);
    expect(await auditCount('document.withdrawn', documentId)).toBe(1);

    const sent = await w.margaret.client.request({
      method: 'POST',
      url: url.conversations,
      payload: {
        subject: 'Rash',
        body: 'Photo',
        recipients: [{ teamId: w.nurses.id }],
        documentIds: [documentId],
      },
    });
    expect(sent.statusCode).toBe(422);
    expect(problemOf(sent).code).toBe('document.not_attachable');
  });

  it('refuses anyone else, anything sent or in the record, and files held back for investigation', async () => {
    const draft = await draftOf(w.margaret.client, w.margaret.id);
    const byNurse = await w.nurse.client.request({ method: 'DELETE', url: documentUrl(draft) });
    expect(byNurse.statusCode).toBe(404);
    expect(problemOf(byNurse).code).toBe('document.not_found');

    const inRecord = await upload(
      w.nurse.client,
      { patientId: w.margaret.id, filename: 'letter.pdf' },
      await makePdf(),
    );
    const refused = await w.nurse.client.request({ method: 'DELETE', url: documentUrl(inRecord) });
    expect(refused.statusCode).toBe(409);
    expect(problemOf(refused).code).toBe('document.not_withdrawable');

    await expectStatus(
      w.margaret.client,
      {
        method: 'POST',
        url: url.conversations,
        payload: {
          subject: 'Sent',
          body: 'With a file',
          recipients: [{ teamId: w.nurses.id }],
          documentIds: [draft],
        },
      },
      201,
    );
    const sent = await w.margaret.client.request({ method: 'DELETE', url: documentUrl(draft) });
    expect(sent.statusCode).toBe(409);
    expect(problemOf(sent).code).toBe('document.not_withdrawable');

    const infected = await upload(
      w.margaret.client,
      { patientId: w.margaret.id, filename: 'infected.pdf', purpose: 'message' },
      Buffer.concat([await makePdf(), Buffer.from('\n'), EICAR]),
    );
    expect((await settled(w.margaret.client, infected)).status).toBe('quarantined');
    const held = await w.margaret.client.request({ method: 'DELETE', url: documentUrl(infected) });
    expect(held.statusCode).toBe(409);
    expect(problemOf(held).code).toBe('document.not_withdrawable');

    for (const id of [draft, inRecord, infected]) {
      expect((await rowOf(id))?.status, id).not.toBe('withdrawn');
      expect(await auditCount('document.withdrawn', id)).toBe(0);
    }
    const noCsrf = await t.app.inject({
      method: 'DELETE',
      url: documentUrl(infected),
      headers: { cookie: w.margaret.client.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(problemOf(noCsrf).code).toBe('auth.csrf_failed');
  });

  it('a draft in a conversation is hidden from its participants too', async () => {
    const conversationId = await startConversation(w.margaret.client, [{ teamId: w.pals.id }]);
    const draft = await draftOf(w.margaret.client, w.margaret.id, { conversationId });
    const byPals = await w.palsMember.client.request({ method: 'GET', url: documentUrl(draft) });
    expect(byPals.statusCode).toBe(404);
    const thread = await expectStatus(
      w.palsMember.client,
      { method: 'GET', url: url.conversation(conversationId) },
      200,
    );
    expect(thread.body).not.toContain(draft);
  });

  it('withdrawing an upload under way removes its staged bytes; the rest of it is refused', async () => {
    const pdf = await makePdf();
    const created = await createUpload(
      w.margaret.client,
      { patientId: w.margaret.id, filename: 'half.pdf', purpose: 'message' },
      pdf.length,
    );
    const location = String(created.headers.location);
    const id = location.split('/').pop() ?? '';
    const half = pdf.subarray(0, Math.floor(pdf.length / 2));
    expect((await patchUpload(w.margaret.client, location, 0, half)).statusCode).toBe(204);
    const staged = path.join(t.deps.config.dataDir, 'uploads', id);
    expect(existsSync(staged)).toBe(true);

    await expectStatus(w.margaret.client, { method: 'DELETE', url: documentUrl(id) }, 204);
    expect(existsSync(staged)).toBe(false);
    expect(existsSync(`${staged}.json`)).toBe(false);
    const rest = await patchUpload(
      w.margaret.client,
      location,
      half.length,
      pdf.subarray(half.length),
    );
    expect(rest.statusCode).toBe(409);
    expect(problemOf(rest).code).toBe('document.upload_finished');
    expect(await rowOf(id)).toMatchObject({ status: 'withdrawn', storage_key: null });
  });
});

describe('drafts never sent are withdrawn after 7 days', () => {
  it('an old draft goes, bytes and all; a recent draft and a sent file stay', async () => {
    const services = documentServices(t.deps);
    const old = await draftOf(w.margaret.client, w.margaret.id);
    const sentOld = await draftOf(w.margaret.client, w.margaret.id);
    await settled(w.margaret.client, old);
    await settled(w.margaret.client, sentOld);
    await expectStatus(
      w.margaret.client,
      {
        method: 'POST',
        url: url.conversations,
        payload: {
          subject: 'Old but sent',
          body: 'Kept',
          recipients: [{ teamId: w.nurses.id }],
          documentIds: [sentOld],
        },
      },
      201,
    );
    t.clock.advance(DRAFT_EXPIRES_AFTER_MS + 60 * 60 * 1000);
    const margaret = await signInAs(t.app, w.margaret.email); // a week on: a new session
    const recent = await draftOf(margaret, w.margaret.id);
    await settled(margaret, recent);

    expect(await expireDrafts(t.deps, services)).toBeGreaterThanOrEqual(1);
    expect(await rowOf(old)).toMatchObject({
      status: 'withdrawn',
      storage_key: null,
      rejection_code: 'document.draft_expired',
    });
    expect(existsSync(storedPath(old))).toBe(false);
    expect(await auditCount('document.draft_expired', old)).toBe(1);
    expect(await rowOf(recent)).toMatchObject({ status: 'available', draft: true });
    expect(await rowOf(sentOld)).toMatchObject({ status: 'available', draft: false });
    expect(existsSync(storedPath(sentOld))).toBe(true);
    expect(await expireDrafts(t.deps, services)).toBe(0);
  });

  it('a draft still being checked expires too; a rejected one keeps its reason', async () => {
    const services = documentServices(t.deps);
    const margaret = await signInAs(t.app, w.margaret.email);
    const checking = await copyOf(margaret, 'checking');
    const rejected = await copyOf(margaret, 'rejected');
    t.clock.advance(DRAFT_EXPIRES_AFTER_MS + 60 * 60 * 1000);
    expect(await expireDrafts(t.deps, services)).toBeGreaterThanOrEqual(1);
    expect(await rowOf(checking)).toMatchObject({
      status: 'withdrawn',
      rejection_code: 'document.draft_expired',
    });
    expect(await rowOf(rejected)).toMatchObject({
      status: 'rejected',
      rejection_code: 'document.type_mismatch',
    });
  });

  it('bytes a stop left behind after a withdrawal are removed by the next sweep', async () => {
    const services = documentServices(t.deps);
    const margaret = await signInAs(t.app, w.margaret.email);
    const id = await draftOf(margaret, w.margaret.id);
    await settled(margaret, id);
    await expectStatus(margaret, { method: 'DELETE', url: documentUrl(id) }, 204);
    // As if the process stopped between the withdrawal's commit and the removal of its bytes.
    await writeFile(storedPath(id), 'left behind');
    await writeFile(path.join(services.stagingDir, id), 'left behind');
    await t.db.execute(
      sql`update documents set storage_key = ${`documents/${id}`} where id = ${id}`,
    );
    await expireDrafts(t.deps, services);
    expect(existsSync(storedPath(id))).toBe(false);
    expect(existsSync(path.join(services.stagingDir, id))).toBe(false);
    expect((await rowOf(id))?.storage_key).toBeNull();
  });
});

/** A new draft row of Margaret's, as the checks would leave it, without its bytes. */
async function copyOf(client: Client, status: 'checking' | 'rejected'): Promise<string> {
  const original = await draftOf(client, w.margaret.id);
  await settled(client, original);
  const id = randomUUID();
  await t.db.execute(sql`
    insert into documents (id, patient_id, upload_id, uploaded_by_user_id, uploader_label,
      title, file_name, declared_size_bytes, status, rejection_code, draft, created_at)
    select ${id}, patient_id, ${id}, uploaded_by_user_id, uploader_label, title, file_name,
      declared_size_bytes, ${status},
      ${status === 'rejected' ? 'document.type_mismatch' : null}, true, ${t.clock.now()}
    from documents where id = ${original}`);
  return id;
}

describe('a draft withdrawn while it is checked', () => {
  /**
   * Runs the checks of a new checking draft of Margaret's holding `bytes` with a checker of the
   * test's own, which pauses just after storing them; Margaret withdraws it there.
   */
  async function withdrawWhileChecked(bytes: Buffer) {
    const services = documentServices(t.deps);
    const margaret = await signInAs(t.app, w.margaret.email);
    const id = await copyOf(margaret, 'checking');
    await writeFile(path.join(services.stagingDir, id), bytes);
    const stored = resolvable();
    const gate = resolvable();
    const storage = {
      ...services.storage,
      put: async (key: string, content: Readable) => {
        await services.storage.put(key, content);
        stored.resolve();
        await gate.promise;
      },
    };
    const errors: unknown[] = [];
    const checker = new DocumentChecker(t.deps, { ...services, storage }, (_id, error) =>
      errors.push(error),
    );
    checker.enqueue(id);
    await stored.promise;
    await expectStatus(margaret, { method: 'DELETE', url: documentUrl(id) }, 204);
    gate.resolve();
    await checker.idle();
    expect(errors).toEqual([]);
    expect(existsSync(path.join(services.stagingDir, id))).toBe(false);
    return id;
  }

  it('leaves no bytes behind: the checker finds it withdrawn and removes what it stored', async () => {
    const id = await withdrawWhileChecked(await makePdf());
    expect(existsSync(storedPath(id))).toBe(false);
    expect(await rowOf(id)).toMatchObject({ status: 'withdrawn', storage_key: null });
    expect(await auditCount('document.accepted', id)).toBe(0);
  });

  it('is still held back when the scanner flags it: the file is kept for investigation', async () => {
    const id = await withdrawWhileChecked(
      Buffer.concat([await makePdf(), Buffer.from('\n'), EICAR]),
    );
    expect(await rowOf(id)).toMatchObject({
      status: 'quarantined',
      storage_key: `quarantine/${id}`,
      rejection_code: 'document.infected',
    });
    const kept = path.join(t.deps.config.dataDir, 'documents', 'quarantine', id);
    expect(existsSync(kept)).toBe(true);
    expect(await auditCount('document.quarantined', id)).toBe(1);
  });
});

function resolvable() {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
