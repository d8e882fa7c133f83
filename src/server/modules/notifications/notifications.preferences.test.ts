import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  count,
  expectStatus,
  patient as signedInPatient,
  problemOf,
  staff,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import { ANONYMOUS_CLIENT } from '../../../../test/http';
import { signInAs } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const PATH = '/api/v1/me/notification-preferences';
type Preferences = { teams: { teamId: string; teamName: string; mode: string }[] };

async function world() {
  const org = await createOrganisation(t.db);
  const wards = await createTeam(t.db, org.id, { name: 'Ward 7' });
  const clinic = await createTeam(t.db, org.id, { name: 'Clinic B' });
  const elsewhere = await createTeam(t.db, org.id, { name: 'Pharmacy' });
  const nurse = await staff(t.app, t.db, org.id, [
    { teamId: wards.id, role: 'member' },
    { teamId: clinic.id, role: 'manager' },
  ]);
  return { org, wards, clinic, elsewhere, nurse };
}

describe('notification preferences (N1)', () => {
  it('default to immediately for each of the professional’s teams, and nothing else', async () => {
    const w = await world();
    const response = await expectStatus(w.nurse.client, { method: 'GET', url: PATH }, 200);
    const teams = response.json<Preferences>().teams;
    expect(teams.map((x) => [x.teamName, x.mode]).sort()).toEqual([
      ['Clinic B', 'immediate'],
      ['Ward 7', 'immediate'],
    ]);
  });

  it('persist an update, return the whole set, and audit the change', async () => {
    const w = await world();
    const audits = () =>
      count(
        t.db,
        sql`select count(*)::int as n from audit_events where action = 'notification_preferences.updated'`,
      );
    const before = await audits();
    const updated = await expectStatus(
      w.nurse.client,
      {
        method: 'PUT',
        url: PATH,
        payload: {
          teams: [
            { teamId: w.wards.id, mode: 'digest' },
            { teamId: w.clinic.id, mode: 'off' },
          ],
        },
      },
      200,
    );
    const byTeam = (p: Preferences) => Object.fromEntries(p.teams.map((x) => [x.teamId, x.mode]));
    expect(byTeam(updated.json<Preferences>())).toEqual({
      [w.wards.id]: 'digest',
      [w.clinic.id]: 'off',
    });
    expect(await audits()).toBe(before + 1);

    // A fresh session sees the same; a partial update leaves the other team alone.
    const again = await signInAs(t.app, w.nurse.email);
    await expectStatus(
      again,
      { method: 'PUT', url: PATH, payload: { teams: [{ teamId: w.wards.id, mode: 'immediate' }] } },
      200,
    );
    const read = await expectStatus(again, { method: 'GET', url: PATH }, 200);
    expect(byTeam(read.json<Preferences>())).toEqual({
      [w.wards.id]: 'immediate',
      [w.clinic.id]: 'off',
    });
  });

  it('refuse a team the professional is not in, naming the field, and change nothing', async () => {
    const w = await world();
    const response = await expectStatus(
      w.nurse.client,
      {
        method: 'PUT',
        url: PATH,
        payload: {
          teams: [
            { teamId: w.wards.id, mode: 'off' },
            { teamId: w.elsewhere.id, mode: 'off' },
          ],
        },
      },
      400,
    );
    const problem = response.json<{ errors?: { field: string; code: string }[] }>();
    expect(problem.errors).toContainEqual(
      expect.objectContaining({
        field: 'body/teams/1/teamId',
        code: 'notifications.not_team_member',
      }),
    );
    const read = await expectStatus(w.nurse.client, { method: 'GET', url: PATH }, 200);
    expect(read.json<Preferences>().teams.every((x) => x.mode === 'immediate')).toBe(true);
  });

  it.each([
    [
      'an unknown mode',
      { teams: [{ teamId: '00000000-0000-4000-8000-000000000000', mode: 'loud' }] },
    ],
    ['no teams', { teams: [] }],
    ['an unknown field', { teams: [], extra: true }],
    ['a malformed id', { teams: [{ teamId: 'ward-7', mode: 'off' }] }],
  ])('refuse %s with 400', async (_name, payload) => {
    const w = await world();
    const response = await expectStatus(w.nurse.client, { method: 'PUT', url: PATH, payload }, 400);
    expect(problemOf(response).code).toBeTruthy();
  });

  it('are for staff: patients get 403, anonymous callers 401', async () => {
    const w = await world();
    const person = await signedInPatient(t.app, t.db, [w.org.id]);
    const get = await expectStatus(person.client, { method: 'GET', url: PATH }, 403);
    expect(problemOf(get).code).toBe('notifications.staff_only');
    await expectStatus(
      person.client,
      { method: 'PUT', url: PATH, payload: { teams: [{ teamId: w.wards.id, mode: 'off' }] } },
      403,
    );
    await expectStatus(ANONYMOUS_CLIENT(t.app), { method: 'GET', url: PATH }, 401);
  });

  it('are described in the OpenAPI document', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    const operations = JSON.stringify(response.json());
    expect(operations).toContain('"getNotificationPreferences"');
    expect(operations).toContain('"updateNotificationPreferences"');
  });
});
