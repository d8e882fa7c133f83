import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentUrl, makeCarer } from '../../../../test/consent-world';
import {
  expectStatus,
  patient,
  type Person,
  staff,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

let t: TestApp;
let margaret: Person;
let carer: Person;
let doctor: Person;
let colleague: Person;
let nurses: { id: string; name: string };

beforeAll(async () => {
  t = await buildTestApp();
  const org = await createOrganisation(t.db);
  const clinic = await createTeam(t.db, org.id, { name: 'Heart Clinic', contactable: false });
  nurses = await createTeam(t.db, org.id, { name: 'Cardiology Nurses' });
  margaret = await patient(t.app, t.db, [org.id], { givenName: 'Margaret' });
  carer = await patient(t.app, t.db, [org.id], { givenName: 'Carol' });
  doctor = await staff(t.app, t.db, org.id, [
    { teamId: clinic.id, role: 'member', contactable: true },
  ]);
  colleague = await staff(t.app, t.db, org.id, [{ teamId: clinic.id, role: 'member' }]);
  await makeCarer(margaret, carer, 'view');
});
afterAll(() => t.close());

interface CaredForItem {
  id: string;
  teams: { id: string; name: string }[];
  professionals: { id: string; name: string }[];
}

const carersList = async () =>
  (
    await expectStatus(
      carer.client,
      { method: 'GET', url: consentUrl.caredForConversations(margaret.id) },
      200,
    )
  ).json<{ items: CaredForItem[] }>().items;

describe('a carer’s list of the patient’s conversations says who they were sent to (C1, M1)', () => {
  it('names the professional the patient wrote to by name, as the patient’s own list does', async () => {
    const toDoctor = await startConversation(margaret.client, [{ professionalId: doctor.id }]);
    const toNurses = await startConversation(margaret.client, [{ teamId: nurses.id }]);

    const items = await carersList();
    expect(items.find((i) => i.id === toDoctor)).toMatchObject({
      teams: [],
      professionals: [{ id: doctor.id, name: doctor.name }],
    });
    expect(items.find((i) => i.id === toNurses)).toMatchObject({
      teams: [{ id: nurses.id, name: 'Cardiology Nurses' }],
      professionals: [],
    });
  });

  it('leaves out a professional staff brought in later (M2), as the patient’s own list does', async () => {
    const id = await startConversation(margaret.client, [{ professionalId: doctor.id }]);
    await expectStatus(
      doctor.client,
      { method: 'POST', url: url.participants(id), payload: { professionalId: colleague.id } },
      200,
    );
    const item = (await carersList()).find((i) => i.id === id);
    expect(item?.professionals).toEqual([{ id: doctor.id, name: doctor.name }]);
  });
});
