import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  archive,
  assign,
  expectStatus,
  inbox,
  myConversations,
  open,
  type ConversationView,
  type Person,
  patient,
  send,
  staff,
  startConversation,
  teamState,
  url,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

let t: TestApp;
let nurses: { id: string; name: string };
let consultants: { id: string; name: string };
let gp: { id: string };
let writer: Person;
let strangerPatient: Person;
let nurseA: Person;
let nurseB: Person;
let consultant: Person;
let pharmacist: Person;
let gpDoctor: Person;
let outsider: Person;
let organisationName: string;
let organisationId: string;

beforeAll(async () => {
  t = await buildTestApp();
  const org = await createOrganisation(t.db);
  organisationName = org.name;
  organisationId = org.id;
  nurses = await createTeam(t.db, org.id, { name: 'Cardiology Nurses', contactable: true });
  consultants = await createTeam(t.db, org.id, {
    name: 'Cardiology Consultants',
    contactable: false,
  });
  const pharmacy = await createTeam(t.db, org.id, { name: 'Pharmacy', contactable: false });
  gp = await createTeam(t.db, org.id, { name: 'GP Practice', contactable: false });
  const elsewhere = await createTeam(t.db, org.id, { name: 'Dermatology', contactable: true });
  writer = await patient(t.app, t.db, [org.id], { careTeamIds: [gp.id] });
  strangerPatient = await patient(t.app, t.db, [org.id]);
  nurseA = await staff(t.app, t.db, org.id, [{ teamId: nurses.id, role: 'member' }], {
    name: 'Nurse Alpha',
  });
  nurseB = await staff(t.app, t.db, org.id, [{ teamId: nurses.id, role: 'member' }], {
    name: 'Nurse Beta',
  });
  consultant = await staff(t.app, t.db, org.id, [{ teamId: consultants.id, role: 'member' }], {
    name: 'Dr Gamma',
  });
  pharmacist = await staff(t.app, t.db, org.id, [{ teamId: pharmacy.id, role: 'member' }], {
    name: 'Pharmacist Delta',
  });
  gpDoctor = await staff(t.app, t.db, org.id, [{ teamId: gp.id, role: 'member' }], {
    name: 'Dr Epsilon',
  });
  outsider = await staff(t.app, t.db, org.id, [{ teamId: elsewhere.id, role: 'member' }]);
});
afterAll(() => t.close());

const bodies = (view: { messages: { body: string }[] }) => view.messages.map((m) => m.body);
const tick = () => t.clock.advance(60_000);

describe('the conversation page', () => {
  it('names everyone who has taken part, and gives the viewer’s own read mark', async () => {
    const id = await startConversation(writer.client, [{ teamId: nurses.id }], { body: 'One' });
    await expectStatus(
      nurseA.client,
      { method: 'POST', url: url.participants(id), payload: { professionalId: pharmacist.id } },
      200,
    );
    expect((await send(nurseA.client, id, 'Two')).statusCode).toBe(201);

    const page = await open(nurseB.client, id);
    expect(page.participants.map(({ kind, name, detail }) => ({ kind, name, detail }))).toEqual(
      expect.arrayContaining([
        { kind: 'patient', name: writer.name, detail: null },
        { kind: 'team', name: 'Cardiology Nurses', detail: organisationName },
        { kind: 'professional', name: 'Pharmacist Delta', detail: 'Nurse' },
      ]),
    );
    expect(page.participants).toHaveLength(3);
    expect(page.appointmentId).toBeNull();
    expect(page.myLastReadSeq, 'Nurse Beta has read nothing').toBe(0);
    expect((await open(nurseA.client, id)).myLastReadSeq, 'her own reply').toBe(2);
    expect((await open(writer.client, id)).myLastReadSeq, 'his own first message').toBe(1);
  });

  it('marks the reader’s own place, never a colleague’s who shares their name (M3)', async () => {
    // A nurse with the same name as the pharmacist who was brought in on his own.
    const namesake = await staff(
      t.app,
      t.db,
      organisationId,
      [{ teamId: nurses.id, role: 'member' }],
      { name: 'Pharmacist Delta' },
    );
    const id = await startConversation(writer.client, [{ teamId: nurses.id }], { body: 'One' });
    await expectStatus(
      nurseA.client,
      { method: 'POST', url: url.participants(id), payload: { professionalId: pharmacist.id } },
      200,
    );
    const own = (view: ConversationView) =>
      view.participants.filter((p) => p.you === true).map(({ kind, name }) => ({ kind, name }));
    expect(own(await open(pharmacist.client, id))).toEqual([
      { kind: 'professional', name: 'Pharmacist Delta' },
    ]);
    expect(own(await open(namesake.client, id)), 'her place is her team’s').toEqual([]);
    expect(own(await open(nurseB.client, id))).toEqual([]);
    expect(own(await open(writer.client, id))).toEqual([{ kind: 'patient', name: writer.name }]);
  });
});

describe('late joiners and leavers (M3)', () => {
  it('a team added later sees the whole history', async () => {
    const id = await startConversation(writer.client, [{ teamId: nurses.id }], { body: 'One' });
    tick();
    expect((await send(nurseA.client, id, 'Two')).statusCode).toBe(201);
    await expectStatus(
      nurseA.client,
      { method: 'POST', url: url.participants(id), payload: { teamId: consultants.id } },
      200,
    );
    const view = await open(consultant.client, id);
    expect(bodies(view)).toEqual(['One', 'Two']);
    expect(view.readOnly).toBe(false);
  });

  it('a professional who leaves keeps messages up to leaving, read-only; rejoining shows all', async () => {
    const id = await startConversation(writer.client, [{ teamId: nurses.id }], { body: 'One' });
    await expectStatus(
      nurseA.client,
      { method: 'POST', url: url.participants(id), payload: { professionalId: pharmacist.id } },
      200,
    );
    expect((await send(pharmacist.client, id, 'Two')).statusCode).toBe(201);
    await expectStatus(pharmacist.client, { method: 'POST', url: url.leave(id), payload: {} }, 204);
    tick();
    expect((await send(writer.client, id, 'Three (after leaving)')).statusCode).toBe(201);

    const left = await open(pharmacist.client, id);
    expect(bodies(left)).toEqual(['One', 'Two']);
    expect(left.messages.every((m) => m.seq <= 2)).toBe(true);
    expect(left.lastMessageSeq).toBe(2);
    expect(left.readOnly).toBe(true);
    expect(left.actions).toMatchObject({ reply: false, join: true });
    const refused = await send(pharmacist.client, id, 'Can I still write?');
    expect(refused.statusCode).toBe(403);
    expect((await open(nurseA.client, id)).messages).toHaveLength(3);

    await expectStatus(pharmacist.client, { method: 'POST', url: url.join(id) }, 200);
    const rejoined = await open(pharmacist.client, id);
    expect(bodies(rejoined)).toEqual(['One', 'Two', 'Three (after leaving)']);
    expect(rejoined.readOnly).toBe(false);
    expect((await send(pharmacist.client, id, 'Back again')).statusCode).toBe(201);
  });

  it('W5: the last staff participant cannot leave, so no message goes unseen', async () => {
    const id = await startConversation(writer.client, [{ teamId: nurses.id }], { body: 'Hi' });
    const refused = await nurseA.client.request({
      method: 'POST',
      url: url.leave(id),
      payload: { teamId: nurses.id },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ code: string }>().code).toBe('conversation.last_staff_participant');
    expect(await teamState(t.db, id, nurses.id)).not.toBeNull();
  });

  it('M4: a team that leaves takes the conversation out of every member’s inbox', async () => {
    const id = await startConversation(writer.client, [{ teamId: nurses.id }], { body: 'Hi' });
    await expectStatus(
      nurseA.client,
      { method: 'POST', url: url.participants(id), payload: { teamId: consultants.id } },
      200,
    );
    await expectStatus(
      nurseA.client,
      { method: 'POST', url: url.leave(id), payload: { teamId: nurses.id } },
      204,
    );
    const page = await inbox(nurseB.client, nurses.id, { patientId: writer.id });
    expect(page.items.map((i) => i.conversationId)).not.toContain(id);
    expect(await teamState(t.db, id, nurses.id)).toBeNull();
    expect((await open(nurseB.client, id)).readOnly).toBe(true);
  });
});

describe('read state is not workflow (W6)', () => {
  it('marking read changes unread counts, never the assignment, archive or inbox view', async () => {
    const id = await startConversation(writer.client, [{ teamId: nurses.id }], { body: 'One' });
    tick();
    expect((await send(writer.client, id, 'Two')).statusCode).toBe(201);
    const unreadIn = async (who: Person) =>
      (
        await inbox(who.client, nurses.id, {
          patientId: writer.id,
          view: 'unassigned',
          limit: '200',
        })
      ).items.find((i) => i.conversationId === id)?.unreadCount;
    const unreadMine = async (who: Person) =>
      (await myConversations(who.client)).find((c) => c.id === id)?.unreadCount;
    expect(await unreadIn(nurseA)).toBe(2);
    expect(await unreadMine(nurseA)).toBe(2);

    const stateBefore = await teamState(t.db, id, nurses.id);
    const countsBefore = (await inbox(nurseB.client, nurses.id, { patientId: writer.id })).counts;
    await expectStatus(
      nurseA.client,
      { method: 'POST', url: url.read(id), payload: { seq: 1 } },
      204,
    );
    expect(await unreadIn(nurseA)).toBe(1);
    expect(await unreadMine(nurseA)).toBe(1);
    expect(await unreadIn(nurseB)).toBe(2); // per person
    await expectStatus(
      nurseA.client,
      { method: 'POST', url: url.read(id), payload: { seq: 99 } },
      204,
    );
    expect(await unreadIn(nurseA)).toBe(0);
    // Reading never moves the mark back.
    await expectStatus(
      nurseA.client,
      { method: 'POST', url: url.read(id), payload: { seq: 0 } },
      204,
    );
    expect(await unreadMine(nurseA)).toBe(0);
    expect(await teamState(t.db, id, nurses.id)).toEqual(stateBefore);
    expect((await inbox(nurseB.client, nurses.id, { patientId: writer.id })).counts).toEqual(
      countsBefore,
    );

    // Nor when the conversation is held or archived.
    expect((await assign(nurseB.client, id, nurses.id)).statusCode).toBe(200);
    const held = await teamState(t.db, id, nurses.id);
    await expectStatus(
      nurseA.client,
      { method: 'POST', url: url.read(id), payload: { seq: 2 } },
      204,
    );
    expect(await teamState(t.db, id, nurses.id)).toEqual(held);
    expect((await archive(nurseB.client, id, nurses.id)).statusCode).toBe(204);
    const archived = await teamState(t.db, id, nurses.id);
    await expectStatus(
      writer.client,
      { method: 'POST', url: url.read(id), payload: { seq: 2 } },
      204,
    );
    await expectStatus(
      nurseB.client,
      { method: 'POST', url: url.read(id), payload: { seq: 2 } },
      204,
    );
    expect(await teamState(t.db, id, nurses.id)).toEqual(archived);
  });

  it('the patient’s unread count counts staff replies', async () => {
    const id = await startConversation(writer.client, [{ teamId: nurses.id }], { body: 'One' });
    tick();
    expect((await send(nurseA.client, id, 'Reply')).statusCode).toBe(201);
    const mine = (await myConversations(writer.client)).find((c) => c.id === id);
    expect(mine?.unreadCount).toBe(1);
    await expectStatus(
      writer.client,
      { method: 'POST', url: url.read(id), payload: { seq: 2 } },
      204,
    );
    expect((await myConversations(writer.client)).find((c) => c.id === id)?.unreadCount).toBe(0);
  });
});

describe('the patient’s view of progress (W2, issue 3 §6)', () => {
  it('goes sent → read → replied → completed, naming staff only where they wrote', async () => {
    tick();
    const id = await startConversation(writer.client, [{ teamId: nurses.id }], {
      subject: 'Scan',
      body: 'When is my scan?',
    });
    const progress = async () => {
      const item = (await myConversations(writer.client)).find((c) => c.id === id);
      return item;
    };
    expect((await progress())?.progress).toBe('sent');

    // Claimed: the patient still sees only the team, never the assignee (W2).
    expect((await assign(nurseA.client, id, nurses.id)).statusCode).toBe(200);
    expect(JSON.stringify(await progress())).not.toContain(nurseA.name);
    const thread = await writer.client.request({ method: 'GET', url: url.conversation(id) });
    expect(thread.body).not.toContain(nurseA.name);
    expect(thread.json<{ teamWorkflow: unknown[] }>().teamWorkflow).toEqual([]);
    expect((await progress())?.teams.map((x) => x.name)).toEqual(['Cardiology Nurses']);

    await open(nurseA.client, id);
    await expectStatus(
      nurseA.client,
      { method: 'POST', url: url.read(id), payload: { seq: 1 } },
      204,
    );
    expect((await progress())?.progress).toBe('read');

    tick();
    expect((await send(nurseA.client, id, 'Next Tuesday.')).statusCode).toBe(201);
    const replied = await progress();
    expect(replied?.progress).toBe('replied');
    expect(replied?.lastMessageFrom).toContain(nurseA.name); // staff wrote: named
    const withReply = await writer.client.request({ method: 'GET', url: url.conversation(id) });
    expect(withReply.body).toContain(nurseA.name);
    // Nurse B did not write, and is not named anywhere the patient looks.
    expect(withReply.body).not.toContain(nurseB.name);

    await expectStatus(
      nurseA.client,
      { method: 'POST', url: url.participants(id), payload: { teamId: consultants.id } },
      200,
    );
    expect((await archive(nurseA.client, id, nurses.id)).statusCode).toBe(204);
    expect((await progress())?.progress).not.toBe('completed'); // consultants still have it
    expect((await archive(consultant.client, id, consultants.id)).statusCode).toBe(204);
    expect((await progress())?.progress).toBe('completed');
    expect(JSON.stringify(await progress())).not.toContain(consultant.name);

    tick();
    expect((await send(writer.client, id, 'One more thing')).statusCode).toBe(201);
    expect((await progress())?.progress).toBe('sent');
  });
});

describe('record access (C3)', () => {
  it('a professional whose team has a care relationship sees every conversation, read-only, and may join', async () => {
    const one = await startConversation(writer.client, [{ teamId: nurses.id }], { body: 'One' });
    const list = await expectStatus(
      gpDoctor.client,
      { method: 'GET', url: url.record(writer.id) },
      200,
    );
    const items = list.json<{ items: { id: string; joined: boolean }[] }>().items;
    expect(items.map((i) => i.id)).toContain(one);
    expect(items.find((i) => i.id === one)?.joined).toBe(false);
    // Every conversation of the record is listed, and only this record's.
    const all = await myConversations(writer.client);
    expect(items.map((i) => i.id).sort()).toEqual(all.map((c) => c.id).sort());

    const readOnly = await open(gpDoctor.client, one);
    expect(readOnly.readOnly).toBe(true);
    expect(readOnly.actions).toEqual({
      reply: false,
      join: true,
      leave: false,
      addParticipant: false,
      setPrivacy: false,
      copyInCarer: false,
      removeAnyMessage: false,
    });
    expect(bodies(readOnly)).toEqual(['One']);
    expect((await send(gpDoctor.client, one, 'Not yet')).statusCode).toBe(403);

    await expectStatus(gpDoctor.client, { method: 'POST', url: url.join(one) }, 200);
    const joined = await open(gpDoctor.client, one);
    expect(joined.readOnly).toBe(false);
    expect(joined.actions.reply).toBe(true);
    expect((await send(gpDoctor.client, one, 'GP here')).statusCode).toBe(201);
    const after = await expectStatus(
      gpDoctor.client,
      { method: 'GET', url: url.record(writer.id) },
      200,
    );
    expect(
      after.json<{ items: { id: string; joined: boolean }[] }>().items.find((i) => i.id === one)
        ?.joined,
    ).toBe(true);
  });

  it('without a care relationship the record and its conversations are not found', async () => {
    const id = await startConversation(strangerPatient.client, [{ teamId: nurses.id }]);
    const list = await gpDoctor.client.request({
      method: 'GET',
      url: url.record(strangerPatient.id),
    });
    expect(list.statusCode).toBe(404);
    expect(
      (await gpDoctor.client.request({ method: 'GET', url: url.conversation(id) })).statusCode,
    ).toBe(404);
    expect((await gpDoctor.client.request({ method: 'POST', url: url.join(id) })).statusCode).toBe(
      404,
    );
    expect(
      (await outsider.client.request({ method: 'GET', url: url.record(writer.id) })).statusCode,
    ).toBe(404);
  });
});
