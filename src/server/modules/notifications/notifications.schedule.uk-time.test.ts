import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation, createProfessional, createTeam } from '../../../../test/factories';
import { userIdOf } from '../../../../test/notifications-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';
import { notificationPreferences } from './notifications.schema';
import { DIGEST_HOUR_UK, scheduleDigests } from './notifications.schedule';

/**
 * The daily digest (N1, N3) goes out from 07:00 on the clock on a UK wall — GMT in winter,
 * BST in summer — and once per UK day, also on the days the clocks change (the last Sundays
 * of March and October). The schedule runs every minute; here it runs every 15 minutes
 * across each change and we read what it queued.
 */

const MINUTE = 60_000;
const STEP = 15 * MINUTE;

let t: TestApp;
let recipient: string;

beforeAll(async () => {
  t = await buildTestApp();
  const org = await createOrganisation(t.db);
  const team = await createTeam(t.db, org.id);
  const digester = await createProfessional(t.db, org.id, [{ teamId: team.id, role: 'member' }]);
  await t.db.insert(notificationPreferences).values({
    professionalId: digester.id,
    teamId: team.id,
    mode: 'digest',
    updatedAt: new Date('2026-01-01T00:00:00Z'),
  });
  recipient = await userIdOf(t.db, { professionalId: digester.id });
});
afterAll(() => t.close());

/** Runs the schedule every 15 minutes from `from` up to `to`; returns each day's key → when it was first queued. */
async function runSchedule(from: string, to: string): Promise<Record<string, string>> {
  for (let at = Date.parse(from); at <= Date.parse(to); at += STEP) {
    await scheduleDigests(t.db, new Date(at));
  }
  const rows = await queryRows<{ event_key: string; created_at: string | Date }>(
    t.db,
    sql`select event_key, created_at from outbox
         where kind = 'digest' and recipient_user_id = ${recipient}
           and created_at >= ${new Date(from)} and created_at <= ${new Date(to)}
         order by created_at`,
  );
  return Object.fromEntries(rows.map((r) => [r.event_key, new Date(r.created_at).toISOString()]));
}

describe('the daily digest keeps to UK time (N1, N3)', () => {
  it('goes out from 07:00 UK time', () => {
    expect(DIGEST_HOUR_UK).toBe(7);
  });

  it('when the clocks go forward (Sunday 29 March 2026): 07:00 GMT, then 07:00 BST, once a day', async () => {
    // Saturday 00:00 GMT to Tuesday 12:00 BST.
    const queued = await runSchedule('2026-03-28T00:00:00Z', '2026-03-31T11:00:00Z');
    expect(queued).toEqual({
      'digest:2026-03-28': '2026-03-28T07:00:00.000Z', // Saturday 07:00 GMT
      'digest:2026-03-29': '2026-03-29T06:00:00.000Z', // Sunday 07:00 BST
      'digest:2026-03-30': '2026-03-30T06:00:00.000Z', // Monday 07:00 BST
      'digest:2026-03-31': '2026-03-31T06:00:00.000Z', // Tuesday 07:00 BST
    });
  });

  it('when the clocks go back (Sunday 25 October 2026): 07:00 BST, then 07:00 GMT, once a day', async () => {
    // Saturday 00:00 BST (still Friday in UTC) to Tuesday 12:00 GMT.
    const queued = await runSchedule('2026-10-23T23:00:00Z', '2026-10-27T12:00:00Z');
    expect(queued).toEqual({
      'digest:2026-10-24': '2026-10-24T06:00:00.000Z', // Saturday 07:00 BST
      'digest:2026-10-25': '2026-10-25T07:00:00.000Z', // Sunday 07:00 GMT
      'digest:2026-10-26': '2026-10-26T07:00:00.000Z', // Monday 07:00 GMT
      'digest:2026-10-27': '2026-10-27T07:00:00.000Z', // Tuesday 07:00 GMT
    });
  });

  it('the hour after midnight in summer belongs to the new UK day: nothing is queued before 07:00 there', async () => {
    // 23:30 UTC on 14 July is 00:30 BST on 15 July.
    await scheduleDigests(t.db, new Date('2026-07-14T23:30:00Z'));
    const queued = await runSchedule('2026-07-14T23:30:00Z', '2026-07-15T05:59:00Z');
    expect(queued).toEqual({});
    expect(await runSchedule('2026-07-14T23:30:00Z', '2026-07-15T06:00:00Z')).toEqual({
      'digest:2026-07-15': '2026-07-15T06:00:00.000Z',
    });
  });
});
