import { sql } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import {
  archive,
  assign,
  count,
  expectStatus,
  open,
  type Person,
  patient,
  send,
  staff,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { verifyAuditChain } from '../../platform/audit/audit';
import { queryRows, withTransaction } from '../../platform/db/database';

let t: TestApp;
let here: { id: string };
let nurses: { id: string };
let consultants: { id: string };
let inactive: { id: string };
let gp: { id: string };
let elsewhereTeam: { id: string };
let elsewhereHidden: { id: string };
let writer: Person;
let unverified: Person;
let nurse: Person;
let contactableDoctor: Person;
let quietDoctor: Person;
let gpDoctor: Person;
let unverifiedConversation: string;

beforeAll(async () => {
  t = await buildTestApp();
  here = await createOrganisation(t.db);
  const elsewhere = await createOrganisation(t.db);
  nurses = await createTeam(t.db, here.id, { name: 'Cardiology Nurses', contactable: true });
  consultants = await createTeam(t.db, here.id, { name: 'Consultants', contactable: false });
  inactive = await createTeam(t.db, here.id, {
    name: 'Old Team',
    contactable: true,
    active: false,
  });
  gp = await createTeam(t.db, here.id, { name: 'GP', contactable: false });
  elsewhereTeam = await createTeam(t.db, elsewhere.id, { name: 'Other PALS', contactable: true });
  elsewhereHidden = await createTeam(t.db, elsewhere.id, {
    name: 'Other back office',
    contactable: false,
  });
  writer = await patient(t.app, t.db, [here.id], { careTeamIds: [gp.id] });
  unverified = await patient(t.app, t.db, [here.id], { identityLevel: 'P5', careTeamIds: [gp.id] });
  nurse = await staff(t.app, t.db, here.id, [{ teamId: nurses.id, role: 'member' }]);
  contactableDoctor = await staff(t.app, t.db, here.id, [
    { teamId: consultants.id, role: 'member', contactable: true },
  ]);
  quietDoctor = await staff(t.app, t.db, here.id, [
    { teamId: consultants.id, role: 'member', contactable: false },
  ]);
  gpDoctor = await staff(t.app, t.db, here.id, [{ teamId: gp.id, role: 'member' }]);
  // Staff may start a conversation in the unverified patient's record (M2).
  const started = await expectStatus(
    gpDoctor.client,
    {
      method: 'POST',
      url: url.conversations,
      payload: {
        subject: 'Results',
        body: 'Please call us.',
        patientId: unverified.id,
        asTeamId: gp.id,
      },
    },
    201,
  );
  unverifiedConversation = started.json<{ id: string }>().id;
});
afterAll(() => t.close());

const totals = async () => ({
  conversations: await count(t.db, sql`select count(*)::int as n from conversations`),
  messages: await count(t.db, sql`select count(*)::int as n from messages`),
  participants: await count(t.db, sql`select count(*)::int as n from conversation_participants`),
  reads: await count(t.db, sql`select count(*)::int as n from conversation_reads`),
});

describe('only P9 patients read or send content (C5)', () => {
  const requests = (): [string, InjectOptions][] => [
    [
      'createConversation',
      {
        method: 'POST',
        url: url.conversations,
        payload: { subject: 'Hi', body: 'Hello', recipients: [{ teamId: nurses.id }] },
      },
    ],
    ['getConversation', { method: 'GET', url: url.conversation(unverifiedConversation) }],
    [
      'postMessage',
      { method: 'POST', url: url.messages(unverifiedConversation), payload: { body: 'Hi' } },
    ],
    ['listMyConversations', { method: 'GET', url: url.mine }],
    [
      'markConversationRead',
      { method: 'POST', url: url.read(unverifiedConversation), payload: { seq: 1 } },
    ],
    ['listMyRecipients', { method: 'GET', url: url.recipients }],
    ['getAccessLog', { method: 'GET', url: url.accessLog }],
    ['listRecordConversations', { method: 'GET', url: url.record(unverified.id) }],
  ];

  const names = [
    'createConversation',
    'getConversation',
    'postMessage',
    'listMyConversations',
    'markConversationRead',
    'listMyRecipients',
    'getAccessLog',
    'listRecordConversations',
  ];
  it('names every request', () => {
    expect(requests().map(([name]) => name)).toEqual(names);
  });

  test.each(names)('a P5 patient gets 403 from %s', async (name) => {
    const request = requests().find(([n]) => n === name)![1];
    const before = await totals();
    const response = await unverified.client.request(request);
    expect(response.statusCode, response.body).toBe(403);
    expect(response.json<{ code: string }>().code).toBe('identity.verification_required');
    expect(response.body).not.toContain('Please call us.');
    expect(await totals()).toEqual(before);
  });
});

describe('who a patient may write to (M1)', () => {
  const refusedRecipients = () => [
    { name: 'a non-contactable team', recipient: { teamId: consultants.id } },
    {
      name: 'a team of an organisation they are not registered with',
      recipient: { teamId: elsewhereTeam.id },
    },
    { name: 'an unknown team id', recipient: { teamId: '00000000-0000-4000-8000-000000000000' } },
    { name: 'an inactive team', recipient: { teamId: inactive.id } },
    {
      name: 'a professional who is not contactable',
      recipient: { professionalId: quietDoctor.id },
    },
    {
      name: 'an unknown professional id',
      recipient: { professionalId: '00000000-0000-4000-8000-000000000001' },
    },
  ];

  const recipientNames = [
    'a non-contactable team',
    'a team of an organisation they are not registered with',
    'an unknown team id',
    'an inactive team',
    'a professional who is not contactable',
    'an unknown professional id',
  ];
  it('names every refused recipient', () => {
    expect(refusedRecipients().map((r) => r.name)).toEqual(recipientNames);
  });

  test.each(recipientNames)('refuses %s with 422, creating nothing', async (name) => {
    const { recipient } = refusedRecipients().find((r) => r.name === name)!;
    const before = await totals();
    const response = await writer.client.request({
      method: 'POST',
      url: url.conversations,
      payload: { subject: 'Hi', body: 'Hello', recipients: [{ teamId: nurses.id }, recipient] },
    });
    expect(response.statusCode, response.body).toBe(422);
    const problem = response.json<{ code: string; errors: { field: string }[] }>();
    expect(problem.code).toBe('conversation.recipient_not_contactable');
    expect(problem.errors.map((e) => e.field)).toEqual(['body/recipients/1']);
    expect(await totals()).toEqual(before);
  });

  it('offers only contactable, active teams and staff of their organisations', async () => {
    const response = await expectStatus(writer.client, { method: 'GET', url: url.recipients }, 200);
    const offered = response.json<{ teams: { id: string }[]; professionals: { id: string }[] }>();
    expect(offered.teams.map((x) => x.id)).toEqual([nurses.id]);
    expect(offered.professionals.map((x) => x.id)).toEqual([contactableDoctor.id]);
  });

  it('allows a contactable professional, who then takes part as themselves', async () => {
    const id = await startConversation(writer.client, [{ professionalId: contactableDoctor.id }]);
    const view = await open(contactableDoctor.client, id);
    expect(view.actions.reply).toBe(true);
    expect((await send(contactableDoctor.client, id, 'Hello')).statusCode).toBe(201);
  });

  it('staff choose recipients differently: listMyRecipients is for patients', async () => {
    const response = await nurse.client.request({ method: 'GET', url: url.recipients });
    expect(response.statusCode).toBe(403);
    expect(response.json<{ code: string }>().code).toBe('conversation.patients_only');
  });
});

describe('who staff may bring in (M2)', () => {
  it('adds an active team of another organisation, contactable or not', async () => {
    const id = await startConversation(writer.client, [{ teamId: nurses.id }]);
    for (const teamId of [elsewhereHidden.id, elsewhereTeam.id, consultants.id]) {
      await expectStatus(
        nurse.client,
        { method: 'POST', url: url.participants(id), payload: { teamId } },
        200,
      );
    }
    await expectStatus(
      nurse.client,
      { method: 'POST', url: url.participants(id), payload: { professionalId: quietDoctor.id } },
      200,
    );
    const again = await nurse.client.request({
      method: 'POST',
      url: url.participants(id),
      payload: { teamId: consultants.id },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ code: string }>().code).toBe('conversation.already_participant');
  });

  it('refuses an inactive or unknown team with 400, adding nothing', async () => {
    const id = await startConversation(writer.client, [{ teamId: nurses.id }]);
    for (const teamId of [inactive.id, '00000000-0000-4000-8000-000000000000']) {
      const before = await totals();
      const response = await nurse.client.request({
        method: 'POST',
        url: url.participants(id),
        payload: { teamId },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json<{ errors: { code: string }[] }>().errors[0]?.code).toBe(
        'conversation.unknown_participant',
      );
      expect(await totals()).toEqual(before);
    }
  });

  it('starts a conversation only with a patient their team has a care relationship with', async () => {
    const refused = await nurse.client.request({
      method: 'POST',
      url: url.conversations,
      payload: { subject: 'Hi', body: 'Hello', patientId: writer.id, asTeamId: nurses.id },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ code: string }>().code).toBe('conversation.no_record_access');
    const started = await gpDoctor.client.request({
      method: 'POST',
      url: url.conversations,
      payload: {
        subject: 'Hi',
        body: 'Hello',
        patientId: writer.id,
        asTeamId: gp.id,
        recipients: [{ teamId: consultants.id }],
      },
    });
    expect(started.statusCode, started.body).toBe(201);
  });
});

describe('bad input is refused with stable codes and creates nothing', () => {
  let id: string;
  beforeAll(async () => {
    id = await startConversation(writer.client, [{ teamId: nurses.id }]);
  });
  const long = 'x'.repeat(10_001);
  const cases = (): { name: string; request: InjectOptions; status: number; code: string }[] => [
    {
      name: 'a body of 10,001 characters',
      request: { method: 'POST', url: url.messages(id), payload: { body: long } },
      status: 400,
      code: 'request.invalid',
    },
    {
      name: 'an empty body',
      request: { method: 'POST', url: url.messages(id), payload: { body: '' } },
      status: 400,
      code: 'request.invalid',
    },
    {
      name: 'an unknown field on a message',
      request: { method: 'POST', url: url.messages(id), payload: { body: 'Hi', urgent: true } },
      status: 400,
      code: 'request.invalid',
    },
    {
      name: 'a subject of 10,001 characters',
      request: {
        method: 'POST',
        url: url.conversations,
        payload: { subject: long, body: 'Hi', recipients: [{ teamId: nurses.id }] },
      },
      status: 400,
      code: 'request.invalid',
    },
    {
      name: 'a first message of 10,001 characters',
      request: {
        method: 'POST',
        url: url.conversations,
        payload: { subject: 'Hi', body: long, recipients: [{ teamId: nurses.id }] },
      },
      status: 400,
      code: 'request.invalid',
    },
    {
      name: 'an unknown field on a conversation',
      request: {
        method: 'POST',
        url: url.conversations,
        payload: { subject: 'Hi', body: 'Hi', recipients: [{ teamId: nurses.id }], priority: 1 },
      },
      status: 400,
      code: 'request.invalid',
    },
    {
      name: 'no recipients',
      request: {
        method: 'POST',
        url: url.conversations,
        payload: { subject: 'Hi', body: 'Hi', recipients: [] },
      },
      status: 400,
      code: 'request.invalid',
    },
    {
      name: 'a recipient id that is not a uuid',
      request: {
        method: 'POST',
        url: url.conversations,
        payload: { subject: 'Hi', body: 'Hi', recipients: [{ teamId: 'nurses' }] },
      },
      status: 400,
      code: 'request.invalid',
    },
    {
      name: 'a patient naming another record',
      request: {
        method: 'POST',
        url: url.conversations,
        payload: {
          subject: 'Hi',
          body: 'Hi',
          recipients: [{ teamId: nurses.id }],
          patientId: unverified.id,
        },
      },
      // A patient naming another record writes as a carer (C1): without consent in force
      // that record does not exist for them.
      status: 404,
      code: 'patient.not_found',
    },
    {
      name: 'a conversation id that is not a uuid',
      request: { method: 'GET', url: url.conversation('not-a-uuid') },
      status: 400,
      code: 'request.invalid',
    },
    {
      name: 'an upper-case conversation id',
      request: { method: 'POST', url: url.messages(id.toUpperCase()), payload: { body: 'Hi' } },
      status: 400,
      code: 'request.invalid',
    },
    {
      name: 'an unknown conversation',
      request: { method: 'GET', url: url.conversation('00000000-0000-4000-8000-000000000000') },
      status: 404,
      code: 'conversation.not_found',
    },
    {
      name: 'a negative read mark',
      request: { method: 'POST', url: url.read(id), payload: { seq: -1 } },
      status: 400,
      code: 'request.invalid',
    },
    {
      name: 'a read mark that is not a number',
      request: { method: 'POST', url: url.read(id), payload: { seq: '3' } },
      status: 400,
      code: 'request.invalid',
    },
    {
      name: 'a bad list cursor',
      request: { method: 'GET', url: `${url.mine}?cursor=nonsense` },
      status: 400,
      code: 'request.invalid_cursor',
    },
    {
      name: 'a page size of 0',
      request: { method: 'GET', url: `${url.mine}?limit=0` },
      status: 400,
      code: 'request.invalid',
    },
    {
      name: 'a body that is not JSON',
      request: {
        method: 'POST',
        url: url.messages(id),
        headers: { 'content-type': 'application/json' },
        payload: '{"body":',
      },
      status: 400,
      code: 'request.malformed',
    },
  ];

  const caseNames = [
    'a body of 10,001 characters',
    'an empty body',
    'an unknown field on a message',
    'a subject of 10,001 characters',
    'a first message of 10,001 characters',
    'an unknown field on a conversation',
    'no recipients',
    'a recipient id that is not a uuid',
    'a patient naming another record',
    'a conversation id that is not a uuid',
    'an upper-case conversation id',
    'an unknown conversation',
    'a negative read mark',
    'a read mark that is not a number',
    'a bad list cursor',
    'a page size of 0',
    'a body that is not JSON',
  ];
  it('names every case', () => {
    expect(cases().map((c) => c.name)).toEqual(caseNames);
  });

  test.each(caseNames)('refuses %s', async (name) => {
    const c = cases().find((x) => x.name === name)!;
    const before = await totals();
    const response = await writer.client.request(c.request);
    expect(response.statusCode, response.body).toBe(c.status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json<{ code: string }>().code).toBe(c.code);
    expect(await totals()).toEqual(before);
  });

  it('takes exactly 10,000 characters', async () => {
    const response = await send(writer.client, id, 'y'.repeat(10_000));
    expect(response.statusCode).toBe(201);
  });

  it('stores and returns HTML verbatim, as text', async () => {
    const html = '<script>alert("x")</script><b>bold</b> & <img src=x onerror=alert(1)>';
    const sent = await send(writer.client, id, html);
    expect(sent.statusCode).toBe(201);
    expect(sent.json<{ body: string }>().body).toBe(html);
    expect(sent.headers['content-type']).toMatch(/^application\/json/);
    const thread = await open(nurse.client, id);
    expect(thread.messages.at(-1)?.body).toBe(html);
    const stored = await queryRows<{ body: string }>(
      t.db,
      sql`select body from messages where conversation_id = ${id} order by seq desc limit 1`,
    );
    expect(stored[0]?.body).toBe(html);
  });
});

describe('every read and change is audited in the patient’s chain (C4)', () => {
  it('writes getConversation, postMessage, assign, archive, join and leave events, and the chain verifies', async () => {
    const id = await startConversation(writer.client, [{ teamId: nurses.id }]);
    const events = async () =>
      (
        await queryRows<{ action: string; outcome: string }>(
          t.db,
          sql`select action, outcome from audit_events
               where patient_id = ${writer.id} and (entity_id = ${id} or details->>'conversationId' = ${id})
               order by seq`,
        )
      ).map((e) => e.action);
    const afterEach = async (action: string, step: () => Promise<unknown>) => {
      const before = await events();
      await step();
      const after = await events();
      expect(after.slice(before.length), action).toContain(action);
    };
    await afterEach('conversation.read', () => open(nurse.client, id));
    await afterEach('message.sent', async () =>
      expect((await send(nurse.client, id, 'Reply')).statusCode).toBe(201),
    );
    await afterEach('conversation.assigned', async () =>
      expect((await assign(nurse.client, id, nurses.id)).statusCode).toBe(200),
    );
    await afterEach('conversation.unassigned', async () =>
      expect((await assign(nurse.client, id, nurses.id, null)).statusCode).toBe(200),
    );
    await afterEach('conversation.archived', async () =>
      expect((await archive(nurse.client, id, nurses.id)).statusCode).toBe(204),
    );
    await afterEach('conversation.joined', () =>
      expectStatus(gpDoctor.client, { method: 'POST', url: url.join(id) }, 200),
    );
    await afterEach('conversation.left', () =>
      expectStatus(gpDoctor.client, { method: 'POST', url: url.leave(id), payload: {} }, 204),
    );
    await afterEach('conversation.participant_added', () =>
      expectStatus(
        nurse.client,
        { method: 'POST', url: url.participants(id), payload: { teamId: consultants.id } },
        200,
      ),
    );

    const verdict = await withTransaction(t.db, (tx) =>
      verifyAuditChain(tx, `patient:${writer.id}`),
    );
    expect(verdict.ok).toBe(true);

    // The patient sees, in plain words, who read the conversation.
    const log = await expectStatus(writer.client, { method: 'GET', url: url.accessLog }, 200);
    const entries = log.json<{ items: { who: string; what: string }[] }>().items;
    expect(
      entries.some((e) => e.what === 'Read a conversation' && e.who.includes(nurse.name)),
    ).toBe(true);
    expect(entries.some((e) => e.what === 'Joined a conversation')).toBe(true);
    expect(JSON.stringify(entries)).not.toMatch(/assign|archiv/i); // W2
  });
});
