import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectStatus,
  myConversations,
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

let t: TestApp;
let writer: Person;
let doctor: Person;
let doctorsColleague: Person;
let gpDoctor: Person;

beforeAll(async () => {
  t = await buildTestApp();
  const org = await createOrganisation(t.db);
  const clinic = await createTeam(t.db, org.id, { name: 'Heart Clinic', contactable: false });
  const gp = await createTeam(t.db, org.id, { name: 'GP Practice', contactable: false });
  writer = await patient(t.app, t.db, [org.id], { careTeamIds: [gp.id] });
  doctor = await staff(t.app, t.db, org.id, [
    { teamId: clinic.id, role: 'member', contactable: true },
  ]);
  doctorsColleague = await staff(t.app, t.db, org.id, [{ teamId: clinic.id, role: 'member' }]);
  gpDoctor = await staff(t.app, t.db, org.id, [{ teamId: gp.id, role: 'member' }]);
});
afterAll(() => t.close());

const progressOf = async (id: string) =>
  (await myConversations(writer.client)).find((c) => c.id === id)?.progress;

const readAll = async (reader: Person, id: string) => {
  const view = await open(reader.client, id);
  const seq = view.messages.at(-1)?.seq;
  await expectStatus(reader.client, { method: 'POST', url: url.read(id), payload: { seq } }, 204);
};

describe('progress of a message written to one professional (M1, W2, issue 3 §6)', () => {
  it('is read once the professional it was written to has read it, and no one else counts', async () => {
    const id = await startConversation(writer.client, [{ professionalId: doctor.id }], {
      body: 'Can I take my tablets with food?',
    });
    expect(await progressOf(id)).toBe('sent');

    // The GP looks after the patient and may read the record (C3), but was not written to.
    await readAll(gpDoctor, id);
    expect(await progressOf(id)).toBe('sent');

    await readAll(doctor, id);
    expect(await progressOf(id)).toBe('read');

    t.clock.advance(60_000);
    expect((await send(writer.client, id, 'And with grapefruit?')).statusCode).toBe(201);
    expect(await progressOf(id), 'a newer message is not read yet').toBe('sent');

    t.clock.advance(60_000);
    expect((await send(doctor.client, id, 'Yes with food; no grapefruit.')).statusCode).toBe(201);
    expect(await progressOf(id)).toBe('replied');
  });

  it('stops counting a professional who has left the conversation (M3)', async () => {
    const id = await startConversation(writer.client, [{ professionalId: doctor.id }]);
    await expectStatus(
      doctor.client,
      {
        method: 'POST',
        url: url.participants(id),
        payload: { professionalId: doctorsColleague.id },
      },
      200,
    );
    await readAll(doctor, id);
    expect(await progressOf(id)).toBe('read');
    await expectStatus(doctor.client, { method: 'POST', url: url.leave(id), payload: {} }, 204);
    expect(await progressOf(id)).toBe('sent');
  });
});

describe('who a message written to one professional is shown as sent to (M1, issue 3 §6)', () => {
  const sentTo = async (id: string) => {
    const item = (await myConversations(writer.client)).find((c) => c.id === id);
    return [...(item?.teams ?? []), ...(item?.professionals ?? [])].map((x) => x.name);
  };
  const namesInThread = async (id: string) =>
    (await open(writer.client, id)).participants.map((p) => p.name);

  it('names the professional the patient chose, and no colleague brought in who has not written', async () => {
    const id = await startConversation(writer.client, [{ professionalId: doctor.id }]);
    expect(await sentTo(id)).toEqual([doctor.name]);
    expect(await namesInThread(id)).toContain(doctor.name);

    await expectStatus(
      doctor.client,
      {
        method: 'POST',
        url: url.participants(id),
        payload: { professionalId: doctorsColleague.id },
      },
      200,
    );
    expect(await sentTo(id)).toEqual([doctor.name]);
    expect(await namesInThread(id)).not.toContain(doctorsColleague.name);

    t.clock.advance(60_000);
    expect((await send(doctorsColleague.client, id, 'I can help.')).statusCode).toBe(201);
    expect(await namesInThread(id), 'staff who wrote are named').toContain(doctorsColleague.name);
    expect(await sentTo(id), 'but it was not sent to them').toEqual([doctor.name]);

    await expectStatus(doctor.client, { method: 'POST', url: url.leave(id), payload: {} }, 204);
    expect(await sentTo(id), 'no longer taking part').toEqual([]);
  });
});
