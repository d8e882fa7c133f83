import { sql } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectStatus,
  patient as signedInPatient,
  type Person,
  send,
  staff,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import { listen, openStream, type Stream } from '../../../../test/live-stream';
import { eventually } from '../../../../test/notifications-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { buildApp } from '../../app';
import { connectPostgres, queryRows, withTransaction } from '../../platform/db/database';
import { EVENTS_CHANNEL, EventHub, publish } from '../../platform/realtime/events';

/** "Within a second", with a little slack for a loaded test machine. */
const WITHIN_A_SECOND = 1_500;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let t: TestApp;
let baseUrl: string;
const streams: Stream[] = [];

async function streamFor(person: Person, base = baseUrl): Promise<Stream> {
  const stream = await openStream(base, person.client.cookie);
  streams.push(stream);
  expect(stream.status).toBe(200);
  return stream;
}

beforeAll(async () => {
  t = await buildTestApp();
  baseUrl = await listen(t.app);
});
afterAll(async () => {
  await Promise.all(streams.map((s) => s.close()));
  await t.close();
});

async function world() {
  const org = await createOrganisation(t.db);
  const admin = await createTeam(t.db, org.id, { contactable: false });
  const nurses = await createTeam(t.db, org.id, { name: 'Stroke Nurses' });
  const coordinator = await staff(t.app, t.db, org.id, [{ teamId: admin.id, role: 'coordinator' }]);
  const nurseA = await staff(t.app, t.db, org.id, [{ teamId: nurses.id, role: 'member' }]);
  const nurseB = await staff(t.app, t.db, org.id, [{ teamId: nurses.id, role: 'member' }]);
  const person = await signedInPatient(t.app, t.db, [org.id], { careTeamIds: [nurses.id] });
  const otherPatient = await signedInPatient(t.app, t.db, [org.id]);
  return { org, nurses, coordinator, nurseA, nurseB, patient: person, otherPatient };
}

describe('live updates over Server-Sent Events', () => {
  it('refuses a caller without a session', async () => {
    const response = await fetch(`${baseUrl}/api/v1/events`);
    expect(response.status).toBe(401);
    await response.body?.cancel();
  });

  it('a posted message reaches the team’s members and the patient within a second, ids only', async () => {
    const w = await world();
    const [nurse, person, stranger] = await Promise.all([
      streamFor(w.nurseA),
      streamFor(w.patient),
      streamFor(w.otherPatient),
    ]);
    const conversationId = await startConversation(w.patient.client, [{ teamId: w.nurses.id }]);
    expect(await nurse.next(conversationId)).toEqual({
      event: 'conversation.changed',
      conversationId,
    });
    await person.next(conversationId);

    const reply = await send(w.nurseA.client, conversationId, 'We will call you at noon.');
    expect(reply.statusCode).toBe(201);
    await eventually(
      () =>
        person.events.filter((e) => e.conversationId === conversationId).length >= 2
          ? true
          : undefined,
      'a second event for the patient after the reply',
      WITHIN_A_SECOND,
    );
    // Another patient hears nothing of it.
    await pause(200);
    expect(stranger.events).toEqual([]);
  });

  it('a team’s own work (assign, unassign, archive, reopen) reaches its members only: not the patient, nor another team in it (W2)', async () => {
    const w = await world();
    const cardiology = await createTeam(t.db, w.org.id, { name: 'Cardiology Nurses' });
    const cardioNurse = await staff(t.app, t.db, w.org.id, [
      { teamId: cardiology.id, role: 'member' },
    ]);
    const conversationId = await startConversation(w.patient.client, [
      { teamId: w.nurses.id },
      { teamId: cardiology.id },
    ]);
    const [nurse, otherTeam, person] = await Promise.all([
      streamFor(w.nurseB),
      streamFor(cardioNurse),
      streamFor(w.patient),
    ]);
    const heardBy = (stream: Stream) =>
      stream.events.filter((e) => e.conversationId === conversationId).length;
    const work: [string, InjectOptions, number][] = [
      [
        'assign',
        {
          method: 'PUT',
          url: url.assignment(conversationId, w.nurses.id),
          payload: { assignee: 'me' },
        },
        200,
      ],
      [
        'unassign',
        {
          method: 'PUT',
          url: url.assignment(conversationId, w.nurses.id),
          payload: { assignee: null },
        },
        200,
      ],
      ['archive', { method: 'POST', url: url.archive(conversationId, w.nurses.id) }, 204],
      ['reopen', { method: 'POST', url: url.reopen(conversationId, w.nurses.id) }, 204],
    ];
    for (const [i, [what, request, status]] of work.entries()) {
      await expectStatus(w.nurseA.client, request, status);
      await eventually(
        () => (heardBy(nurse) === i + 1 ? true : undefined),
        `the team hears of the ${what}`,
        WITHIN_A_SECOND,
      );
    }
    await pause(200);
    // Both listen still: the patient's next message reaches them, and is all they heard.
    expect((await send(w.patient.client, conversationId, 'Any news?')).statusCode).toBe(201);
    await otherTeam.next(conversationId);
    await person.next(conversationId);
    await pause(200);
    expect(heardBy(otherTeam)).toBe(1);
    expect(heardBy(person)).toBe(1);
    expect(heardBy(nurse)).toBe(work.length + 1);
  });

  it('news addressed to a team reaches only those of its members who can read the conversation (W2)', async () => {
    const w = await world();
    // Pharmacy never took part: its members may not read the conversation, but for one who
    // is a nurse too.
    const pharmacy = await createTeam(t.db, w.org.id, { name: 'Pharmacy' });
    const [pharmacist, alsoNurse] = await Promise.all([
      staff(t.app, t.db, w.org.id, [{ teamId: pharmacy.id, role: 'member' }]),
      staff(t.app, t.db, w.org.id, [
        { teamId: pharmacy.id, role: 'member' },
        { teamId: w.nurses.id, role: 'member' },
      ]),
    ]);
    const conversationId = await startConversation(w.patient.client, [{ teamId: w.nurses.id }]);
    await expectStatus(
      pharmacist.client,
      { method: 'GET', url: url.conversation(conversationId) },
      404,
    );
    const [outside, inside] = await Promise.all([streamFor(pharmacist), streamFor(alsoNurse)]);
    // No request addresses a team that cannot read the conversation (one taken out keeps what
    // it saw, M3), so the news is published as a request publishes it, on commit.
    await withTransaction(t.db, (tx) =>
      publish(tx, { type: 'conversation.changed', conversationId, teamId: pharmacy.id }),
    );
    await inside.next(conversationId);
    // The pharmacist listens still: the news of a conversation of Pharmacy's reaches her.
    const theirs = await startConversation(w.patient.client, [{ teamId: pharmacy.id }]);
    await outside.next(theirs);
    await pause(200);
    expect(outside.events.map((e) => e.conversationId)).toEqual([theirs]);
  });

  it('a member removed from the team hears nothing more of its conversations (M4, N4)', async () => {
    const w = await world();
    const [stays, leaves] = await Promise.all([streamFor(w.nurseA), streamFor(w.nurseB)]);
    const conversationId = await startConversation(w.patient.client, [{ teamId: w.nurses.id }]);
    await stays.next(conversationId);
    await leaves.next(conversationId);

    await expectStatus(
      w.coordinator.client,
      { method: 'DELETE', url: url.member(w.nurses.id, w.nurseB.id) },
      204,
    );
    const heard = leaves.events.length;
    const more = await send(w.patient.client, conversationId, 'Are you there?');
    expect(more.statusCode).toBe(201);
    await eventually(
      () =>
        stays.events.filter((e) => e.conversationId === conversationId).length >= 2
          ? true
          : undefined,
      'the remaining member hears of the new message',
      WITHIN_A_SECOND,
    );
    const other = await startConversation(w.patient.client, [{ teamId: w.nurses.id }]);
    await stays.next(other);
    await pause(300);
    expect(leaves.events.slice(heard)).toEqual([]);
    expect(leaves.ended).toBe(false);
  });

  it('a team taken out of a conversation hears of it, then nothing more of it (M3, W4)', async () => {
    const w = await world();
    const cardiology = await createTeam(t.db, w.org.id, { name: 'Cardiology Nurses' });
    const [cardioNurse, cardioManager] = await Promise.all([
      staff(t.app, t.db, w.org.id, [{ teamId: cardiology.id, role: 'member' }]),
      staff(t.app, t.db, w.org.id, [{ teamId: cardiology.id, role: 'manager' }]),
    ]);
    const conversationId = await startConversation(w.patient.client, [
      { teamId: w.nurses.id },
      { teamId: cardiology.id },
    ]);
    // The nurse is looking at the thread when her manager takes the team out.
    const [watching, stays] = await Promise.all([streamFor(cardioNurse), streamFor(w.nurseA)]);
    await expectStatus(
      cardioManager.client,
      { method: 'POST', url: url.leave(conversationId), payload: { teamId: cardiology.id } },
      204,
    );
    await watching.next(conversationId);
    await stays.next(conversationId);
    // What she sees now is the conversation as she saw it, with nothing to work on (M3).
    const after = await cardioNurse.client.request({
      method: 'GET',
      url: url.conversation(conversationId),
    });
    expect(after.statusCode).toBe(200);
    expect(after.json()).toMatchObject({ readOnly: true, teamWorkflow: [] });

    // Later news of the conversation is no longer hers.
    const heard = watching.events.length;
    expect((await send(w.patient.client, conversationId, 'Still there?')).statusCode).toBe(201);
    await eventually(
      () =>
        stays.events.filter((e) => e.conversationId === conversationId).length >= 2
          ? true
          : undefined,
      'the team still in it hears of the new message',
      WITHIN_A_SECOND,
    );
    await pause(300);
    expect(watching.events.slice(heard)).toEqual([]);
  });

  it('signing out ends the stream at the next event', async () => {
    const w = await world();
    const stream = await streamFor(w.nurseA);
    const watcher = await streamFor(w.nurseB);
    const first = await startConversation(w.patient.client, [{ teamId: w.nurses.id }]);
    await stream.next(first);

    await expectStatus(w.nurseA.client, { method: 'DELETE', url: '/api/v1/session' }, 204);
    const second = await startConversation(w.patient.client, [{ teamId: w.nurses.id }]);
    await watcher.next(second);
    await eventually(() => (stream.ended ? true : undefined), 'the stream to end', WITHIN_A_SECOND);
    expect(stream.events.map((e) => e.conversationId)).toEqual([first]);
  });

  it('forgets a client that goes away', async () => {
    const w = await world();
    const before = t.events.size;
    const stream = await streamFor(w.nurseA);
    await eventually(
      () => (t.events.size === before + 1 ? true : undefined),
      'the stream to be subscribed',
    );
    await stream.close();
    await eventually(
      () => (t.events.size === before ? true : undefined),
      'the closed stream to be unsubscribed',
    );
  });

  it('carries nothing but the conversation id', async () => {
    const w = await world();
    const response = await fetch(`${baseUrl}/api/v1/events`, {
      headers: { cookie: w.nurseA.client.cookie },
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const conversationId = await startConversation(w.patient.client, [{ teamId: w.nurses.id }], {
      subject: 'CANARY-SUBJECT-live',
      body: 'CANARY-BODY-live',
    });
    while (!text.includes(conversationId)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    await reader.cancel();
    expect(text).toContain(`data: {"conversationId":"${conversationId}"}`);
    expect(text).not.toContain('CANARY');
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('two app instances on one PostgreSQL', () => {
  it('a message posted through instance A reaches an SSE client of instance B within a second', async () => {
    const w = await world();
    // Instance B: its own pool, its own LISTEN connection, its own live clients.
    const [current] = await queryRows<{ name: string }>(
      t.db,
      sql`select current_database() as name`,
    );
    const databaseUrl = new URL(process.env.TEST_DATABASE_URL!);
    databaseUrl.pathname = `/${current!.name}`;
    const connection = connectPostgres(databaseUrl.toString(), 5);
    const events = new EventHub();
    const appB = await buildApp({
      db: connection.db,
      config: t.deps.config,
      clock: t.clock.now,
      events,
    });
    const stopListening = await connection.listen(
      EVENTS_CHANNEL,
      (payload) => void events.dispatch(payload),
    );
    try {
      const baseB = await listen(appB);
      const onB = await streamFor(w.nurseB, baseB);
      const conversationId = await startConversation(w.patient.client, [{ teamId: w.nurses.id }]);
      await onB.next(conversationId);
      await onB.close();
    } finally {
      events.endAll();
      await appB.close();
      await stopListening();
      await connection.close();
    }
  });
});
