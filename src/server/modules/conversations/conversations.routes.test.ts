import { sql } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import {
  conversationState,
  expectStatus,
  type Person,
  patient,
  staff,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import { ANONYMOUS_CLIENT, type Client } from '../../../../test/http';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';

/**
 * The same persona × action table as the policy test, through HTTP: each cell runs against
 * a fresh conversation the patient wrote to the participating team, with an individual
 * professional participant and a former participant (added, then left).
 */
const PERSONAS = [
  'patient',
  'patientP5',
  'otherPatient',
  'member',
  'otherTeamMember',
  'manager',
  'individual',
  'recordAccess',
  'former',
  'coordinator',
  'anonymous',
] as const;
type Persona = (typeof PERSONAS)[number];

const OPERATIONS = [
  'getConversation',
  'postMessage',
  'addParticipant',
  'joinConversation',
  'leaveConversation',
  'markConversationRead',
  'assignConversation',
  'archiveConversation',
  'reopenConversation',
  'getTeamInbox',
  'listRecordConversations',
  'listMyConversations',
  'getAccessLog',
  'markMessageSentInError',
] as const;
type Operation = (typeof OPERATIONS)[number];

// prettier-ignore
const EXPECTED: Record<Operation, Record<Persona, number>> = {
  //                         patient       P5              other              member       otherTeam              manager       individual       recordAccess       former       coordinator       anonymous
  getConversation:         { patient: 200, patientP5: 403, otherPatient: 404, member: 200, otherTeamMember: 404, manager: 200, individual: 200, recordAccess: 200, former: 200, coordinator: 404, anonymous: 401 },
  postMessage:             { patient: 201, patientP5: 403, otherPatient: 404, member: 201, otherTeamMember: 404, manager: 201, individual: 201, recordAccess: 403, former: 403, coordinator: 404, anonymous: 401 },
  addParticipant:          { patient: 403, patientP5: 403, otherPatient: 404, member: 200, otherTeamMember: 404, manager: 200, individual: 200, recordAccess: 403, former: 403, coordinator: 404, anonymous: 401 },
  joinConversation:        { patient: 403, patientP5: 403, otherPatient: 403, member: 403, otherTeamMember: 404, manager: 403, individual: 403, recordAccess: 200, former: 200, coordinator: 404, anonymous: 401 },
  leaveConversation:       { patient: 403, patientP5: 403, otherPatient: 403, member: 204, otherTeamMember: 404, manager: 204, individual: 204, recordAccess: 403, former: 403, coordinator: 404, anonymous: 401 },
  markConversationRead:    { patient: 204, patientP5: 403, otherPatient: 404, member: 204, otherTeamMember: 404, manager: 204, individual: 204, recordAccess: 204, former: 204, coordinator: 404, anonymous: 401 },
  assignConversation:      { patient: 403, patientP5: 403, otherPatient: 404, member: 200, otherTeamMember: 404, manager: 200, individual: 403, recordAccess: 403, former: 403, coordinator: 404, anonymous: 401 },
  archiveConversation:     { patient: 403, patientP5: 403, otherPatient: 404, member: 204, otherTeamMember: 404, manager: 204, individual: 403, recordAccess: 403, former: 403, coordinator: 404, anonymous: 401 },
  reopenConversation:      { patient: 403, patientP5: 403, otherPatient: 404, member: 204, otherTeamMember: 404, manager: 204, individual: 403, recordAccess: 403, former: 403, coordinator: 404, anonymous: 401 },
  getTeamInbox:            { patient: 404, patientP5: 403, otherPatient: 404, member: 200, otherTeamMember: 403, manager: 200, individual: 403, recordAccess: 403, former: 403, coordinator: 403, anonymous: 401 },
  // C2/C3: record access lists all the record's conversations; without it a team sees only
  // those it takes part in (every participant here still takes part in earlier cells'
  // conversations, so 200 with those). The coordinator may read the patient's details (to
  // manage registrations) but has no record access and no conversation: 403
  // (conversation.no_record_access).
  listRecordConversations: { patient: 200, patientP5: 403, otherPatient: 404, member: 200, otherTeamMember: 404, manager: 200, individual: 200, recordAccess: 200, former: 200, coordinator: 403, anonymous: 401 },
  listMyConversations:     { patient: 200, patientP5: 403, otherPatient: 200, member: 200, otherTeamMember: 200, manager: 200, individual: 200, recordAccess: 200, former: 200, coordinator: 200, anonymous: 401 },
  getAccessLog:            { patient: 200, patientP5: 403, otherPatient: 200, member: 403, otherTeamMember: 403, manager: 403, individual: 403, recordAccess: 403, former: 403, coordinator: 403, anonymous: 401 },
  // The patient's own first message: its author, or a manager of a team taking part, says it
  // was sent in error (decision 0021).
  markMessageSentInError:  { patient: 200, patientP5: 403, otherPatient: 404, member: 403, otherTeamMember: 404, manager: 200, individual: 403, recordAccess: 403, former: 403, coordinator: 404, anonymous: 401 },
};

/** Who sees the conversation in listMyConversations (M4, C3: record access is not "mine"). */
// prettier-ignore
const LISTED: Record<Persona, boolean> = {
  patient: true, patientP5: false, otherPatient: false, member: true, otherTeamMember: false, manager: true,
  individual: true, recordAccess: false, former: false, coordinator: false, anonymous: false,
};

let t: TestApp;
let team: { id: string };
let extraTeam: { id: string };
let people: Record<Exclude<Persona, 'anonymous' | 'patientP5'>, Person>;
let clients: Record<Persona, Client>;

beforeAll(async () => {
  t = await buildTestApp();
  const db = t.db;
  const app = t.app;
  const here = await createOrganisation(db);
  team = await createTeam(db, here.id, { name: 'Cardiology Nurses', contactable: true });
  const otherTeam = await createTeam(db, here.id, { contactable: true });
  const careTeam = await createTeam(db, here.id, { contactable: false, name: 'GP practice' });
  const individualsTeam = await createTeam(db, here.id, { contactable: false });
  const adminTeam = await createTeam(db, here.id, { contactable: false, name: 'Admin' });
  extraTeam = await createTeam(db, here.id, { contactable: false, name: 'Consultants' });
  const owner = await patient(app, db, [here.id], { careTeamIds: [careTeam.id] });
  people = {
    patient: owner,
    otherPatient: await patient(app, db, [here.id]),
    member: await staff(app, db, here.id, [{ teamId: team.id, role: 'member' }]),
    otherTeamMember: await staff(app, db, here.id, [{ teamId: otherTeam.id, role: 'member' }]),
    manager: await staff(app, db, here.id, [{ teamId: team.id, role: 'manager' }]),
    individual: await staff(app, db, here.id, [{ teamId: individualsTeam.id, role: 'member' }]),
    recordAccess: await staff(app, db, here.id, [{ teamId: careTeam.id, role: 'member' }]),
    former: await staff(app, db, here.id, [{ teamId: individualsTeam.id, role: 'member' }]),
    coordinator: await staff(app, db, here.id, [{ teamId: adminTeam.id, role: 'coordinator' }]),
  };
  clients = {
    ...(Object.fromEntries(Object.entries(people).map(([k, p]) => [k, p.client])) as Record<
      keyof typeof people,
      Client
    >),
    // The same patient, at proofing level P5 while the cell runs (see setLevel).
    patientP5: owner.client,
    anonymous: ANONYMOUS_CLIENT(app),
  };
});
afterAll(() => t.close());

/** The world of one cell: a conversation with every kind of participant. */
async function freshConversation(): Promise<string> {
  t.clock.advance(1000); // newest first in every list
  const id = await startConversation(people.patient.client, [{ teamId: team.id }]);
  const add = (professionalId: string) =>
    expectStatus(
      people.member.client,
      { method: 'POST', url: url.participants(id), payload: { professionalId } },
      200,
    );
  await add(people.individual.id);
  await add(people.former.id);
  await expectStatus(
    people.former.client,
    { method: 'POST', url: url.leave(id), payload: {} },
    204,
  );
  return id;
}

async function setLevel(level: 'P5' | 'P9') {
  await t.db.execute(
    sql`update patients set identity_level = ${level} where id = ${people.patient.id}`,
  );
}

function requestFor(
  operation: Operation,
  persona: Persona,
  id: string,
  firstMessageId = '',
): InjectOptions {
  switch (operation) {
    case 'getConversation':
      return { method: 'GET', url: url.conversation(id) };
    case 'postMessage':
      return { method: 'POST', url: url.messages(id), payload: { body: 'A reply' } };
    case 'addParticipant':
      return { method: 'POST', url: url.participants(id), payload: { teamId: extraTeam.id } };
    case 'joinConversation':
      return { method: 'POST', url: url.join(id) };
    case 'leaveConversation':
      // Team members take their team out; everyone else leaves as themselves.
      return {
        method: 'POST',
        url: url.leave(id),
        payload: persona === 'member' || persona === 'manager' ? { teamId: team.id } : {},
      };
    case 'markConversationRead':
      return { method: 'POST', url: url.read(id), payload: { seq: 1 } };
    case 'assignConversation':
      return { method: 'PUT', url: url.assignment(id, team.id), payload: { assignee: 'me' } };
    case 'archiveConversation':
      return { method: 'POST', url: url.archive(id, team.id) };
    case 'reopenConversation':
      return { method: 'POST', url: url.reopen(id, team.id) };
    case 'getTeamInbox':
      return { method: 'GET', url: url.inbox(team.id) };
    case 'listRecordConversations':
      return { method: 'GET', url: url.record(people.patient.id) };
    case 'listMyConversations':
      return { method: 'GET', url: url.mine };
    case 'getAccessLog':
      return { method: 'GET', url: url.accessLog };
    case 'markMessageSentInError':
      return {
        method: 'POST',
        url: `${url.messages(id)}/${firstMessageId}/entered-in-error`,
        payload: { reason: 'Sent to the wrong team' },
      };
  }
}

async function firstMessageOf(conversationId: string): Promise<string> {
  const rows = await queryRows<{ id: string }>(
    t.db,
    sql`select id from messages where conversation_id = ${conversationId} and seq = 1`,
  );
  return rows[0]?.id ?? '';
}

const cells = OPERATIONS.flatMap((operation) =>
  PERSONAS.map((persona) => ({ operation, persona, status: EXPECTED[operation][persona] })),
);

describe('conversation routes: persona × operation (DESIGN §4, M1–M3, W1, W2, C3, C5)', () => {
  it('has a cell for every persona × operation, and nothing else', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...OPERATIONS].sort());
    for (const operation of OPERATIONS) {
      expect(Object.keys(EXPECTED[operation]).sort()).toEqual([...PERSONAS].sort());
    }
    expect(cells).toHaveLength(OPERATIONS.length * PERSONAS.length);
  });

  test.each(cells)('$persona → $operation: $status', async ({ operation, persona, status }) => {
    const id = await freshConversation();
    const before = await conversationState(t.db, id);
    if (persona === 'patientP5') await setLevel('P5');
    let response;
    try {
      response = await clients[persona].request(
        requestFor(operation, persona, id, await firstMessageOf(id)),
      );
    } finally {
      if (persona === 'patientP5') await setLevel('P9');
    }
    expect(response.statusCode, response.body.slice(0, 300)).toBe(status);
    if (status >= 400) {
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      if (persona === 'patientP5') {
        expect(response.json<{ code: string }>().code).toBe('identity.verification_required');
      }
      if (operation === 'listRecordConversations' && persona === 'coordinator') {
        expect(response.json<{ code: string }>().code).toBe('conversation.no_record_access');
      }
      // A refusal changes nothing: no message, participant, team work or read mark.
      expect(await conversationState(t.db, id)).toEqual(before);
    }
    if (operation === 'listMyConversations' && status === 200) {
      const ids = response.json<{ items: { id: string }[] }>().items.map((i) => i.id);
      expect(ids.includes(id)).toBe(LISTED[persona]);
    }
    if (operation === 'listRecordConversations' && status === 200) {
      const ids = response.json<{ items: { id: string }[] }>().items.map((i) => i.id);
      // C2: without record access, a conversation one has left is no longer in one's view.
      expect(ids.includes(id)).toBe(persona !== 'former');
    }
  });
});

describe('what the successful cells did', () => {
  it('W1: a member assigning to themselves holds the work; C3: joining makes a participant', async () => {
    const id = await freshConversation();
    const assigned = await expectStatus(
      people.member.client,
      requestFor('assignConversation', 'member', id),
      200,
    );
    expect(assigned.json()).toEqual({
      assignee: { professionalId: people.member.id, name: people.member.name },
    });
    const joined = await expectStatus(
      people.recordAccess.client,
      requestFor('joinConversation', 'recordAccess', id),
      200,
    );
    expect(joined.json<{ readOnly: boolean; actions: { reply: boolean } }>()).toMatchObject({
      readOnly: false,
      actions: { reply: true },
    });
  });
});
