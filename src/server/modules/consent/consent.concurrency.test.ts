import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consentUrl,
  consentWorld,
  type ConsentWorld,
  makeCarer,
} from '../../../../test/consent-world';
import {
  expectStatus,
  type Person,
  staff,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { createTeam } from '../../../../test/factories';
import { userIdOf } from '../../../../test/notifications-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';

/** On PostgreSQL (TEST_DATABASE_URL) these requests really run at the same time. */
const DAY = 24 * 60 * 60 * 1000;
let t: TestApp;
let w: ConsentWorld;

beforeAll(async () => {
  t = await buildTestApp();
  w = await consentWorld(t.app, t.db);
});
afterAll(() => t.close());

const activeGrantIds = async (teamId = w.pals.id) =>
  (
    await queryRows<{ id: string }>(
      t.db,
      sql`select id from record_access_grants
           where patient_id = ${w.margaret.id} and team_id = ${teamId}
             and revoked_at is null and expires_at > ${t.clock.now().toISOString()}::timestamptz`,
    )
  ).map((r) => r.id);

const readsRecord = async (member: Person = w.palsMember) =>
  (await member.client.request({ method: 'GET', url: url.record(w.margaret.id) })).statusCode;

describe('record-access grants at the same time (C2)', () => {
  it('8 grants to PALS at once: each replaces the last, one stays in force, and revoking it ends access', async () => {
    for (let round = 0; round < 3; round++) {
      const responses = await Promise.all(
        Array.from({ length: 8 }, () =>
          w.margaret.client.request({
            method: 'POST',
            url: consentUrl.grants,
            payload: { teamId: w.pals.id },
          }),
        ),
      );
      for (const response of responses) expect(response.statusCode, response.body).toBe(201);
      const active = await activeGrantIds();
      expect(active, `round ${round}`).toHaveLength(1);
      expect(await readsRecord()).toBe(200);
      await expectStatus(
        w.margaret.client,
        { method: 'POST', url: consentUrl.revokeGrant(active[0]!) },
        200,
      );
      expect(await activeGrantIds()).toEqual([]);
      expect(await readsRecord()).toBe(404);
    }
  });

  it('revoking a grant ends every grant to that team still in force, so none left from older data keeps access', async () => {
    const complaints = await createTeam(t.db, w.org.id, { name: 'Complaints' });
    const member = await staff(t.app, t.db, w.org.id, [{ teamId: complaints.id, role: 'member' }]);
    const margaretUser = await userIdOf(t.db, { patientId: w.margaret.id });
    const now = t.clock.now();
    const later = new Date(now.getTime() + 5 * DAY).toISOString();
    const [older, newer] = await queryRows<{ id: string }>(
      t.db,
      sql`insert into record_access_grants
            (patient_id, team_id, granted_by_user_id, starts_at, expires_at)
          values (${w.margaret.id}, ${complaints.id}, ${margaretUser}, ${now.toISOString()}, ${later}),
                 (${w.margaret.id}, ${complaints.id}, ${margaretUser}, ${now.toISOString()}, ${later})
          returning id`,
    );
    expect(await readsRecord(member)).toBe(200);
    await expectStatus(
      w.margaret.client,
      { method: 'POST', url: consentUrl.revokeGrant(newer!.id) },
      200,
    );
    expect(await activeGrantIds(complaints.id)).toEqual([]);
    expect(await readsRecord(member)).toBe(404);
    // The other one has ended too, so revoking it again is refused.
    const again = await w.margaret.client.request({
      method: 'POST',
      url: consentUrl.revokeGrant(older!.id),
    });
    expect(again.statusCode).toBe(409);
  });
});

describe('copying a carer in while the consent is revoked (C1)', () => {
  it('whichever wins, the carer is never left taking part after the consent has ended (12 rounds)', async () => {
    const carolUser = await userIdOf(t.db, { patientId: w.carol.id });
    for (let round = 0; round < 12; round++) {
      const conversationId = await startConversation(w.margaret.client, [{ teamId: w.nurses.id }]);
      const consentId = await makeCarer(w.margaret, w.carol, 'view');
      const [copied, revoked] = await Promise.all([
        w.margaret.client.request({
          method: 'POST',
          url: consentUrl.carers(conversationId),
          payload: { consentId },
        }),
        // The carer steps down: another user, so nothing else orders the two requests.
        w.carol.client.request({ method: 'POST', url: consentUrl.revoke(consentId) }),
      ]);
      expect(revoked.statusCode, revoked.body).toBe(200);
      expect([200, 422], copied.body).toContain(copied.statusCode);
      const stillIn = await queryRows<{ n: number }>(
        t.db,
        sql`select count(*)::int as n from conversation_participants
             where conversation_id = ${conversationId} and kind = 'carer'
               and user_id = ${carolUser} and left_at is null`,
      );
      expect(stillIn[0]?.n, `round ${round}: copy-in ${copied.statusCode}`).toBe(0);
    }
  });

  it('a carer starting a conversation while their consent is revoked is not left taking part', async () => {
    const carolUser = await userIdOf(t.db, { patientId: w.carol.id });
    for (let round = 0; round < 12; round++) {
      const consentId = await makeCarer(w.margaret, w.carol, 'message');
      const [started, revoked] = await Promise.all([
        w.carol.client.request({
          method: 'POST',
          url: url.conversations,
          payload: {
            patientId: w.margaret.id,
            subject: 'For Margaret',
            body: 'Asking on her behalf.',
            recipients: [{ teamId: w.nurses.id }],
          },
        }),
        w.margaret.client.request({ method: 'POST', url: consentUrl.revoke(consentId) }),
      ]);
      expect(revoked.statusCode, revoked.body).toBe(200);
      expect([201, 404], started.body).toContain(started.statusCode);
      if (started.statusCode !== 201) continue;
      const conversationId = started.json<{ id: string }>().id;
      const stillIn = await queryRows<{ n: number }>(
        t.db,
        sql`select count(*)::int as n from conversation_participants
             where conversation_id = ${conversationId} and kind = 'carer'
               and user_id = ${carolUser} and left_at is null`,
      );
      expect(stillIn[0]?.n, `round ${round}: start ${started.statusCode}`).toBe(0);
    }
  });
});
