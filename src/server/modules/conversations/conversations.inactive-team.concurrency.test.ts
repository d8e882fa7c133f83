import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  count,
  type Person,
  patient,
  problemOf,
  send,
  staff,
  startConversation,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import { race } from '../../../../test/lock-race';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

/**
 * W5, no message silently lost, with a patient's message and "make the team inactive" in
 * flight at once. Each test holds a row lock of its own in a third transaction (the gate) to
 * stop one request half-way, and lets the other run into it. PGlite has one connection, so
 * only PostgreSQL can run the two at the same time.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)(
  'a patient writes while their conversation’s only team is made inactive (W5)',
  () => {
    let t: TestApp;
    let org: { id: string };
    let coordinator: Person;
    let margaret: Person;

    beforeAll(async () => {
      t = await buildTestApp();
      org = await createOrganisation(t.db);
      const admin = await createTeam(t.db, org.id, { contactable: false });
      coordinator = await staff(t.app, t.db, org.id, [{ teamId: admin.id, role: 'coordinator' }]);
      margaret = await patient(t.app, t.db, [org.id]);
    });
    afterAll(() => t.close());

    const deactivate = (teamId: string) =>
      coordinator.client.request({
        method: 'PATCH',
        url: `/api/v1/teams/${teamId}`,
        payload: { active: false },
      });

    const messagesIn = (conversationId: string) =>
      count(
        t.db,
        sql`select count(*)::int as n from messages where conversation_id = ${conversationId}`,
      );

    it('W5: a message past its check holds the team active until it is stored; making it inactive waits', async () => {
      const clinic = await createTeam(t.db, org.id, { name: 'Old Clinic', contactable: true });
      const id = await startConversation(margaret.client, [{ teamId: clinic.id }]);
      // The message stops at the team's work row, written after the check that a team reads it.
      const raced = await race(
        t.db,
        (tx) =>
          tx.execute(
            sql`select 1 from conversation_team_states where conversation_id = ${id} for update`,
          ),
        () => send(margaret.client, id, 'Is anyone there?'),
        () => deactivate(clinic.id),
      );

      expect(raced.second.statusCode, raced.second.body).toBe(200);
      expect(raced.first.statusCode, raced.first.body).toBe(201);
      // The message was stored while the team was still active: the change waited for it.
      expect(
        raced.secondAnsweredFirst,
        'the team was made inactive before the message was stored',
      ).toBe(false);
    });

    it('W5: a message checked while the team is being made inactive waits, then is refused and stores nothing', async () => {
      const clinic = await createTeam(t.db, org.id, { name: 'Old Clinic', contactable: true });
      const id = await startConversation(margaret.client, [{ teamId: clinic.id }]);
      const before = await messagesIn(id);
      // The change stops at the organisation's row, after it has locked the team's.
      const raced = await race(
        t.db,
        (tx) => tx.execute(sql`select 1 from organisations where id = ${org.id} for update`),
        () => deactivate(clinic.id),
        () => send(margaret.client, id, 'Is anyone there?'),
      );

      expect(raced.first.statusCode, raced.first.body).toBe(200);
      expect(raced.secondAnsweredFirst, 'the message did not wait for the change').toBe(false);
      expect(raced.second.statusCode, raced.second.body).toBe(409);
      expect(problemOf(raced.second).code).toBe('conversation.nobody_to_read');
      expect(await messagesIn(id)).toBe(before);
    });
  },
);
