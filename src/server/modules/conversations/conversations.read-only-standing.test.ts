import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
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

/**
 * C3, M3: staff who may read a conversation but do not take part are told why, so the page
 * says what is true for them — a team of theirs with record access, from a care relationship
 * or the patient's grant, may join (C3); emergency access is named as such; a former
 * participant, whose team left or was taken out, keeps what it saw up to then (M3) and is not
 * told their team has access to the record when it has not.
 */

let t: TestApp;
let nurses: { id: string; name: string };
let gp: { id: string; name: string };
let writer: Person;
let nurse: Person;
let nursesManager: Person;
let gpDoctor: Person;
let gpManager: Person;
let palsId: string;
let pharmacyId: string;
let pharmacist: Person;
let emergency: Person;

beforeAll(async () => {
  t = await buildTestApp();
  const org = await createOrganisation(t.db);
  nurses = await createTeam(t.db, org.id, { name: 'Cardiology Nurses', contactable: true });
  gp = await createTeam(t.db, org.id, { name: 'GP Practice', contactable: true });
  const pals = await createTeam(t.db, org.id, { name: 'PALS', contactable: true });
  writer = await patient(t.app, t.db, [org.id], { careTeamIds: [gp.id] });
  nurse = await staff(t.app, t.db, org.id, [{ teamId: nurses.id, role: 'member' }]);
  nursesManager = await staff(t.app, t.db, org.id, [{ teamId: nurses.id, role: 'manager' }]);
  gpDoctor = await staff(t.app, t.db, org.id, [{ teamId: gp.id, role: 'member' }]);
  gpManager = await staff(t.app, t.db, org.id, [{ teamId: gp.id, role: 'manager' }]);
  palsId = pals.id;
  // Neither has a care relationship: Pharmacy is given the record by the patient; the
  // emergency department opens it with emergency access.
  pharmacyId = (await createTeam(t.db, org.id, { name: 'Pharmacy', contactable: true })).id;
  pharmacist = await staff(t.app, t.db, org.id, [{ teamId: pharmacyId, role: 'member' }]);
  const emergencyDepartment = await createTeam(t.db, org.id, { name: 'Emergency Department' });
  emergency = await staff(t.app, t.db, org.id, [
    { teamId: emergencyDepartment.id, role: 'member' },
  ]);
});
afterAll(async () => t?.close());

type Standing = {
  readOnly: boolean;
  readingAs?: string | null;
  myFormerTeams?: { teamId: string; teamName: string }[];
};
const standing = async (person: Person, id: string) => {
  const view = (await open(person.client, id)) as Awaited<ReturnType<typeof open>> & Standing;
  return { readOnly: view.readOnly, readingAs: view.readingAs, myFormerTeams: view.myFormerTeams };
};

describe('why staff reading without taking part may read (C3, M3)', () => {
  it('a nurse whose team was taken out is a former participant, with her team named', async () => {
    const id = await startConversation(writer.client, [{ teamId: nurses.id }, { teamId: palsId }]);
    expect(await standing(nurse, id)).toEqual({
      readOnly: false,
      readingAs: null,
      myFormerTeams: [],
    });
    await expectStatus(
      nursesManager.client,
      { method: 'POST', url: url.leave(id), payload: { teamId: nurses.id } },
      204,
    );
    expect(await standing(nurse, id)).toEqual({
      readOnly: true,
      readingAs: 'former_participant',
      myFormerTeams: [{ teamId: nurses.id, teamName: 'Cardiology Nurses' }],
    });
  });

  it('a team with a care relationship that never took part has record access: may join', async () => {
    const id = await startConversation(writer.client, [{ teamId: nurses.id }]);
    const view = await open(gpDoctor.client, id);
    expect(view.actions.join).toBe(true);
    expect(await standing(gpDoctor, id)).toEqual({
      readOnly: true,
      readingAs: 'record_access',
      myFormerTeams: [],
    });
  });

  it('a team the patient shared the record with, no care relationship, has record access (C2, C3)', async () => {
    const id = await startConversation(writer.client, [{ teamId: nurses.id }]);
    await expectStatus(pharmacist.client, { method: 'GET', url: url.conversation(id) }, 404);
    await expectStatus(
      writer.client,
      { method: 'POST', url: '/api/v1/record-access-grants', payload: { teamId: pharmacyId } },
      201,
    );
    expect(await standing(pharmacist, id)).toEqual({
      readOnly: true,
      readingAs: 'record_access',
      myFormerTeams: [],
    });
  });

  it('a professional with no access who uses emergency access reads through it (C3)', async () => {
    const id = await startConversation(writer.client, [{ teamId: nurses.id }]);
    await expectStatus(emergency.client, { method: 'GET', url: url.conversation(id) }, 404);
    const { nhsNumber } = (
      await expectStatus(
        gpDoctor.client,
        { method: 'GET', url: `/api/v1/patients/${writer.id}` },
        200,
      )
    ).json<{ nhsNumber: string }>();
    await expectStatus(
      emergency.client,
      {
        method: 'POST',
        url: '/api/v1/break-glass',
        payload: { nhsNumber, reason: 'emergency_care', detail: 'Brought in unconscious' },
      },
      201,
    );
    expect(await standing(emergency, id)).toEqual({
      readOnly: true,
      readingAs: 'break_glass',
      myFormerTeams: [],
    });
  });

  it('a care team taken out still has record access, and its leaving is named too', async () => {
    const id = await startConversation(writer.client, [{ teamId: nurses.id }, { teamId: gp.id }]);
    await expectStatus(
      gpManager.client,
      { method: 'POST', url: url.leave(id), payload: { teamId: gp.id } },
      204,
    );
    expect(await standing(gpDoctor, id)).toEqual({
      readOnly: true,
      readingAs: 'record_access',
      myFormerTeams: [{ teamId: gp.id, teamName: 'GP Practice' }],
    });
  });

  it('a team taken out and added back is taking part again, and no former team', async () => {
    const id = await startConversation(writer.client, [{ teamId: nurses.id }, { teamId: palsId }]);
    await expectStatus(
      nursesManager.client,
      { method: 'POST', url: url.leave(id), payload: { teamId: nurses.id } },
      204,
    );
    expect((await send(writer.client, id, 'Still there?')).statusCode).toBe(201);
    await expectStatus(gpDoctor.client, { method: 'POST', url: url.join(id) }, 200);
    await expectStatus(
      gpDoctor.client,
      { method: 'POST', url: url.participants(id), payload: { teamId: nurses.id } },
      200,
    );
    expect(await standing(nurse, id)).toEqual({
      readOnly: false,
      readingAs: null,
      myFormerTeams: [],
    });
  });

  it('patients are told none of it', async () => {
    const id = await startConversation(writer.client, [{ teamId: nurses.id }]);
    expect(await standing(writer, id)).toEqual({
      readOnly: false,
      readingAs: null,
      myFormerTeams: [],
    });
  });
});
