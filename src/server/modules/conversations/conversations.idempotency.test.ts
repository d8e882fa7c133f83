import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  count,
  type Person,
  patient,
  staff,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

let t: TestApp;
let team: { id: string };
let writer: Person;
let otherWriter: Person;
let nurse: Person;

beforeAll(async () => {
  t = await buildTestApp();
  const org = await createOrganisation(t.db);
  team = await createTeam(t.db, org.id, { name: 'PALS', contactable: true });
  writer = await patient(t.app, t.db, [org.id]);
  otherWriter = await patient(t.app, t.db, [org.id]);
  nurse = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'member' }]);
});
afterAll(() => t.close());

const conversationsOf = (patientId: string) =>
  count(t.db, sql`select count(*)::int as n from conversations where patient_id = ${patientId}`);
const messagesIn = (conversationId: string) =>
  count(
    t.db,
    sql`select count(*)::int as n from messages where conversation_id = ${conversationId}`,
  );

const createWith = (person: Person, key: string, subject = 'Parking', body = 'Where can I park?') =>
  person.client.request({
    method: 'POST',
    url: url.conversations,
    headers: { 'idempotency-key': key },
    payload: { subject, body, recipients: [{ teamId: team.id }] },
  });

const postWith = (person: Person, conversationId: string, key: string, body: string) =>
  person.client.request({
    method: 'POST',
    url: url.messages(conversationId),
    headers: { 'idempotency-key': key },
    payload: { body },
  });

describe('createConversation is idempotent (M5)', () => {
  it('a retry with the same key and body returns the first response and creates nothing', async () => {
    const before = await conversationsOf(writer.id);
    const first = await createWith(writer, 'create-1');
    t.clock.advance(5000);
    const retry = await createWith(writer, 'create-1');
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(await conversationsOf(writer.id)).toBe(before + 1);
    expect(await messagesIn(first.json<{ id: string }>().id)).toBe(1);
  });

  it('the same key with a different body is refused with 422 idempotency.key_reused', async () => {
    await createWith(writer, 'create-2', 'Parking');
    const before = await conversationsOf(writer.id);
    const reused = await createWith(writer, 'create-2', 'Parking', 'Something else entirely');
    expect(reused.statusCode).toBe(422);
    expect(reused.json<{ code: string }>().code).toBe('idempotency.key_reused');
    expect(await conversationsOf(writer.id)).toBe(before);
  });

  it('keys belong to their user: another user may use the same key', async () => {
    const mine = await createWith(writer, 'shared-key');
    const theirs = await createWith(otherWriter, 'shared-key');
    expect(mine.statusCode).toBe(201);
    expect(theirs.statusCode).toBe(201);
    expect(theirs.json<{ id: string }>().id).not.toBe(mine.json<{ id: string }>().id);
    expect(await conversationsOf(otherWriter.id)).toBe(1);
  });

  it('concurrent identical requests with one key create one conversation; both answers match', async () => {
    const before = await conversationsOf(writer.id);
    const [a, b] = await Promise.all([
      createWith(writer, 'create-concurrent'),
      createWith(writer, 'create-concurrent'),
    ]);
    expect(a.statusCode, a.body).toBe(201);
    expect(b.statusCode, b.body).toBe(201);
    expect(a.json()).toEqual(b.json());
    expect(await conversationsOf(writer.id)).toBe(before + 1);
  });
});

describe('a replayed createConversation is answered only while its author may read it (M5, C4)', () => {
  it('staff removed from the team get 404, not the conversation they started', async () => {
    const org = await createOrganisation(t.db);
    const ward = await createTeam(t.db, org.id, { contactable: true });
    const leaver = await staff(t.app, t.db, org.id, [{ teamId: ward.id, role: 'member' }]);
    const person = await patient(t.app, t.db, [org.id], { careTeamIds: [ward.id] });
    const start = () =>
      leaver.client.request({
        method: 'POST',
        url: url.conversations,
        headers: { 'idempotency-key': 'start-1' },
        payload: {
          subject: 'Your results',
          body: 'Your results are back',
          patientId: person.id,
          asTeamId: ward.id,
        },
      });
    expect((await start()).statusCode).toBe(201);
    await t.db.execute(
      sql`delete from team_memberships where team_id = ${ward.id} and professional_id = ${leaver.id}`,
    );
    const replay = await start();
    expect(replay.statusCode).toBe(404);
    expect(replay.body).not.toContain('Your results');
    expect(await conversationsOf(person.id)).toBe(1);
  });
});

describe('postMessage is idempotent (M5)', () => {
  it('a retry is answered only while the author may still write (M5, M4)', async () => {
    const org = await createOrganisation(t.db);
    const ward = await createTeam(t.db, org.id, { contactable: true });
    const other = await createTeam(t.db, org.id, { contactable: true });
    const leaver = await staff(t.app, t.db, org.id, [{ teamId: ward.id, role: 'member' }]);
    const person = await patient(t.app, t.db, [org.id]);
    const id = await startConversation(person.client, [{ teamId: ward.id }, { teamId: other.id }]);
    expect((await postWith(leaver, id, 'reply-1', 'We will call you')).statusCode).toBe(201);
    await t.db.execute(
      sql`delete from team_memberships where team_id = ${ward.id} and professional_id = ${leaver.id}`,
    );
    const replay = await postWith(leaver, id, 'reply-1', 'We will call you');
    expect(replay.statusCode).toBe(404);
    expect(replay.body).not.toContain('We will call you');
    expect(await messagesIn(id)).toBe(2);
  });

  it('a retry returns the first message; the same key with another body is refused', async () => {
    const id = await startConversation(writer.client, [{ teamId: team.id }]);
    const first = await postWith(writer, id, 'send-1', 'Thank you');
    t.clock.advance(5000);
    const retry = await postWith(writer, id, 'send-1', 'Thank you');
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(await messagesIn(id)).toBe(2);

    const reused = await postWith(writer, id, 'send-1', 'Thank you!');
    expect(reused.statusCode).toBe(422);
    expect(reused.json<{ code: string }>().code).toBe('idempotency.key_reused');
    expect(await messagesIn(id)).toBe(2);
  });

  it('the same key in another conversation is a different request, and refused', async () => {
    const one = await startConversation(writer.client, [{ teamId: team.id }]);
    const two = await startConversation(writer.client, [{ teamId: team.id }]);
    expect((await postWith(writer, one, 'send-2', 'Hello')).statusCode).toBe(201);
    const elsewhere = await postWith(writer, two, 'send-2', 'Hello');
    expect(elsewhere.statusCode).toBe(422);
    expect(await messagesIn(two)).toBe(1);
  });

  it('keys are per user: staff may reuse a patient’s key in the same conversation', async () => {
    const id = await startConversation(writer.client, [{ teamId: team.id }]);
    expect((await postWith(writer, id, 'send-3', 'Hello')).statusCode).toBe(201);
    const reply = await postWith(nurse, id, 'send-3', 'Hello');
    expect(reply.statusCode).toBe(201);
    expect(reply.json<{ seq: number }>().seq).toBe(3);
  });

  it('concurrent identical sends with one key create one message; both answers match', async () => {
    const id = await startConversation(writer.client, [{ teamId: team.id }]);
    const [a, b] = await Promise.all([
      postWith(writer, id, 'send-concurrent', 'Are you there?'),
      postWith(writer, id, 'send-concurrent', 'Are you there?'),
    ]);
    expect(a.statusCode, a.body).toBe(201);
    expect(b.statusCode, b.body).toBe(201);
    expect(a.json()).toEqual(b.json());
    expect(await messagesIn(id)).toBe(2);
  });
});
