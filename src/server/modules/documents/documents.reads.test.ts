import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consentUrl,
  consentWorld,
  makeCarer,
  type ConsentWorld,
} from '../../../../test/consent-world';
import { expectStatus, problemOf, startConversation } from '../../../../test/conversation-world';
import { createUpload, makePdf, settled, upload } from '../../../../test/documents-world';
import type { Client } from '../../../../test/http';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import type { DocumentView } from './documents.contracts';

let t: TestApp;
let w: ConsentWorld;
let standalone: string; // the nurse's, in the record
let inPals: string; // Margaret's, in her conversation with PALS
let inPrivate: string; // Margaret's, in a conversation private from carers
let carolConsent: string;

const list = (client: Client, query = '') =>
  client.request({ method: 'GET', url: `/api/v1/patients/${w.margaret.id}/documents${query}` });
const ids = (response: { json<T>(): T }) =>
  response.json<{ items: DocumentView[] }>().items.map((d) => d.id);

beforeAll(async () => {
  t = await buildTestApp();
  w = await consentWorld(t.app, t.db);
  carolConsent = await makeCarer(w.margaret, w.carol, 'message');
  await makeCarer(w.margaret, w.victor, 'view');
  const withPals = await startConversation(w.margaret.client, [{ teamId: w.pals.id }]);
  const hidden = await startConversation(w.margaret.client, [{ teamId: w.nurses.id }]);
  await expectStatus(
    w.margaret.client,
    { method: 'PUT', url: consentUrl.privacy(hidden), payload: { privateFromCarers: true } },
    200,
  );
  const pdf = await makePdf();
  standalone = await upload(
    w.nurse.client,
    { patientId: w.margaret.id, filename: 'notes.pdf' },
    pdf,
  );
  t.clock.advance(60_000);
  inPals = await upload(
    w.margaret.client,
    { patientId: w.margaret.id, filename: 'for-pals.pdf', conversationId: withPals },
    pdf,
  );
  t.clock.advance(60_000);
  inPrivate = await upload(
    w.margaret.client,
    { patientId: w.margaret.id, filename: 'private.pdf', conversationId: hidden },
    pdf,
  );
  for (const id of [standalone, inPals, inPrivate]) await settled(w.margaret.client, id);
});
afterAll(async () => t?.close());

describe('a record’s documents, as each reader may see them (C1, C2, C3, C4)', () => {
  it('the patient and staff with record access see every document, newest first', async () => {
    expect(ids(await list(w.margaret.client))).toEqual([inPrivate, inPals, standalone]);
    expect(ids(await list(w.nurse.client))).toEqual([inPrivate, inPals, standalone]);
  });

  it('the patient sees in "Who has seen my record" that staff listed, read and downloaded them (C4)', async () => {
    await expectStatus(w.nurse.client, { method: 'GET', url: `/api/v1/documents/${inPals}` }, 200);
    await expectStatus(
      w.nurse.client,
      { method: 'GET', url: `/api/v1/documents/${inPals}/content` },
      200,
    );
    const log = await expectStatus(
      w.margaret.client,
      { method: 'GET', url: consentUrl.accessLog },
      200,
    );
    const whats = log.json<{ items: { what: string }[] }>().items.map((item) => item.what);
    expect(whats).toContain('Looked at the list of your documents');
    expect(whats).toContain('Looked at a document');
    expect(whats).toContain('Opened or downloaded a document');
    expect(whats).toContain('Added a document to your record');
  });

  it('carers with consent see all but the documents of conversations private from carers', async () => {
    expect(ids(await list(w.carol.client))).toEqual([inPals, standalone]);
    expect(ids(await list(w.victor.client))).toEqual([inPals, standalone]);
    const hidden = await w.carol.client.request({
      method: 'GET',
      url: `/api/v1/documents/${inPrivate}`,
    });
    expect(hidden.statusCode).toBe(404);
  });

  it('a team without record access sees only the documents of conversations it takes part in', async () => {
    expect(ids(await list(w.palsMember.client))).toEqual([inPals]);
    const response = await w.palsMember.client.request({
      method: 'GET',
      url: `/api/v1/documents/${standalone}`,
    });
    expect(response.statusCode).toBe(404);
    expect(problemOf(response).code).toBe('document.not_found');
  });

  it('anyone else is told the record is not there; an unverified patient must verify (C5)', async () => {
    expect((await list(w.outsider.client)).statusCode).toBe(404);
    const unverified = await list(w.unverified.client);
    expect(unverified.statusCode).toBe(403);
    expect(problemOf(unverified).code).toBe('identity.verification_required');
  });

  it('pages with an opaque cursor', async () => {
    const first = await list(w.margaret.client, '?limit=2');
    const page = first.json<{ items: DocumentView[]; nextCursor: string | null }>();
    expect(page.items.map((d) => d.id)).toEqual([inPrivate, inPals]);
    const second = await list(w.margaret.client, `?limit=2&cursor=${page.nextCursor}`);
    expect(second.json()).toMatchObject({ items: [{ id: standalone }], nextCursor: null });
    const bad = await list(w.margaret.client, '?cursor=nonsense');
    expect(problemOf(bad).code).toBe('request.invalid_cursor');
    // A cursor of the right shape whose time this server never wrote is refused too, not a 500.
    for (const time of ['garbage', '0000-01-01T00:00:00.000Z', '+010000-01-01T00:00:00.000Z']) {
      const forged = Buffer.from(JSON.stringify([time, standalone])).toString('base64url');
      const forgedPage = await list(w.margaret.client, `?cursor=${forged}`);
      expect(forgedPage.statusCode, time).toBe(400);
      expect(problemOf(forgedPage).code).toBe('request.invalid_cursor');
    }
  });

  it('a carer with message consent may upload to the record; with view consent may not', async () => {
    const metadata = { patientId: w.margaret.id, filename: 'from-carer.pdf' };
    const carol = await createUpload(w.carol.client, metadata, 100);
    expect(carol.statusCode, carol.body).toBe(201);
    const victor = await createUpload(w.victor.client, metadata, 100);
    expect(victor.statusCode).toBe(403);
    expect(problemOf(victor).code).toBe('document.upload_forbidden');
    const outsider = await createUpload(w.outsider.client, metadata, 100);
    expect(outsider.statusCode).toBe(404);
  });

  it('a revoked carer loses the documents on their very next request (C1)', async () => {
    await expectStatus(
      w.margaret.client,
      { method: 'POST', url: consentUrl.revoke(carolConsent) },
      200,
    );
    expect((await list(w.carol.client)).statusCode).toBe(404);
    const read = await w.carol.client.request({
      method: 'GET',
      url: `/api/v1/documents/${standalone}`,
    });
    expect(read.statusCode).toBe(404);
  });
});
