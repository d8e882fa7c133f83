import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProfessional, createTeam } from '../../../../test/factories';
import {
  connectSystem,
  createIntegrationWorld,
  expectOutcome,
  fhir,
  followPages,
  type IntegrationWorld,
  SYSTEM_LABEL,
  tokenFor,
} from '../../../../test/integration-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';
import { recordAccessGrants } from '../consent/consent.schema';
import { careRelationships } from '../patients/patients.schema';
import { grantCareTeamId, relationshipCareTeamId } from './fhir.care-team';

let t: TestApp;
let world: IntegrationWorld;
let token: string;
let palsMember: string; // the name of a member of PALS, which no CareTeam may show (W2)
// Trust A's CareTeams of the patient, oldest first (C2):
let cardiology: string; // care relationship, 30 days ago (with microseconds)
let expired: string; // PALS grant, 25 to 18 days ago
let heartGrant: string; // Heart Failure grant, 20 days ago until 13 days ago
let heart: string; // Heart Failure care relationship, the same millisecond (and 999 µs)
let revoked: string; // PALS grant, 10 days ago until 3 days ago, revoked 8 days ago
let active: string; // PALS grant, 2 days ago until in 5 days
let revokedEarly: string; // PALS grant, in 2 days to 9, revoked yesterday before it started
let future: string; // PALS grant, in 3 days to 10
// Never Trust A's system's to see:
let otherTrust: string[]; // Trust B's team: a relationship and a grant with the patient
let inactive: string[]; // Trust A's closed ward: a relationship and a grant
let patientB: string; // Trust B's own patient's relationship
let notLookedAfter: string; // a grant to PALS from a patient none of Trust A's teams looks after

const DAY_MS = 24 * 60 * 60 * 1000;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const daysFromNow = (days: number) => new Date(t.clock.now().getTime() + days * DAY_MS);
const iso = (days: number) => daysFromNow(days).toISOString();

/** A care relationship begun `days` from now, plus `micros` microseconds, as the database keeps. */
async function relationship(teamId: string, patientId: string, days: number, micros = 0) {
  await t.db.insert(careRelationships).values({ teamId, patientId }).onConflictDoNothing();
  await t.db.execute(
    sql`update care_relationships
        set created_at = ${iso(days)}::timestamptz + ${micros} * interval '1 microsecond'
        where team_id = ${teamId} and patient_id = ${patientId}`,
  );
  return relationshipCareTeamId(teamId, patientId);
}

async function grant(
  teamId: string,
  days: { starts: number; expires: number; revoked?: number },
  patientId = world.patient.id,
) {
  const [user] = await queryRows<{ id: string }>(
    t.db,
    sql`select id from users where patient_id = ${patientId}`,
  );
  const [row] = await t.db
    .insert(recordAccessGrants)
    .values({
      patientId,
      teamId,
      grantedByUserId: user!.id,
      startsAt: daysFromNow(days.starts),
      expiresAt: daysFromNow(days.expires),
      revokedAt: days.revoked === undefined ? null : daysFromNow(days.revoked),
    })
    .returning();
  return grantCareTeamId(row!.id);
}

const auditOf = (patientId: string, action: string) =>
  queryRows<{ outcome: string; actor_label: string; entity_id: string; details: unknown }>(
    t.db,
    sql`select outcome, actor_label, entity_id, details from audit_events
        where patient_id = ${patientId} and action = ${action} order by id`,
  );

async function read(id: string) {
  const response = await fhir(t.app, token, 'GET', `CareTeam/${id}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ id: string; status: string; period: unknown }>();
}

beforeAll(async () => {
  t = await buildTestApp();
  world = await createIntegrationWorld(t.app, t.db);
  token = await tokenFor(t.app, await connectSystem(world.coordinatorA, world.trustA.id));
  const pals = await createTeam(t.db, world.trustA.id, { name: 'PALS' });
  // Its id sorts after any grant's, so that the tie below is broken by ids, not by chance.
  const heartFailure = await createTeam(t.db, world.trustA.id, {
    id: 'ffffffff-ffff-4fff-bfff-ffffffffffff',
    name: 'Heart Failure',
  });
  const closed = await createTeam(t.db, world.trustA.id, { name: 'Old Ward', active: false });
  palsMember = (
    await createProfessional(t.db, world.trustA.id, [{ teamId: pals.id, role: 'member' }], {
      name: 'Priyanka Palsworth',
    })
  ).name;
  const patientId = world.patient.id;
  cardiology = await relationship(world.cardiology.id, patientId, -30, 456);
  expired = await grant(pals.id, { starts: -25, expires: -18 });
  heart = await relationship(heartFailure.id, patientId, -20, 999);
  heartGrant = await grant(heartFailure.id, { starts: -20, expires: -13 });
  revoked = await grant(pals.id, { starts: -10, expires: -3, revoked: -8 });
  active = await grant(pals.id, { starts: -2, expires: 5 });
  revokedEarly = await grant(pals.id, { starts: 2, expires: 9, revoked: -1 });
  future = await grant(pals.id, { starts: 3, expires: 10 });
  otherTrust = [
    await relationship(world.teamB.id, patientId, -5),
    await grant(world.teamB.id, { starts: -1, expires: 6 }),
  ];
  inactive = [
    await relationship(closed.id, patientId, -4),
    await grant(closed.id, { starts: -1, expires: 6 }),
  ];
  patientB = relationshipCareTeamId(world.teamB.id, world.patientB.id);
  notLookedAfter = await grant(pals.id, { starts: -1, expires: 6 }, world.registeredOnly.id);
});
afterAll(() => t.close());

/**
 * Trust A's CareTeams in the order a search lists them: by start, then by the row's uuid (a
 * relationship's team's, a grant's own). Heart Failure's relationship and grant start in the
 * same millisecond, and its team's id sorts last.
 */
const expectedOrder = () => [
  cardiology,
  expired,
  heartGrant,
  heart,
  revoked,
  active,
  revokedEarly,
  future,
];

describe('FHIR CareTeam', () => {
  it('reads a care relationship as an active team of the organisation, audited (C2, C4)', async () => {
    const response = await fhir(t.app, token, 'GET', `CareTeam/${cardiology}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(response.json()).toEqual({
      resourceType: 'CareTeam',
      id: cardiology,
      status: 'active',
      category: [{ text: 'Looks after the patient (set by the organisation)' }],
      name: 'Cardiology',
      subject: { reference: `Patient/${world.patient.id}` },
      period: { start: iso(-30) },
      managingOrganization: [{ display: 'Trust A' }],
    });
    expect(cardiology).toMatch(/^[0-9a-f]{64}$/);
    expect((await auditOf(world.patient.id, 'care_team.read')).at(-1)).toMatchObject({
      outcome: 'success',
      actor_label: SYSTEM_LABEL,
      entity_id: cardiology,
      details: expect.objectContaining({ basis: 'connected_system' }) as unknown,
    });
  });

  it('reads the patient’s grant to a team as its own CareTeam, in force until it expires (C2)', async () => {
    const response = await fhir(t.app, token, 'GET', `CareTeam/${active}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      resourceType: 'CareTeam',
      id: active,
      status: 'active',
      category: [{ text: 'Record shared by the patient, for a limited time' }],
      name: 'PALS',
      subject: { reference: `Patient/${world.patient.id}` },
      period: { start: iso(-2), end: iso(5) },
      managingOrganization: [{ display: 'Trust A' }],
    });
    expect(response.body).not.toContain(palsMember);
  });

  it('an expired or revoked grant is inactive, ending when it stopped counting; one not started is proposed (C2)', async () => {
    expect(await read(expired)).toMatchObject({
      status: 'inactive',
      period: { start: iso(-25), end: iso(-18) },
    });
    expect(await read(revoked)).toMatchObject({
      status: 'inactive',
      period: { start: iso(-10), end: iso(-8) },
    });
    // Revoked before it began: it lasted no time, and never ends before it starts.
    expect(await read(revokedEarly)).toMatchObject({
      status: 'inactive',
      period: { start: iso(2), end: iso(2) },
    });
    expect(await read(future)).toMatchObject({
      status: 'proposed',
      period: { start: iso(3), end: iso(10) },
    });
  });

  it('searches by patient, as Patient/<id> too: the organisation’s teams only, oldest first', async () => {
    const response = await fhir(
      t.app,
      token,
      'GET',
      `CareTeam?patient=Patient/${world.patient.id}`,
    );
    expect(response.statusCode, response.body).toBe(200);
    const bundle = response.json<{
      entry: { fullUrl: string; resource: { id: string; status: string; name: string } }[];
      link: unknown[];
    }>();
    expect(bundle.entry.map((e) => e.resource.id)).toEqual(expectedOrder());
    expect(bundle.entry.map((e) => [e.resource.name, e.resource.status])).toEqual([
      ['Cardiology', 'active'],
      ['PALS', 'inactive'],
      ['Heart Failure', 'inactive'],
      ['Heart Failure', 'active'],
      ['PALS', 'inactive'],
      ['PALS', 'active'],
      ['PALS', 'inactive'],
      ['PALS', 'proposed'],
    ]);
    expect(bundle.entry[0]?.fullUrl).toBe(
      `${t.deps.config.publicUrl}/fhir/R4/CareTeam/${cardiology}`,
    );
    expect(bundle.link).toHaveLength(1);
    expect(response.body).not.toContain('Dermatology B');
    expect(response.body).not.toContain('Old Ward');
    expect(response.body).not.toContain(palsMember);
    expect((await auditOf(world.patient.id, 'record.care_teams_listed')).at(-1)).toMatchObject({
      outcome: 'success',
      actor_label: SYSTEM_LABEL,
      details: expect.objectContaining({ count: 8, basis: 'connected_system' }) as unknown,
    });
  });

  it('pages by keyset: every CareTeam once, in order, whatever the page size', async () => {
    for (const count of [1, 3]) {
      const pages = await followPages<{ id: string }>(
        t.app,
        token,
        `CareTeam?patient=${world.patient.id}&_count=${count}`,
      );
      expect(pages.flatMap((page) => page.entry.map((e) => e.resource.id))).toEqual(
        expectedOrder(),
      );
      expect(pages).toHaveLength(Math.ceil(8 / count));
    }
    const listed = await auditOf(world.patient.id, 'record.care_teams_listed');
    expect(listed.slice(-3).map((a) => a.details)).toEqual([
      expect.objectContaining({ count: 3 }),
      expect.objectContaining({ count: 3 }),
      expect.objectContaining({ count: 2 }),
    ]);
  });
});

describe('who may read care teams', () => {
  it('answers 404 alike for unknown ids, other organisations’ and inactive teams, and records not looked after; refusals are audited', async () => {
    for (const id of ['a'.repeat(64), `grant-${UNKNOWN}`]) {
      expectOutcome(await fhir(t.app, token, 'GET', `CareTeam/${id}`), 404, 'fhir.not_found');
    }
    for (const id of [...otherTrust, ...inactive, patientB, notLookedAfter]) {
      expectOutcome(await fhir(t.app, token, 'GET', `CareTeam/${id}`), 404, 'fhir.not_found');
    }
    const refused = (await auditOf(world.patient.id, 'care_team.read')).filter(
      (event) => event.outcome === 'denied',
    );
    expect(refused.map((event) => [event.entity_id, event.actor_label])).toEqual(
      [...otherTrust, ...inactive].map((id) => [id, SYSTEM_LABEL]),
    );
    for (const [patientId, id] of [
      [world.patientB.id, patientB],
      [world.registeredOnly.id, notLookedAfter],
    ] as const) {
      expect(await auditOf(patientId, 'care_team.read')).toEqual([
        expect.objectContaining({ outcome: 'denied', actor_label: SYSTEM_LABEL, entity_id: id }),
      ]);
    }
    const upperCase = 'grant-ABCDEF00-0000-4000-8000-000000000000';
    for (const id of ['nope', upperCase, 'a'.repeat(63), `care-${UNKNOWN}`]) {
      expectOutcome(await fhir(t.app, token, 'GET', `CareTeam/${id}`), 400, 'request.invalid');
    }
  });

  it('gives an empty Bundle for a record it does not look after (C2), or no record', async () => {
    for (const id of [world.patientB.id, world.registeredOnly.id, UNKNOWN]) {
      const response = await fhir(t.app, token, 'GET', `CareTeam?patient=${id}`);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({ resourceType: 'Bundle', entry: [] });
    }
    expect(await auditOf(world.patientB.id, 'record.care_teams_listed')).toEqual([
      expect.objectContaining({ outcome: 'denied', actor_label: SYSTEM_LABEL }),
    ]);
  });

  it('needs a bearer token (401) with the CareTeam scope (403)', async () => {
    const onlyConsent = await tokenFor(
      t.app,
      await connectSystem(world.coordinatorA, world.trustA.id),
      'system/Consent.read',
    );
    const onlyCareTeam = await tokenFor(
      t.app,
      await connectSystem(world.coordinatorA, world.trustA.id, ['system/CareTeam.read']),
    );
    for (const path of [`CareTeam/${cardiology}`, `CareTeam?patient=${world.patient.id}`]) {
      expectOutcome(await fhir(t.app, null, 'GET', path), 401, 'fhir.invalid_token');
      expectOutcome(await fhir(t.app, onlyConsent, 'GET', path), 403, 'fhir.scope_missing');
      expect((await fhir(t.app, onlyCareTeam, 'GET', path)).statusCode).toBe(200);
    }
  });

  it('refuses searches it does not know: no patient, other parameters, bad counts and cursors', async () => {
    const patient = `patient=${world.patient.id}`;
    for (const query of ['', `?${patient}&status=active`, `?${patient}&_count=0`]) {
      expectOutcome(await fhir(t.app, token, 'GET', `CareTeam${query}`), 400, 'request.invalid');
    }
    expectOutcome(
      await fhir(t.app, token, 'GET', `CareTeam?${patient}&_cursor=nonsense`),
      400,
      'request.invalid_cursor',
    );
  });

  it('is in the CapabilityStatement after Consent, and its scope in SMART discovery', async () => {
    const metadata = await fhir(t.app, null, 'GET', 'metadata');
    expect(metadata.statusCode, metadata.body).toBe(200);
    const resources =
      metadata.json<{ rest: { resource: { type: string }[] }[] }>().rest[0]?.resource ?? [];
    const types = resources.map((resource) => resource.type);
    expect(types.indexOf('CareTeam')).toBe(types.indexOf('Consent') + 1);
    expect(resources.find((resource) => resource.type === 'CareTeam')).toEqual({
      type: 'CareTeam',
      interaction: [{ code: 'read' }, { code: 'search-type' }],
      searchParam: [
        { name: 'patient', type: 'reference', documentation: 'The patient’s id (Patient/<id>)' },
      ],
    });
    const smart = await fhir(t.app, null, 'GET', '.well-known/smart-configuration');
    expect(smart.json<{ scopes_supported: string[] }>().scopes_supported).toContain(
      'system/CareTeam.read',
    );
  });

  it('names the reads in the patient’s “Who has seen my record” and in AuditEvent (C4)', async () => {
    const log = await world.patientClient.request({ method: 'GET', url: '/api/v1/me/access-log' });
    const items = log.json<{ items: { who: string; what: string }[] }>().items;
    expect(items.filter((item) => item.who === SYSTEM_LABEL).map((item) => item.what)).toEqual(
      expect.arrayContaining([
        'Looked at which teams look after you',
        'Looked at one of the teams that look after you',
      ]),
    );
    const events = await fhir(
      t.app,
      token,
      'GET',
      `AuditEvent?patient=${world.patient.id}&_count=100`,
    );
    const grantRead = events
      .json<{
        entry: {
          resource: {
            type: { code: string };
            entity?: { what: { reference: string } }[];
          };
        }[];
      }>()
      .entry.map((e) => e.resource)
      .find((event) => event.entity?.[0]?.what.reference === `CareTeam/${active}`);
    expect(grantRead).toMatchObject({
      type: { code: 'care_team.read', display: 'Looked at one of the teams that look after you' },
      action: 'R',
      outcome: '0',
    });
  });
});
