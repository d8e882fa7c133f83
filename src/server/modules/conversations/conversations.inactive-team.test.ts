import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  count,
  open,
  type Person,
  patient,
  send,
  staff,
  startConversation,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

/**
 * W5, no message silently lost: a team made inactive drops out of its members' views, so a
 * patient's message in a conversation where no active team or professional takes part would
 * reach nobody. It is refused, and the page says so before the patient writes.
 */

let t: TestApp;
let coordinator: Person;
let margaret: Person;
let nurse: Person;
let closing: { id: string };
let staying: { id: string };

const setActive = async (teamId: string, active: boolean) => {
  const response = await coordinator.client.request({
    method: 'PATCH',
    url: `/api/v1/teams/${teamId}`,
    payload: { active },
  });
  expect(response.statusCode, response.body).toBe(200);
};
const stored = (conversationId: string) =>
  count(
    t.db,
    sql`select (select count(*) from messages where conversation_id = ${conversationId})
             + (select count(*) from outbox where payload->>'conversationId' = ${conversationId}) as n`,
  );

beforeAll(async () => {
  t = await buildTestApp();
  const org = await createOrganisation(t.db);
  const admin = await createTeam(t.db, org.id, { contactable: false });
  closing = await createTeam(t.db, org.id, { name: 'Old Clinic', contactable: true });
  staying = await createTeam(t.db, org.id, { name: 'Cardiology Nurses', contactable: true });
  coordinator = await staff(t.app, t.db, org.id, [{ teamId: admin.id, role: 'coordinator' }]);
  nurse = await staff(t.app, t.db, org.id, [{ teamId: closing.id, role: 'member' }]);
  margaret = await patient(t.app, t.db, [org.id]);
});
afterAll(() => t.close());

describe('a conversation whose only team was made inactive (W5)', () => {
  it('refuses the patient’s message, changes nothing, and the page says so first', async () => {
    const id = await startConversation(margaret.client, [{ teamId: closing.id }]);
    expect((await send(nurse.client, id, 'We will call you.')).statusCode).toBe(201);
    await setActive(closing.id, false);

    const page = await open(margaret.client, id);
    expect(page).toMatchObject({ nobodyToRead: true, actions: { reply: false } });
    const before = await stored(id);
    const refused = await send(margaret.client, id, 'Nobody called me.');
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ code: string }>().code).toBe('conversation.nobody_to_read');
    expect(await stored(id)).toBe(before);

    // Made active again, its members read what the patient writes.
    await setActive(closing.id, true);
    expect(await open(margaret.client, id)).toMatchObject({
      nobodyToRead: false,
      actions: { reply: true },
    });
    expect((await send(margaret.client, id, 'Nobody called me.')).statusCode).toBe(201);
  });

  it('another active team taking part still reads it', async () => {
    const id = await startConversation(margaret.client, [
      { teamId: closing.id },
      { teamId: staying.id },
    ]);
    await setActive(closing.id, false);
    expect(await open(margaret.client, id)).toMatchObject({
      nobodyToRead: false,
      actions: { reply: true },
    });
    expect((await send(margaret.client, id, 'Still there?')).statusCode).toBe(201);
    await setActive(closing.id, true);
  });
});
