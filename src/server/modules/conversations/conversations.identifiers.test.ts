import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentWorld, type ConsentWorld, makeCarer } from '../../../../test/consent-world';
import {
  expectStatus,
  patient,
  type Person,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { randomTestNhsNumber } from '../../../../test/factories';
import type { Client } from '../../../../test/http';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

let t: TestApp;
let w: ConsentWorld;
let owner: Person;
let nhsNumber: string;
let conversationId: string;

beforeAll(async () => {
  t = await buildTestApp();
  w = await consentWorld(t.app, t.db);
  nhsNumber = randomTestNhsNumber();
  // Looked after by Cardiology Nurses (record access); writes to PALS, which has none.
  owner = await patient(t.app, t.db, [w.org.id], {
    careTeamIds: [w.nurses.id],
    nhsNumber,
    dateOfBirth: '1946-03-12',
  });
  await makeCarer(owner, w.carol, 'view');
  conversationId = await startConversation(owner.client, [{ teamId: w.pals.id }]);
});
afterAll(() => t.close());

const patientOf = async (client: Client) => {
  const response = await expectStatus(
    client,
    { method: 'GET', url: url.conversation(conversationId) },
    200,
  );
  return response.json<{ patient: Record<string, unknown> }>().patient;
};

describe('who the patient is, on a conversation (staff only)', () => {
  it('staff in the conversation, and staff with record access, see the NHS number and date of birth', async () => {
    for (const reader of [w.palsMember, w.nurse]) {
      expect(await patientOf(reader.client)).toEqual({
        id: owner.id,
        name: owner.name,
        nhsNumber,
        dateOfBirth: '1946-03-12',
      });
    }
  });

  it('the patient and their carer see only the name (C1)', async () => {
    for (const reader of [owner, w.carol]) {
      expect(await patientOf(reader.client)).toEqual({ id: owner.id, name: owner.name });
    }
  });
});
