import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf, settled, upload } from '../../../../test/documents-world';
import type { Client } from '../../../../test/http';
import {
  connectSystem,
  createIntegrationWorld,
  fhir,
  followPages,
  type IntegrationWorld,
  tokenFor,
  expectOutcome,
  SYSTEM_LABEL,
} from '../../../../test/integration-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';
import { EICAR } from '../../platform/scanning/eicar-scanner';
import type { DocumentView } from '../documents/documents.contracts';
import { REMOVED_TITLE } from '../documents/documents.presenters';
import { SHA256_EXTENSION } from './fhir.document-reference';

let t: TestApp;
let world: IntegrationWorld;
let token: string;
let pdf: Buffer;
let discharge: DocumentView; // in the record, checked
let wrongLetter: DocumentView; // in the record, then marked as added in error
let draft: DocumentView; // chosen for a message not sent yet
let quarantined: DocumentView; // held back by the scanner
let patientBs: DocumentView; // Trust B's patient's

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

async function added(
  client: Client,
  patientId: string,
  metadata: Record<string, string>,
  bytes: Buffer,
): Promise<DocumentView> {
  const id = await upload(client, { patientId, ...metadata }, bytes);
  const document = await settled(client, id);
  t.clock.advance(60_000); // one a minute, so that newest first is a known order
  return document;
}

const auditOf = (entityId: string) =>
  queryRows<{ action: string; outcome: string; actor_label: string; details: unknown }>(
    t.db,
    sql`select action, outcome, actor_label, details from audit_events
        where entity_id = ${entityId} and actor_label = ${SYSTEM_LABEL} order by id`,
  );

beforeAll(async () => {
  t = await buildTestApp();
  world = await createIntegrationWorld(t.app, t.db);
  pdf = await makePdf('Discharge summary');
  const patientId = world.patient.id;
  discharge = await added(
    world.nurseA,
    patientId,
    { filename: 'discharge.pdf', title: 'Discharge summary' },
    pdf,
  );
  wrongLetter = await added(
    world.nurseA,
    patientId,
    { filename: 'smith.pdf', title: 'Letter for Mr Smith' },
    await makePdf('Mr Smith'),
  );
  const marked = await world.nurseA.request({
    method: 'POST',
    url: `/api/v1/documents/${wrongLetter.id}/entered-in-error`,
    payload: { reason: 'The wrong patient’s letter' },
  });
  expect(marked.statusCode, marked.body).toBe(200);
  draft = await added(
    world.nurseA,
    patientId,
    { filename: 'draft.pdf', purpose: 'message' },
    await makePdf('Not sent yet'),
  );
  quarantined = await added(
    world.nurseA,
    patientId,
    { filename: 'infected.pdf' },
    Buffer.concat([await makePdf(), Buffer.from('\n'), EICAR, Buffer.from('\n')]),
  );
  expect(quarantined.status).toBe('quarantined');
  patientBs = await added(world.coordinatorB, world.patientB.id, { filename: 'b.pdf' }, pdf);
  // Tokens live five minutes, and the uploads moved the clock on.
  token = await tokenFor(t.app, await connectSystem(world.coordinatorA, world.trustA.id));
});
afterAll(() => t.close());

describe('FHIR DocumentReference read', () => {
  it('reads a checked document of a record its organisation looks after (C2), audited (C4)', async () => {
    const response = await fhir(t.app, token, 'GET', `DocumentReference/${discharge.id}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(response.json()).toEqual({
      resourceType: 'DocumentReference',
      id: discharge.id,
      status: 'current',
      subject: { reference: `Patient/${world.patient.id}` },
      date: discharge.uploadedAt,
      author: [{ display: discharge.uploadedBy }],
      description: 'Discharge summary',
      content: [
        {
          attachment: {
            extension: [{ url: SHA256_EXTENSION, valueString: discharge.sha256 }],
            contentType: 'application/pdf',
            url: `${t.deps.config.publicUrl}/fhir/R4/Binary/${discharge.id}`,
            size: pdf.length,
            title: 'discharge.pdf',
          },
        },
      ],
    });
    expect((await auditOf(discharge.id)).at(-1)).toMatchObject({
      action: 'document.read',
      outcome: 'success',
      actor_label: SYSTEM_LABEL,
      details: expect.objectContaining({ basis: 'connected_system' }) as unknown,
    });
  });

  it('a document added in error shows only that: no title, type, size, hash or address (C3)', async () => {
    const response = await fhir(t.app, token, 'GET', `DocumentReference/${wrongLetter.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      resourceType: 'DocumentReference',
      id: wrongLetter.id,
      status: 'entered-in-error',
      subject: { reference: `Patient/${world.patient.id}` },
      date: wrongLetter.uploadedAt,
      author: [{ display: wrongLetter.uploadedBy }],
      description: REMOVED_TITLE,
      content: [{ attachment: { title: REMOVED_TITLE } }],
    });
    expect(response.body).not.toContain('Smith');
  });

  it('answers 404 alike for drafts, held-back files, another organisation’s patient’s and unknown ids (C2, C3)', async () => {
    for (const id of [draft.id, quarantined.id, patientBs.id, NO_SUCH_ID]) {
      expectOutcome(
        await fhir(t.app, token, 'GET', `DocumentReference/${id}`),
        404,
        'fhir.not_found',
      );
    }
    expect(await auditOf(patientBs.id)).toEqual([
      expect.objectContaining({
        action: 'document.read',
        outcome: 'denied',
        actor_label: SYSTEM_LABEL,
      }),
    ]);
    // A refused look at a draft stays out of the patient's log, as drafts do (decision 0019).
    expect((await auditOf(draft.id)).at(-1)).toMatchObject({
      outcome: 'denied',
      details: expect.objectContaining({ draft: true }) as unknown,
    });
  });

  it('needs a bearer token (401) with the DocumentReference scope (403)', async () => {
    const narrow = await tokenFor(
      t.app,
      await connectSystem(world.coordinatorA, world.trustA.id),
      'system/Patient.read',
    );
    for (const path of [
      `DocumentReference/${discharge.id}`,
      `DocumentReference?patient=${world.patient.id}`,
      `Binary/${discharge.id}`,
    ]) {
      expectOutcome(await fhir(t.app, null, 'GET', path), 401, 'fhir.invalid_token');
      expectOutcome(await fhir(t.app, narrow, 'GET', path), 403, 'fhir.scope_missing');
    }
  });
});

describe('FHIR DocumentReference search by patient', () => {
  it('lists the record’s documents newest first, a page at a time: no drafts, nothing held back', async () => {
    const pages = await followPages<{ id: string; status: string }>(
      t.app,
      token,
      `DocumentReference?patient=${world.patient.id}&_count=1`,
    );
    expect(pages.map((page) => page.entry.map((e) => [e.resource.id, e.resource.status]))).toEqual([
      [[wrongLetter.id, 'entered-in-error']],
      [[discharge.id, 'current']],
    ]);
    expect(pages[0]?.link).toEqual([
      {
        relation: 'self',
        url: `${t.deps.config.publicUrl}/fhir/R4/DocumentReference?patient=${world.patient.id}&_count=1`,
      },
      { relation: 'next', url: expect.stringContaining('_cursor=') as string },
    ]);
    expect(pages[1]?.link.map((l) => l.relation)).toEqual(['self']);
    expect(JSON.stringify(pages)).not.toContain('Smith');
  });

  it('gives an empty Bundle for a record it does not look after (C2), audited as refused', async () => {
    for (const id of [world.patientB.id, world.registeredOnly.id, NO_SUCH_ID]) {
      const response = await fhir(t.app, token, 'GET', `DocumentReference?patient=${id}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ resourceType: 'Bundle', entry: [] });
    }
    const [listed] = await queryRows<{ outcome: string }>(
      t.db,
      sql`select outcome from audit_events where patient_id = ${world.patientB.id}
          and action = 'record.documents_listed' and actor_label = ${SYSTEM_LABEL}`,
    );
    expect(listed).toEqual({ outcome: 'denied' });
  });

  it('refuses searches it does not know: no patient, other parameters, bad counts and cursors', async () => {
    const patient = `patient=${world.patient.id}`;
    for (const query of ['', `?${patient}&type=letter`, `?${patient}&_count=x`, '?patient=1']) {
      expectOutcome(
        await fhir(t.app, token, 'GET', `DocumentReference${query}`),
        400,
        'request.invalid',
      );
    }
    expectOutcome(
      await fhir(t.app, token, 'GET', `DocumentReference?${patient}&_cursor=bad`),
      400,
      'request.invalid_cursor',
    );
  });
});

describe('FHIR Binary', () => {
  it('answers the bytes uploaded, as their own type, whatever the Accept header; audited (C4)', async () => {
    const response = await fhir(t.app, token, 'GET', `Binary/${discharge.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-disposition']).toContain('filename="discharge.pdf"');
    expect(response.rawPayload.equals(pdf)).toBe(true);
    // Its own type is what it serves: an Accept (or _format) of no JSON is not refused here.
    for (const query of ['', '?_format=xml']) {
      const url = `/fhir/R4/Binary/${discharge.id}${query}`;
      const headers = { authorization: `Bearer ${token}`, accept: 'application/pdf' };
      expect((await t.app.inject({ method: 'GET', url, headers })).statusCode, query).toBe(200);
    }
    expect((await auditOf(discharge.id)).at(-1)).toMatchObject({
      action: 'document.downloaded',
      outcome: 'success',
      actor_label: SYSTEM_LABEL,
    });
  });

  it('is 404 for anything not to be opened: added in error, held back, a draft, not looked after', async () => {
    for (const id of [wrongLetter.id, quarantined.id, draft.id, patientBs.id, NO_SUCH_ID]) {
      expectOutcome(await fhir(t.app, token, 'GET', `Binary/${id}`), 404, 'fhir.not_found');
    }
    expect((await auditOf(wrongLetter.id)).at(-1)).toMatchObject({
      action: 'document.downloaded',
      outcome: 'denied',
    });
  });

  it('is listed in the CapabilityStatement, read only, after DocumentReference', async () => {
    const metadata = await fhir(t.app, null, 'GET', 'metadata');
    expect(metadata.statusCode, metadata.body).toBe(200);
    const resources =
      metadata.json<{ rest: { resource: { type: string }[] }[] }>().rest[0]?.resource ?? [];
    const types = resources.map((resource) => resource.type);
    expect(types.indexOf('Binary')).toBe(types.indexOf('DocumentReference') + 1);
    expect(resources.find((resource) => resource.type === 'Binary')).toEqual({
      type: 'Binary',
      interaction: [{ code: 'read' }],
      searchParam: [],
    });
  });

  it('names the system in the patient’s “Who has seen my record” (C4)', async () => {
    const log = await world.patientClient.request({ method: 'GET', url: '/api/v1/me/access-log' });
    const items = log.json<{ items: { who: string; what: string }[] }>().items;
    expect(items.filter((item) => item.who === SYSTEM_LABEL).map((item) => item.what)).toEqual(
      expect.arrayContaining([
        'Looked at a document',
        'Looked at the list of your documents',
        'Opened or downloaded a document',
      ]),
    );
  });
});
