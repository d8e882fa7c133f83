import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrganisation,
  createPatient,
  createProfessional,
  createTeam,
} from '../../../../test/factories';
import type { Client } from '../../../../test/http';
import { signInAs } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import type { Team } from './directory.contracts';
import { teams } from './directory.schema';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('listTeams (DESIGN §1 contactable; §5 keyset pages)', () => {
  type Page = { items: Team[]; nextCursor: string | null };

  async function walk(client: Client, query: string, limit: number) {
    const pages: Page[] = [];
    let cursor: string | null = null;
    do {
      const url = `/api/v1/teams?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await client.request({ method: 'GET', url });
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json<Page>();
      pages.push(page);
      cursor = page.nextCursor;
      expect(pages.length).toBeLessThan(500);
    } while (cursor);
    return pages;
  }

  it('a patient sees only the contactable, active teams of the organisations they are registered with', async () => {
    const a = await createOrganisation(t.db);
    const b = await createOrganisation(t.db);
    const c = await createOrganisation(t.db);
    const pals = await createTeam(t.db, a.id, { name: 'PALS', contactable: true });
    const records = await createTeam(t.db, a.id, { name: 'Medical Records', contactable: true });
    await createTeam(t.db, a.id, { name: 'Cardiology Consultants', contactable: false });
    await createTeam(t.db, a.id, { name: 'Closed Clinic', contactable: true, active: false });
    const appointments = await createTeam(t.db, b.id, {
      name: 'Central Appointments',
      contactable: true,
    });
    await createTeam(t.db, c.id, { name: 'Elsewhere Reception', contactable: true });
    const patient = await createPatient(t.db, [a.id, b.id]);
    const client = await signInAs(t.app, patient.email);

    const all = (await walk(client, '', 200)).flatMap((p) => p.items);
    expect(all.map((team) => team.id)).toEqual([appointments.id, records.id, pals.id]);
    expect(all.every((team) => team.contactable && team.active)).toBe(true);

    const inA = (await walk(client, `&organisationId=${a.id}`, 200)).flatMap((p) => p.items);
    expect(inA.map((team) => team.name)).toEqual(['Medical Records', 'PALS']);
    expect(await walk(client, `&organisationId=${c.id}`, 200)).toEqual([
      { items: [], nextCursor: null },
    ]);

    const unregistered = await createPatient(t.db, []);
    const nobody = await signInAs(t.app, unregistered.email);
    expect(await walk(nobody, '', 200)).toEqual([{ items: [], nextCursor: null }]);
  });

  it('a list and a single read never disagree, for a patient and for staff', async () => {
    const organisation = await createOrganisation(t.db);
    await createTeam(t.db, organisation.id, { contactable: false });
    await createTeam(t.db, organisation.id, { contactable: true, active: false });
    await createTeam(t.db, organisation.id, { contactable: true });
    const patient = await signInAs(t.app, (await createPatient(t.db, [organisation.id])).email);
    const staffTeam = await createTeam(t.db, organisation.id);
    const staff = await signInAs(
      t.app,
      (await createProfessional(t.db, organisation.id, [{ teamId: staffTeam.id, role: 'member' }]))
        .email,
    );
    const everyTeam = await t.db.select({ id: teams.id }).from(teams);
    for (const client of [patient, staff]) {
      const listed = new Set(
        (await walk(client, '', 200)).flatMap((p) => p.items.map((team) => team.id)),
      );
      for (const { id } of everyTeam) {
        const read = await client.request({ method: 'GET', url: `/api/v1/teams/${id}` });
        expect(read.statusCode, id).toBe(listed.has(id) ? 200 : 404);
      }
    }
  });

  it('limit=2 walks every team once, in name order, including teams with the same name', async () => {
    const organisation = await createOrganisation(t.db);
    for (const name of [
      'Same name',
      'Same name',
      'Same name',
      'Another',
      'Zebra',
      'a lower-case name',
      'Ünicode',
    ]) {
      await createTeam(t.db, organisation.id, { name });
    }
    const staffTeam = await createTeam(t.db, organisation.id);
    const staff = await signInAs(
      t.app,
      (await createProfessional(t.db, organisation.id, [{ teamId: staffTeam.id, role: 'member' }]))
        .email,
    );
    const expected = await t.db
      .select({ id: teams.id })
      .from(teams)
      .orderBy(asc(teams.name), asc(teams.id));

    const pages = await walk(staff, '', 2);
    const ids = pages.flatMap((p) => p.items.map((team) => team.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expected.map((row) => row.id));
    expect(pages.slice(0, -1).every((p) => p.items.length === 2 && p.nextCursor !== null)).toBe(
      true,
    );
    expect(pages.at(-1)!.nextCursor).toBeNull();

    const inOrganisation = (await walk(staff, `&organisationId=${organisation.id}`, 2)).flatMap(
      (p) => p.items,
    );
    expect(inOrganisation).toHaveLength(8);
    expect(new Set(inOrganisation.map((team) => team.id)).size).toBe(8);
  });

  it('a patient walking with limit=1 sees each visible team once', async () => {
    const organisation = await createOrganisation(t.db);
    const visible = [];
    for (let i = 0; i < 5; i++)
      visible.push(await createTeam(t.db, organisation.id, { name: 'Ward', contactable: true }));
    await createTeam(t.db, organisation.id, { name: 'Ward', contactable: false });
    const patient = await signInAs(t.app, (await createPatient(t.db, [organisation.id])).email);
    const ids = (await walk(patient, '', 1)).flatMap((p) => p.items.map((team) => team.id));
    expect(ids).toEqual(visible.map((team) => team.id).sort());
  });

  it('listProfessionals pages by name and finds by name or email, for staff', async () => {
    const organisation = await createOrganisation(t.db);
    const team = await createTeam(t.db, organisation.id);
    const people = [];
    for (const name of ['Bea', 'Bea', 'Al', 'Cy 100%']) {
      people.push(
        await createProfessional(t.db, organisation.id, [{ teamId: team.id, role: 'member' }], {
          name,
        }),
      );
    }
    const staff = await signInAs(t.app, people[0]!.email);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/professionals?organisationId=${organisation.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await staff.request({ method: 'GET', url })).json<{
        items: { id: string; name: string }[];
        nextCursor: string | null;
      }>();
      seen.push(...page.items.map((p) => p.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Al', 'Bea', 'Bea', 'Cy 100%']);
    const search = await staff.request({
      method: 'GET',
      url: `/api/v1/professionals?organisationId=${organisation.id}&q=100%25`,
    });
    expect(search.json<{ items: { name: string }[] }>().items.map((p) => p.name)).toEqual([
      'Cy 100%',
    ]);
    const wildcard = await staff.request({
      method: 'GET',
      url: `/api/v1/professionals?organisationId=${organisation.id}&q=_`,
    });
    expect(wildcard.json<{ items: unknown[] }>().items).toEqual([]);
  });
});
