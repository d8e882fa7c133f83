import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assign, send, startConversation, url } from '../../../../test/conversation-world';
import { makePdf, upload } from '../../../../test/documents-world';
import { createProfessional, createTeam } from '../../../../test/factories';
import { type Client, signIn } from '../../../../test/http';
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
import { ACCESS_BASIS_SYSTEM, AUDIT_ACTION_SYSTEM, AUDIT_HASH_EXTENSION } from './fhir.audit-event';

let t: TestApp;
let world: IntegrationWorld;
let token: string;
let trustBToken: string;
let letterId: string;
let conversationId: string;
let emergency: Client;

const REASON = 'The letter of Mr Smith, born 1950';
const DETAIL = 'Unconscious in A&E, no relatives';

interface Event {
  id: string;
  type: { code: string; display: string };
  action: string;
  outcome: string;
  agent: { who: { display: string } }[];
  entity?: { what: { reference: string } }[];
  purposeOfEvent?: { coding: { code: string }[] }[];
}

const search = (query: string, bearer = token) => fhir(t.app, bearer, 'GET', `AuditEvent${query}`);
const eventsOf = (response: Awaited<ReturnType<typeof fhir>>) =>
  response.json<{ entry: { resource: Event }[] }>().entry.map((e) => e.resource);
const summary = (events: Event[]) => events.map((e) => `${e.type.code} ${e.outcome}`);

/** Waits for the document checker without reading the document (a read would be audited). */
async function checked(documentId: string): Promise<void> {
  for (let attempt = 0; attempt < 6000; attempt += 1) {
    const [row] = await queryRows<{ status: string }>(
      t.db,
      sql`select status from documents where id = ${documentId}`,
    );
    if (row?.status === 'available') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the document was never checked');
}

beforeAll(async () => {
  t = await buildTestApp();
  world = await createIntegrationWorld(t.app, t.db);
  const patientId = world.patient.id;
  // Staff work on the record: a letter added, then said to have been added in error.
  letterId = await upload(
    world.nurseA,
    { patientId, filename: 'letter.pdf', title: 'Letter' },
    await makePdf(),
  );
  await checked(letterId);
  const marked = await world.nurseA.request({
    method: 'POST',
    url: `/api/v1/documents/${letterId}/entered-in-error`,
    payload: { reason: REASON },
  });
  expect(marked.statusCode, marked.body).toBe(200);
  // Team work (W2) and the patient's own reads are not for a connected system.
  conversationId = await startConversation(world.patientClient, [{ teamId: world.cardiology.id }]);
  expect((await assign(world.nurseA, conversationId, world.cardiology.id)).statusCode).toBe(200);
  await world.patientClient.request({ method: 'GET', url: `/api/v1/documents/${letterId}` });
  // Emergency access by someone of another team, with their own words (kept out of the audit).
  const emergencyTeam = await createTeam(t.db, world.trustA.id, { name: 'Emergency' });
  const doctor = await createProfessional(t.db, world.trustA.id, [
    { teamId: emergencyTeam.id, role: 'member' },
  ]);
  emergency = await signIn(t.app, doctor.email);
  const glass = await emergency.request({
    method: 'POST',
    url: '/api/v1/break-glass',
    payload: { nhsNumber: world.patient.nhsNumber, reason: 'emergency_care', detail: DETAIL },
  });
  expect(glass.statusCode, glass.body).toBe(201);
  await emergency.request({ method: 'GET', url: `/api/v1/patients/${patientId}/documents` });
  // Trust B's system tries a record Trust B does not look after: refused.
  trustBToken = await tokenFor(t.app, await connectSystem(world.coordinatorB, world.trustB.id));
  await fhir(t.app, trustBToken, 'GET', `Patient/${patientId}`);
  token = await tokenFor(t.app, await connectSystem(world.coordinatorA, world.trustA.id));
  await fhir(t.app, token, 'GET', `Patient/${patientId}`);
});
afterAll(() => t.close());

describe('FHIR AuditEvent search by patient (C4)', () => {
  it('shows who has seen the record and its changes, newest first, in FHIR’s shape; no team work (W2)', async () => {
    const response = await search(`?patient=${world.patient.id}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    const events = eventsOf(response);
    expect(summary(events)).toEqual([
      'patient.read 0',
      'patient.read 4',
      'record.documents_listed 0',
      'record.break_glass 0',
      'document.entered_in_error 0',
      'document.upload_completed 0',
    ]);
    const [newest] = await queryRows<{ id: number; hash: string; occurred_at: Date }>(
      t.db,
      sql`select id, hash, occurred_at from audit_events where patient_id = ${world.patient.id}
          and action = 'patient.read' and outcome = 'success'`,
    );
    expect(events[0]).toEqual({
      resourceType: 'AuditEvent',
      id: String(newest?.id),
      extension: [{ url: AUDIT_HASH_EXTENSION, valueString: newest?.hash }],
      type: {
        system: AUDIT_ACTION_SYSTEM,
        code: 'patient.read',
        display: 'Looked at your details',
      },
      action: 'R',
      recorded: t.clock.now().toISOString(),
      outcome: '0',
      purposeOfEvent: [
        {
          coding: [
            {
              system: ACCESS_BASIS_SYSTEM,
              code: 'connected_system',
              display: 'A computer system of an organisation whose team looks after you',
            },
          ],
        },
      ],
      agent: [{ who: { display: SYSTEM_LABEL }, requestor: true }],
      source: { observer: { display: 'Carethread' } },
      entity: [{ what: { reference: `Patient/${world.patient.id}` } }],
    });
    expect(events[1]?.agent[0]?.who.display).toBe('Ward EPR (a computer system of Trust B)');
    expect(events[3]).toMatchObject({
      action: 'C',
      purposeOfEvent: [{ coding: [{ code: 'break_glass' }] }],
    });
    expect(events[3]).not.toHaveProperty('entity');
    expect(events[4]).toMatchObject({
      action: 'U',
      entity: [{ what: { reference: `DocumentReference/${letterId}` } }],
    });
  });

  it('never sends the details whole: no reasons in anyone’s own words, no addresses or client ids', async () => {
    const response = await search(`?patient=${world.patient.id}`);
    for (const secret of [REASON, 'Mr Smith', DETAIL, 'emergency_care', 'clientId', '127.']) {
      expect(response.body).not.toContain(secret);
    }
  });

  it('pages newest first with _count, following next; reading the trail shows in the next read', async () => {
    const before = eventsOf(await search(`?patient=${world.patient.id}`)).map((e) => e.id);
    const pages = await followPages<Event>(
      t.app,
      token,
      `AuditEvent?patient=${world.patient.id}&_count=2`,
    );
    const events = pages.flatMap((page) => page.entry.map((e) => e.resource));
    expect(before.length).toBeLessThan(20);
    expect(pages.slice(0, -1).every((page) => page.entry.length === 2)).toBe(true);
    // The search just before is at the top, in the patient's words; nothing else moved.
    expect(events[0]?.type).toMatchObject({
      code: 'record.audit_read',
      display: 'Looked at who has seen your record',
    });
    expect(events.slice(1).map((e) => e.id)).toEqual(before);
    expect(pages.at(-1)?.link.map((l) => l.relation)).toEqual(['self']);
  });

  it('names the system in the patient’s “Who has seen my record”', async () => {
    const log = await world.patientClient.request({ method: 'GET', url: '/api/v1/me/access-log' });
    const items = log.json<{ items: { who: string; what: string }[] }>().items;
    expect(items[0]).toMatchObject({
      who: SYSTEM_LABEL,
      what: 'Looked at who has seen your record',
    });
  });

  it('gives an empty Bundle for a record it does not look after (C2), audited as refused', async () => {
    for (const id of [world.patientB.id, world.registeredOnly.id]) {
      const response = await search(`?patient=${id}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ resourceType: 'Bundle', entry: [] });
    }
    const response = await search(`?patient=${world.patient.id}`, trustBToken);
    expect(response.json()).toMatchObject({ entry: [] });
    const refused = await queryRows<{ outcome: string }>(
      t.db,
      sql`select outcome from audit_events where patient_id = ${world.patient.id}
          and action = 'record.audit_read' and actor_label like '%Trust B%'`,
    );
    expect(refused).toEqual([{ outcome: 'denied' }]);
  });

  it('refuses searches it does not know, and a cursor made for another patient', async () => {
    const patient = `patient=${world.patient.id}`;
    for (const query of ['', `?${patient}&action=R`, `?${patient}&_count=-1`, '?patient=x']) {
      expectOutcome(await search(query), 400, 'request.invalid');
    }
    const first = await search(`?${patient}&_count=1`);
    const next = first
      .json<{ link: { relation: string; url: string }[] }>()
      .link.find((l) => l.relation === 'next');
    const cursor = new URL(next?.url ?? '').searchParams.get('_cursor') ?? '';
    expectOutcome(
      await search(`?patient=${world.registeredOnly.id}&_cursor=${cursor}`),
      400,
      'request.invalid_cursor',
    );
    expectOutcome(await search(`?${patient}&_cursor=abc`), 400, 'request.invalid_cursor');
  });

  it('needs a bearer token (401) with the AuditEvent scope (403); reads by id are not served', async () => {
    expectOutcome(await search(`?patient=${world.patient.id}`, ''), 401, 'fhir.invalid_token');
    expectOutcome(
      await fhir(t.app, null, 'GET', `AuditEvent?patient=${world.patient.id}`),
      401,
      'fhir.invalid_token',
    );
    const narrow = await tokenFor(
      t.app,
      await connectSystem(world.coordinatorA, world.trustA.id),
      'system/Patient.read',
    );
    expectOutcome(await search(`?patient=${world.patient.id}`, narrow), 403, 'fhir.scope_missing');
    expect((await fhir(t.app, token, 'GET', 'AuditEvent/1')).statusCode).toBe(404);
  });

  it('names a conversation read, and a message removed, as their Communications', async () => {
    const sent = await send(world.nurseA, conversationId, 'Sent to the wrong patient');
    expect(sent.statusCode, sent.body).toBe(201);
    const messageId = sent.json<{ id: string }>().id;
    const removed = await world.nurseA.request({
      method: 'POST',
      url: `${url.messages(conversationId)}/${messageId}/entered-in-error`,
      payload: { reason: 'Wrong patient' },
    });
    expect(removed.statusCode, removed.body).toBe(200);
    const read = await fhir(t.app, token, 'GET', `Communication/${conversationId}`);
    expect(read.statusCode, read.body).toBe(200);
    const events = eventsOf(await search(`?patient=${world.patient.id}&_count=2`));
    expect(events).toMatchObject([
      {
        type: { code: 'conversation.read' },
        action: 'R',
        entity: [{ what: { reference: `Communication/${conversationId}` } }],
      },
      {
        type: { code: 'message.entered_in_error' },
        entity: [{ what: { reference: `Communication/${messageId}` } }],
      },
    ]);
  });
});
