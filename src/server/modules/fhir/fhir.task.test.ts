import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assign,
  expectStatus,
  send,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import {
  connectSystem,
  createIntegrationWorld,
  fhir,
  followPages,
  type IntegrationWorld,
  type SearchsetBody,
  tokenFor,
} from '../../../../test/integration-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';
import { taskId, WAITING_SINCE_EXTENSION } from './fhir.task';

let t: TestApp;
let world: IntegrationWorld;
let token: string;
let tokenB: string;
/** The patient writes to Cardiology; Cardiology brings in Trust B's team. */
let conversationId: string;

interface TaskBody {
  id: string;
  status: string;
  extension?: { url: string; valueDateTime: string }[];
  owner: { display: string };
}

const get = (path: string, bearer: string | null = token) => fhir(t.app, bearer, 'GET', path);
const task = async (id = taskId(conversationId, world.cardiology.id)) => {
  const response = await get(`Task/${id}`);
  expect(response.statusCode, response.body).toBe(200);
  return response;
};
const codeOf = (body: { issue: { details: { coding: { code: string }[] } }[] }) =>
  body.issue[0]?.details.coding[0]?.code;

beforeAll(async () => {
  t = await buildTestApp();
  world = await createIntegrationWorld(t.app, t.db);
  token = await tokenFor(t.app, await connectSystem(world.coordinatorA, world.trustA.id));
  tokenB = await tokenFor(t.app, await connectSystem(world.coordinatorB, world.trustB.id));
  conversationId = await startConversation(world.patientClient, [{ teamId: world.cardiology.id }]);
  t.clock.advance(1000);
  await expectStatus(
    world.nurseA,
    { method: 'POST', url: url.participants(conversationId), payload: { teamId: world.teamB.id } },
    200,
  );
});
afterAll(() => t.close());

describe('FHIR Task: each team’s work on a conversation (W1–W5)', () => {
  it('an open, unassigned piece of work is requested, with since when the patient waits', async () => {
    const response = await task();
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    const id = taskId(conversationId, world.cardiology.id);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(response.json()).toEqual({
      resourceType: 'Task',
      id,
      extension: [{ url: WAITING_SINCE_EXTENSION, valueDateTime: '2026-11-25T09:00:00.000Z' }],
      status: 'requested',
      intent: 'order',
      focus: { reference: `Communication/${conversationId}` },
      for: { reference: `Patient/${world.patient.id}` },
      authoredOn: '2026-11-25T09:00:00.000Z',
      lastModified: '2026-11-25T09:00:00.000Z',
      owner: { display: 'Cardiology' },
    });
  });

  it('assigned is in-progress, naming the team and never the assignee (W1, W2)', async () => {
    t.clock.advance(1000);
    const assigned = await assign(world.nurseA, conversationId, world.cardiology.id);
    expect(assigned.statusCode).toBe(200);
    const nurseName = assigned.json<{ assignee: { name: string } }>().assignee.name;
    expect(nurseName).toMatch(/^Staff /);
    const response = await task();
    expect(response.json()).toMatchObject({
      status: 'in-progress',
      owner: { display: 'Cardiology' },
      lastModified: '2026-11-25T09:00:02.000Z',
    });
    expect(response.body).not.toContain(nurseName);
    const list = await get(`Task?patient=${world.patient.id}`);
    expect(list.body).not.toContain(nurseName);
  });

  it('archived is completed, and a new message from the patient requests it again (W4, W5)', async () => {
    t.clock.advance(1000);
    await expectStatus(
      world.nurseA,
      { method: 'POST', url: url.archive(conversationId, world.cardiology.id) },
      204,
    );
    const done = (await task()).json<TaskBody>();
    expect(done).toMatchObject({ status: 'completed', lastModified: '2026-11-25T09:00:03.000Z' });
    expect(done.extension).toBeUndefined();
    t.clock.advance(1000);
    expect((await send(world.patientClient, conversationId, 'One more thing')).statusCode).toBe(
      201,
    );
    expect((await task()).json<TaskBody>()).toMatchObject({
      status: 'requested',
      extension: [{ url: WAITING_SINCE_EXTENSION, valueDateTime: '2026-11-25T09:00:04.000Z' }],
    });
  });

  it("lists only its own organisation's teams' work: focus and patient (another organisation's work is not theirs)", async () => {
    const mine = taskId(conversationId, world.cardiology.id);
    const focus = await get(`Task?focus=Communication/${conversationId}`);
    expect(focus.statusCode).toBe(200);
    expect(focus.json<SearchsetBody>().entry.map((e) => e.resource.id)).toEqual([mine]);
    const theirs = await get(`Task/${taskId(conversationId, world.teamB.id)}`);
    expect(theirs.statusCode).toBe(404);
    expect(codeOf(theirs.json())).toBe('fhir.not_found');
    // Trust B's team takes part, but Trust B does not look after the record (decision 0022).
    expect((await get(`Task?focus=${conversationId}`, tokenB)).statusCode).toBe(404);
    expect((await get(`Task/${taskId(conversationId, world.teamB.id)}`, tokenB)).statusCode).toBe(
      404,
    );
    const list = await get(`Task?patient=${world.patient.id}`, tokenB);
    expect(list.json<SearchsetBody>().entry).toEqual([]);
  });

  it("patient lists the record's work, newest conversation first, a page at a time", async () => {
    t.clock.advance(1000);
    const later = await startConversation(world.patientClient, [{ teamId: world.cardiology.id }]);
    const pages = await followPages<TaskBody>(
      t.app,
      token,
      `Task?patient=Patient/${world.patient.id}&_count=1`,
    );
    expect(pages.map((p) => p.entry.map((e) => e.resource.id))).toEqual([
      [taskId(later, world.cardiology.id)],
      [taskId(conversationId, world.cardiology.id)],
    ]);
    expect(pages[0]?.link[0]?.url).toBe(
      `${t.deps.config.publicUrl}/fhir/R4/Task?patient=Patient%2F${world.patient.id}&_count=1`,
    );
  });
});

describe('FHIR Task: refusals', () => {
  it('401 without a token, 403 without the Task scope', async () => {
    expect((await get(`Task?patient=${world.patient.id}`, null)).statusCode).toBe(401);
    const credentials = await connectSystem(world.coordinatorA, world.trustA.id, undefined, 'PAS');
    const patientOnly = await tokenFor(t.app, credentials, 'system/Patient.read');
    const refused = await get(`Task/${taskId(conversationId, world.cardiology.id)}`, patientOnly);
    expect(refused.statusCode).toBe(403);
    expect(codeOf(refused.json())).toBe('fhir.scope_missing');
  });

  it('404 for unknown work; 400 for malformed ids, both or neither parameter, unknown ones', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await get(`Task/${taskId(unknown, world.cardiology.id)}`)).statusCode).toBe(404);
    expect((await get(`Task?focus=${unknown}`)).statusCode).toBe(404);
    expect((await get(`Task/${conversationId}`)).statusCode).toBe(400);
    for (const query of ['', `patient=${world.patient.id}&focus=${conversationId}`]) {
      const response = await get(`Task?${query}`);
      expect(response.statusCode).toBe(400);
      expect(codeOf(response.json())).toBe('fhir.search_parameter_required');
    }
    for (const query of [`patient=${world.patient.id}&owner=x`, `focus=Task/${conversationId}`]) {
      expect((await get(`Task?${query}`)).statusCode, query).toBe(400);
    }
    // A cursor this server did not make never reaches the query.
    const forged = Buffer.from(
      JSON.stringify(['2026-11-25T09:00:00.000Z', 'not-an-id', world.cardiology.id]),
    ).toString('base64url');
    const cursor = await get(`Task?patient=${world.patient.id}&_cursor=${forged}`);
    expect(cursor.statusCode).toBe(400);
    expect(codeOf(cursor.json())).toBe('request.invalid_cursor');
  });
});

describe('FHIR Task: audited (C4)', () => {
  it('a read or a focus search is conversation.read; a search by patient is record.conversations_listed; a refused read is denied', async () => {
    const before = await queryRows<{ n: number }>(
      t.db,
      sql`select max(id)::int as n from audit_events`,
    );
    await task();
    await get(`Task?focus=${conversationId}`);
    await get(`Task?patient=${world.patient.id}`);
    await get(`Task/${taskId(conversationId, world.teamB.id)}`);
    // No such work at all: a 404, and nothing refused to audit.
    await get(`Task/${taskId(conversationId, '00000000-0000-4000-8000-000000000000')}`);
    const rows = await queryRows<{ action: string; outcome: string; actor_label: string }>(
      t.db,
      sql`select action, outcome, actor_label from audit_events
           where id > ${before[0]?.n ?? 0} and patient_id = ${world.patient.id} order by id`,
    );
    expect(rows).toEqual(
      [
        ['conversation.read', 'success'],
        ['conversation.read', 'success'],
        ['record.conversations_listed', 'success'],
        // Another organisation's team's work: refused, and recorded as refused.
        ['conversation.read', 'denied'],
      ].map(([action, outcome]) => ({
        action,
        outcome,
        actor_label: 'Ward EPR (a computer system of Trust A)',
      })),
    );
  });
});
