import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectStatus,
  type ConversationView,
  open,
  send,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { makePdf, settled, upload } from '../../../../test/documents-world';
import { signIn } from '../../../../test/http';
import {
  connectSystem,
  createIntegrationWorld,
  fhir,
  followPages,
  type IntegrationWorld,
  type SearchsetBody,
  tokenFor,
  SYSTEM_LABEL,
} from '../../../../test/integration-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';
import { MESSAGE_SEQUENCE_EXTENSION } from './fhir.communication';

let t: TestApp;
let world: IntegrationWorld;
let token: string;
let tokenB: string;

/** The patient's conversation with Cardiology: question, the nurse's reply, then a slip. */
let chat: { id: string; view: ConversationView; messageIds: string[] };

const base = () => `${t.deps.config.publicUrl}/fhir/R4`;
const get = (path: string, bearer: string | null = token) => fhir(t.app, bearer, 'GET', path);
const tick = () => t.clock.advance(1000);
const codeOf = (body: { issue: { details: { coding: { code: string }[] } }[] }) =>
  body.issue[0]?.details.coding[0]?.code;
const systemReads = (patientId: string) =>
  queryRows<{ action: string; outcome: string; actor_label: string; entity_id: string }>(
    t.db,
    sql`select action, outcome, actor_label, entity_id from audit_events
         where patient_id = ${patientId} and details ->> 'basis' = 'connected_system' order by id`,
  );

beforeAll(async () => {
  t = await buildTestApp();
  world = await createIntegrationWorld(t.app, t.db);
  token = await tokenFor(t.app, await connectSystem(world.coordinatorA, world.trustA.id));
  tokenB = await tokenFor(t.app, await connectSystem(world.coordinatorB, world.trustB.id));
  const id = await startConversation(world.patientClient, [{ teamId: world.cardiology.id }], {
    subject: 'Chest pain after exercise',
    body: 'I get chest pain when I run.',
  });
  tick();
  expect((await send(world.nurseA, id, 'Please come in on Monday.')).statusCode).toBe(201);
  tick();
  expect((await send(world.patientClient, id, 'Meant for my GP, sorry.')).statusCode).toBe(201);
  const view = await open(world.nurseA, id);
  const messageIds = (view as unknown as { messages: { id: string }[] }).messages.map((m) => m.id);
  await expectStatus(
    world.patientClient,
    {
      method: 'POST',
      url: `${url.messages(id)}/${messageIds[2]}/entered-in-error`,
      payload: { reason: 'Wrong recipient' },
    },
    200,
  );
  chat = { id, view, messageIds };
});
afterAll(() => t.close());

describe('FHIR Communication: thread headers and messages', () => {
  it('reads a conversation as an in-progress thread header, as application/fhir+json', async () => {
    const response = await get(`Communication/${chat.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(response.json()).toEqual({
      resourceType: 'Communication',
      id: chat.id,
      status: 'in-progress',
      subject: { reference: `Patient/${world.patient.id}` },
      topic: { text: 'Chest pain after exercise' },
      sent: '2026-11-25T09:00:00.000Z',
      sender: {
        reference: `Patient/${world.patient.id}`,
        display: chat.view.messages[0]?.authorName,
      },
      recipient: [{ display: 'Cardiology, Trust A' }],
    });
  });

  it('reads a staff message with its sequence (M6), sender with team and text', async () => {
    const response = await get(`Communication/${chat.messageIds[1]}`);
    expect(response.statusCode).toBe(200);
    expect(chat.view.messages[1]?.authorName).toMatch(/, Cardiology$/);
    expect(response.json()).toEqual({
      resourceType: 'Communication',
      id: chat.messageIds[1],
      extension: [{ url: MESSAGE_SEQUENCE_EXTENSION, valueInteger: 2 }],
      status: 'completed',
      partOf: [{ reference: `Communication/${chat.id}` }],
      subject: { reference: `Patient/${world.patient.id}` },
      sent: '2026-11-25T09:00:01.000Z',
      sender: { display: chat.view.messages[1]?.authorName },
      payload: [{ contentString: 'Please come in on Monday.' }],
    });
  });

  it('shows a message sent in error as entered-in-error, with no text (decision 0021)', async () => {
    const response = await get(`Communication/${chat.messageIds[2]}`);
    expect(response.statusCode).toBe(200);
    // Its place (M6), time and author stay; its text and files go.
    expect(response.json()).toEqual({
      resourceType: 'Communication',
      id: chat.messageIds[2],
      extension: [{ url: MESSAGE_SEQUENCE_EXTENSION, valueInteger: 3 }],
      status: 'entered-in-error',
      partOf: [{ reference: `Communication/${chat.id}` }],
      subject: { reference: `Patient/${world.patient.id}` },
      sent: '2026-11-25T09:00:02.000Z',
      sender: {
        reference: `Patient/${world.patient.id}`,
        display: chat.view.messages[2]?.authorName,
      },
    });
    expect(response.body).not.toContain('Meant for my GP');
  });

  it('part-of lists the messages in sequence order (M6), a page at a time with _count and next', async () => {
    const path = `Communication?part-of=Communication/${chat.id}&_count=1`;
    const pages = await followPages<{ id: string; extension: { valueInteger: number }[] }>(
      t.app,
      token,
      path,
    );
    expect(pages.map((p) => p.entry.map((e) => e.resource.id))).toEqual([
      [chat.messageIds[0]],
      [chat.messageIds[1]],
      [chat.messageIds[2]],
    ]);
    expect(pages.flatMap((p) => p.entry.map((e) => e.resource.extension[0]?.valueInteger))).toEqual(
      [1, 2, 3],
    );
    const first = pages[0]!;
    expect(first.link[0]).toEqual({
      relation: 'self',
      url: `${base()}/Communication?part-of=Communication%2F${chat.id}&_count=1`,
    });
    expect(first.entry[0]).toMatchObject({
      fullUrl: `${base()}/Communication/${chat.messageIds[0]}`,
      search: { mode: 'match' },
    });
    expect(pages.at(-1)?.link.map((l) => l.relation)).toEqual(['self']);
    // The bare id is the same search.
    const bare = (await get(`Communication?part-of=${chat.id}`)).json<SearchsetBody>();
    expect(bare.entry).toHaveLength(3);
  });

  it("patient lists the record's thread headers, newest first, paged", async () => {
    tick();
    const later = await startConversation(world.patientClient, [{ teamId: world.cardiology.id }], {
      subject: 'Repeat prescription',
    });
    const pages = await followPages<{ id: string; partOf?: unknown }>(
      t.app,
      token,
      `Communication?patient=${world.patient.id}&_count=1`,
    );
    expect(pages.map((p) => p.entry.map((e) => e.resource.id))).toEqual([[later], [chat.id]]);
    expect(pages.flatMap((p) => p.entry).every((e) => e.resource.partOf === undefined)).toBe(true);
    const all = (
      await get(`Communication?patient=Patient/${world.patient.id}`)
    ).json<SearchsetBody>();
    expect(all.entry.map((e) => e.resource.id)).toEqual([later, chat.id]);
  });

  it('refers to the documents a message carried, once they can be opened', async () => {
    const documentId = await upload(
      world.patientClient,
      { patientId: world.patient.id, filename: 'ecg.pdf' },
      await makePdf('ECG'),
    );
    const started = await expectStatus(
      world.patientClient,
      {
        method: 'POST',
        url: url.conversations,
        payload: {
          subject: 'My ECG',
          body: 'Attached',
          recipients: [{ teamId: world.cardiology.id }],
          documentIds: [documentId],
        },
      },
      201,
    );
    expect((await settled(world.nurseA, documentId)).status).toBe('available');
    const { messages } = started.json<{ messages: { id: string }[] }>();
    const response = await get(`Communication/${messages[0]?.id}`);
    expect(response.json<{ payload: unknown[] }>().payload).toEqual([
      { contentString: 'Attached' },
      { contentReference: { reference: `DocumentReference/${documentId}`, display: 'ecg.pdf' } },
    ]);
  });
});

describe('FHIR Communication: who may read (decision 0022, C2)', () => {
  it('needs a bearer token (401) with the Communication scope (403)', async () => {
    const none = await get(`Communication/${chat.id}`, null);
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(none.json()).toMatchObject({ resourceType: 'OperationOutcome' });
    const credentials = await connectSystem(world.coordinatorA, world.trustA.id, undefined, 'PAS');
    const patientOnly = await tokenFor(t.app, credentials, 'system/Patient.read');
    for (const path of [`Communication/${chat.id}`, `Communication?patient=${world.patient.id}`]) {
      const refused = await get(path, patientOnly);
      expect(refused.statusCode).toBe(403);
      expect(codeOf(refused.json())).toBe('fhir.scope_missing');
    }
  });

  it("another organisation's system: 404 for the conversation, its messages and part-of; an empty Bundle by patient", async () => {
    for (const path of [
      `Communication/${chat.id}`,
      `Communication/${chat.messageIds[0]}`,
      `Communication?part-of=Communication/${chat.id}`,
    ]) {
      const response = await get(path, tokenB);
      expect(response.statusCode, path).toBe(404);
      expect(codeOf(response.json())).toBe('fhir.not_found');
    }
    const list = await get(`Communication?patient=${world.patient.id}`, tokenB);
    expect(list.statusCode).toBe(200);
    expect(list.json<SearchsetBody>().entry).toEqual([]);
  });

  it("Trust A's system does not see Trust B's patient's conversation, nor a registered patient it does not look after", async () => {
    const patientB = await signIn(t.app, world.patientB.email);
    const theirs = await startConversation(patientB, [{ teamId: world.teamB.id }]);
    expect((await get(`Communication/${theirs}`)).statusCode).toBe(404);
    for (const patientId of [world.patientB.id, world.registeredOnly.id]) {
      const list = await get(`Communication?patient=${patientId}`);
      expect(list.json<SearchsetBody>().entry).toEqual([]);
    }
    expect((await get(`Communication?patient=${world.patientB.id}`, tokenB)).json()).toMatchObject({
      entry: [{ resource: { id: theirs } }],
    });
  });

  it('shows a conversation the patient made private from carers: private from carers, not from the hospital (C1, C3)', async () => {
    const secret = await startConversation(world.patientClient, [{ teamId: world.cardiology.id }]);
    await expectStatus(
      world.patientClient,
      {
        method: 'PUT',
        url: `/api/v1/conversations/${secret}/privacy`,
        payload: { privateFromCarers: true },
      },
      200,
    );
    expect((await get(`Communication/${secret}`)).statusCode).toBe(200);
  });

  it('404 for ids that are nothing', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const path of [`Communication/${unknown}`, `Communication?part-of=${unknown}`]) {
      const response = await get(path);
      expect(response.statusCode).toBe(404);
      expect(codeOf(response.json())).toBe('fhir.not_found');
    }
    const list = await get(`Communication?patient=${unknown}`);
    expect(list.json<SearchsetBody>().entry).toEqual([]);
  });

  it('400 for a search that names neither or both starting points, unknown or malformed parameters', async () => {
    const both = `patient=${world.patient.id}&part-of=Communication/${chat.id}`;
    for (const query of ['', both]) {
      const response = await get(`Communication?${query}`);
      expect(response.statusCode).toBe(400);
      expect(codeOf(response.json())).toBe('fhir.search_parameter_required');
    }
    for (const query of [
      `patient=${world.patient.id}&subject=Patient/${world.patient.id}`,
      `patient=${world.patient.id}&_count=0`,
      `patient=${world.patient.id}&_count=1.5`,
      'patient=Practitioner/1',
      `part-of=Patient/${world.patient.id}`,
    ]) {
      const response = await get(`Communication?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(codeOf(response.json())).toBe('request.invalid');
    }
    const huge = Buffer.from(JSON.stringify(['99999999999', chat.id])).toString('base64url');
    for (const query of [
      `patient=${world.patient.id}&_cursor=nonsense`,
      `patient=${world.patient.id}&_cursor=${huge}`,
      `part-of=${chat.id}&_cursor=${huge}`,
    ]) {
      const cursor = await get(`Communication?${query}`);
      expect(cursor.statusCode, query).toBe(400);
      expect(codeOf(cursor.json())).toBe('request.invalid_cursor');
    }
    expect((await get('Communication/not-a-uuid')).statusCode).toBe(400);
  });
});

describe('FHIR Communication: audited (C4)', () => {
  it("writes conversation.read and record.conversations_listed; the patient's log names the system", async () => {
    const before = (await systemReads(world.patient.id)).length;
    await get(`Communication/${chat.id}`);
    await get(`Communication?part-of=${chat.id}`);
    await get(`Communication?patient=${world.patient.id}`);
    await get(`Communication/${chat.id}`, tokenB);
    const rows = (await systemReads(world.patient.id)).slice(before);
    expect(rows.map((r) => [r.action, r.outcome, r.entity_id])).toEqual([
      ['conversation.read', 'success', chat.id],
      ['conversation.read', 'success', chat.id],
      ['record.conversations_listed', 'success', world.patient.id],
      // Trust B's refused read is kept, and never as a success.
      ['conversation.read', 'denied', chat.id],
    ]);
    expect(rows[0]?.actor_label).toBe(SYSTEM_LABEL);
    const log = await expectStatus(world.patientClient, { method: 'GET', url: url.accessLog }, 200);
    const items = log.json<{ items: { who: string; what: string; why: string }[] }>().items;
    expect(items.slice(0, 3)).toEqual([
      expect.objectContaining({
        who: SYSTEM_LABEL,
        what: 'Looked at the list of your conversations',
        why: 'A computer system of an organisation whose team looks after you',
      }),
      expect.objectContaining({ who: SYSTEM_LABEL, what: 'Read a conversation' }),
      expect.objectContaining({ who: SYSTEM_LABEL, what: 'Read a conversation' }),
    ]);
    expect(items.some((i) => i.who.includes('Trust B'))).toBe(false);
  });
});
