import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrganisation,
  createPatient,
  createProfessional,
  createTeam,
} from '../../../../test/factories';
import { ANONYMOUS_CLIENT, signIn } from '../../../../test/http';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import type { OpeningPeriod } from './directory.schema';
import type { PublicTeam } from './public-team.contracts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const unique = () => crypto.randomUUID().slice(0, 8);
const weekdays: OpeningPeriod[] = (
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as const
).map((day) => ({ day, opens: '09:00', closes: '17:00' }));

const getPublic = (slug: string) =>
  ANONYMOUS_CLIENT(t.app).request({ method: 'GET', url: `/api/v1/public/teams/${slug}` });

describe('a team’s public page facts (issue 8: /t/<slug>)', () => {
  it('anyone may read what the team does, its hours, reply time and phone, and nothing else', async () => {
    const organisation = await createOrganisation(t.db, `Trust ${unique()}`);
    const team = await createTeam(t.db, organisation.id, {
      name: 'Cardiology Nurses',
      description: 'Questions about heart medicines and tests.',
      phone: '020 7946 0000',
      openingHours: weekdays,
      replyWithinWorkingDays: 2,
    });
    await createProfessional(t.db, organisation.id, [{ teamId: team.id, role: 'manager' }]);
    // The test clock: Wednesday 25 November 2026, 09:00 UTC = 09:00 GMT.
    const response = await getPublic(team.slug);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      slug: team.slug,
      name: 'Cardiology Nurses',
      organisationName: organisation.name,
      description: 'Questions about heart medicines and tests.',
      phone: '020 7946 0000',
      openingHours: weekdays,
      replyWithinWorkingDays: 2,
      canMessage: true,
      active: true,
      otherTeams: [],
      availability: { openNow: true, closesAt: '2026-11-25T17:00:00.000Z', nextOpening: null },
      timeZone: 'Europe/London',
    });

    t.clock.advance(9 * 60 * 60_000); // 18:00: closed until Thursday 09:00.
    const closed = (await getPublic(team.slug)).json<PublicTeam>();
    expect(closed.availability).toEqual({
      openNow: false,
      closesAt: null,
      nextOpening: { at: '2026-11-26T09:00:00.000Z', day: 'thursday', time: '09:00' },
    });
    t.clock.advance(-9 * 60 * 60_000);
  });

  it('a team patients cannot message, or no longer active, keeps its phone number and says so', async () => {
    const organisation = await createOrganisation(t.db);
    const consultants = await createTeam(t.db, organisation.id, {
      contactable: false,
      phone: '0161 496 0000',
    });
    const closedDown = await createTeam(t.db, organisation.id, {
      active: false,
      phone: '0161 496 0001',
      openingHours: weekdays,
    });
    expect((await getPublic(consultants.slug)).json()).toMatchObject({
      canMessage: false,
      phone: '0161 496 0000',
      availability: null,
    });
    expect((await getPublic(closedDown.slug)).json()).toMatchObject({
      canMessage: false,
      phone: '0161 496 0001',
      availability: null,
    });
    // Not contactable is not closed down: that page offers no other teams.
    expect((await getPublic(consultants.slug)).json()).toMatchObject({
      active: true,
      otherTeams: [],
    });
  });

  it('a team made inactive says it is no longer taking messages, and names where to write instead', async () => {
    const organisation = await createOrganisation(t.db);
    const closedDown = await createTeam(t.db, organisation.id, {
      name: 'Leg Ulcer Clinic',
      active: false,
    });
    const pals = await createTeam(t.db, organisation.id, { name: 'PALS' });
    const appointments = await createTeam(t.db, organisation.id, {
      name: 'Central Appointments',
    });
    // Not offered: a team patients cannot write to, another inactive one, another trust's.
    await createTeam(t.db, organisation.id, { name: 'Consultants', contactable: false });
    await createTeam(t.db, organisation.id, { name: 'Old Clinic', active: false });
    const elsewhere = await createOrganisation(t.db);
    await createTeam(t.db, elsewhere.id, { name: 'Another Trust PALS' });

    const response = await getPublic(closedDown.slug);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      name: 'Leg Ulcer Clinic',
      canMessage: false,
      active: false,
      availability: null,
      otherTeams: [
        { slug: appointments.slug, name: 'Central Appointments' },
        { slug: pals.slug, name: 'PALS' },
      ],
    });
    expect(response.json<PublicTeam>().otherTeams).toHaveLength(2);
  });

  it('an inactive team names at most 20 teams to write to instead, first by name (decision 0013)', async () => {
    const organisation = await createOrganisation(t.db);
    const closedDown = await createTeam(t.db, organisation.id, { active: false });
    // 23 teams patients may write to, made last name first: the page names the first 20 by name.
    const names = Array.from({ length: 23 }, (_, i) => `Clinic ${String(i + 1).padStart(2, '0')}`);
    const slugs = new Map<string, string>();
    for (const name of [...names].reverse()) {
      slugs.set(name, (await createTeam(t.db, organisation.id, { name })).slug);
    }
    const response = await getPublic(closedDown.slug);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<PublicTeam>().otherTeams).toEqual(
      names.slice(0, 20).map((name) => ({ slug: slugs.get(name), name })),
    );
  });

  it('an unknown address is not found, and a malformed one is refused', async () => {
    expect((await getPublic(`no-such-team-${unique()}`)).json()).toMatchObject({
      status: 404,
      code: 'team.not_found',
    });
    expect((await getPublic('Not_A_Slug')).json()).toMatchObject({ code: 'request.invalid' });
  });

  it('an address with capital letters, as a leaflet may print it, finds the team', async () => {
    const organisation = await createOrganisation(t.db, `Trust ${unique()}`);
    const team = await createTeam(t.db, organisation.id, { slug: `heart-clinic-${unique()}` });
    const shouted = team.slug.replace(/^heart-clinic/, 'Heart-CLINIC');
    const response = await getPublic(shouted);
    expect(response.statusCode, response.body).toBe(200);
    // The team's own address comes back, in lower case: the page moves there.
    expect(response.json<PublicTeam>()).toMatchObject({ slug: team.slug, name: team.name });
  });

  it('a patient choosing whom to write to sees each team’s slug and whether it is open now', async () => {
    const organisation = await createOrganisation(t.db);
    const open = await createTeam(t.db, organisation.id, { openingHours: weekdays });
    const weekend = await createTeam(t.db, organisation.id, {
      openingHours: [{ day: 'saturday', opens: '10:00', closes: '12:00' }],
    });
    const patient = await createPatient(t.db, [organisation.id]);
    const client = await signIn(t.app, patient.email);
    const response = await client.request({ method: 'GET', url: '/api/v1/me/recipients' });
    expect(response.statusCode, response.body).toBe(200);
    const teams = response.json<{
      teams: { id: string; slug: string; availability: PublicTeam['availability'] }[];
    }>().teams;
    expect(teams.find((x) => x.id === open.id)).toMatchObject({
      slug: open.slug,
      availability: { openNow: true },
    });
    expect(teams.find((x) => x.id === weekend.id)?.availability).toEqual({
      openNow: false,
      closesAt: null,
      nextOpening: { at: '2026-11-28T10:00:00.000Z', day: 'saturday', time: '10:00' },
    });
  });

  it('a coordinator sets the expected reply time in working days (1 to 20, or none)', async () => {
    const organisation = await createOrganisation(t.db);
    const admin = await createTeam(t.db, organisation.id, { contactable: false });
    const coordinator = await createProfessional(t.db, organisation.id, [
      { teamId: admin.id, role: 'coordinator' },
    ]);
    const client = await signIn(t.app, coordinator.email);
    const created = await client.request({
      method: 'POST',
      url: `/api/v1/organisations/${organisation.id}/teams`,
      payload: {
        name: 'Dermatology Reception',
        slug: `derm-${unique()}`,
        contactable: true,
        replyWithinWorkingDays: 3,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const team = created.json<{ id: string; slug: string; replyWithinWorkingDays: number }>();
    expect(team.replyWithinWorkingDays).toBe(3);
    const patch = (replyWithinWorkingDays: unknown) =>
      client.request({
        method: 'PATCH',
        url: `/api/v1/teams/${team.id}`,
        payload: { replyWithinWorkingDays },
      });
    expect((await patch(0)).json()).toMatchObject({ code: 'request.invalid' });
    expect((await patch(21)).statusCode).toBe(400);
    expect((await patch(null)).json()).toMatchObject({ replyWithinWorkingDays: null });
    expect((await getPublic(team.slug)).json()).toMatchObject({ replyWithinWorkingDays: null });
  });
});
