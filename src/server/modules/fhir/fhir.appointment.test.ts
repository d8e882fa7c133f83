import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProfessional } from '../../../../test/factories';
import { type Client, signIn } from '../../../../test/http';
import {
  connectSystem,
  createIntegrationWorld,
  fhir,
  followPages,
  type IntegrationWorld,
  tokenFor,
  expectOutcome,
  SYSTEM_LABEL,
} from '../../../../test/integration-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';
import type { Appointment } from '../appointments/appointments.contracts';
import { patientRegistrations } from '../patients/patients.schema';

let t: TestApp;
let world: IntegrationWorld;
let token: string;
let withClinician: Appointment; // Cardiology, Trust A, in 14 days, with Dr Heart
let cancelled: Appointment; // Cardiology, Trust A, in 7 days, cancelled
let elsewhere: Appointment; // Dermatology B, Trust B, in 21 days: the same record
let patientBs: Appointment; // Trust B's own patient

const DAY_MS = 24 * 60 * 60 * 1000;

async function book(client: Client, payload: Record<string, unknown>): Promise<Appointment> {
  const response = await client.request({ method: 'POST', url: '/api/v1/appointments', payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Appointment>();
}
const inDays = (days: number) => new Date(t.clock.now().getTime() + days * DAY_MS).toISOString();

const auditOf = (patientId: string, action: string) =>
  queryRows<{ outcome: string; actor_label: string; entity_id: string; details: unknown }>(
    t.db,
    sql`select outcome, actor_label, entity_id, details from audit_events
        where patient_id = ${patientId} and action = ${action} order by id`,
  );

beforeAll(async () => {
  t = await buildTestApp();
  world = await createIntegrationWorld(t.app, t.db);
  token = await tokenFor(t.app, await connectSystem(world.coordinatorA, world.trustA.id));
  const heart = await createProfessional(
    t.db,
    world.trustA.id,
    [{ teamId: world.cardiology.id, role: 'member' }],
    { name: 'Dr Hannah Heart' },
  );
  const drHeart = await signIn(t.app, heart.email);
  withClinician = await book(drHeart, {
    patientId: world.patient.id,
    teamId: world.cardiology.id,
    clinicianProfessionalId: heart.id,
    startsAt: inDays(14),
    durationMinutes: 30,
    location: 'Outpatients B, Level 2',
    preparation: 'Bring your medicines.',
  });
  const toCancel = await book(world.nurseA, {
    patientId: world.patient.id,
    teamId: world.cardiology.id,
    startsAt: inDays(7),
    durationMinutes: 20,
    location: 'Clinic 4',
  });
  const response = await world.nurseA.request({
    method: 'PATCH',
    url: `/api/v1/appointments/${toCancel.id}`,
    payload: { version: toCancel.version, status: 'cancelled', reason: 'Clinic closed' },
  });
  expect(response.statusCode, response.body).toBe(200);
  cancelled = response.json<Appointment>();
  // The patient is registered with Trust B too, whose dermatology team books them.
  await t.db
    .insert(patientRegistrations)
    .values({ patientId: world.patient.id, organisationId: world.trustB.id });
  const booking = { teamId: world.teamB.id, durationMinutes: 15, location: 'Skin Clinic' };
  elsewhere = await book(world.coordinatorB, {
    ...booking,
    patientId: world.patient.id,
    startsAt: inDays(21),
  });
  patientBs = await book(world.coordinatorB, {
    ...booking,
    patientId: world.patientB.id,
    startsAt: inDays(3),
  });
});
afterAll(() => t.close());

describe('FHIR Appointment read', () => {
  it('reads an appointment of a record its organisation looks after (C2), audited (C4)', async () => {
    const response = await fhir(t.app, token, 'GET', `Appointment/${withClinician.id}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    // Its version, as FHIR's read gives it: meta.versionId and a weak ETag of the same.
    expect(response.headers.etag).toBe('W/"1"');
    const start = new Date(withClinician.startsAt);
    expect(response.json()).toEqual({
      resourceType: 'Appointment',
      id: withClinician.id,
      meta: { versionId: '1', lastUpdated: t.clock.now().toISOString() },
      status: 'booked',
      start: start.toISOString(),
      end: new Date(start.getTime() + 30 * 60_000).toISOString(),
      minutesDuration: 30,
      created: t.clock.now().toISOString(),
      patientInstruction: 'Bring your medicines.',
      participant: [
        {
          actor: { reference: `Patient/${world.patient.id}`, type: 'Patient' },
          status: 'accepted',
        },
        { actor: { type: 'Practitioner', display: 'Dr Hannah Heart' }, status: 'accepted' },
        {
          actor: { type: 'HealthcareService', display: 'Cardiology, Trust A' },
          status: 'accepted',
        },
        { actor: { type: 'Location', display: 'Outpatients B, Level 2' }, status: 'accepted' },
      ],
    });
    expect((await auditOf(world.patient.id, 'appointment.read')).at(-1)).toMatchObject({
      outcome: 'success',
      actor_label: SYSTEM_LABEL,
      entity_id: withClinician.id,
      details: expect.objectContaining({ basis: 'connected_system' }) as unknown,
    });
  });

  it('a cancelled appointment is cancelled, without the reason given; no clinician, no instructions', async () => {
    const response = await fhir(t.app, token, 'GET', `Appointment/${cancelled.id}`);
    expect(response.statusCode).toBe(200);
    const resource = response.json<Record<string, unknown>>();
    expect(resource).toMatchObject({
      status: 'cancelled',
      meta: { versionId: String(cancelled.version) },
      minutesDuration: 20,
    });
    expect(cancelled.version).toBeGreaterThan(1);
    expect(response.headers.etag).toBe(`W/"${cancelled.version}"`);
    expect(resource).not.toHaveProperty('patientInstruction');
    expect(resource.participant).toEqual([
      { actor: { reference: `Patient/${world.patient.id}`, type: 'Patient' }, status: 'accepted' },
      { actor: { type: 'HealthcareService', display: 'Cardiology, Trust A' }, status: 'accepted' },
      { actor: { type: 'Location', display: 'Clinic 4' }, status: 'accepted' },
    ]);
    expect(response.body).not.toContain('Clinic closed');
  });

  it('answers 404 alike for an unknown id and another organisation’s patient’s (C2); the refusal is audited', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', patientBs.id]) {
      expectOutcome(await fhir(t.app, token, 'GET', `Appointment/${id}`), 404, 'fhir.not_found');
    }
    expect(await auditOf(world.patientB.id, 'appointment.read')).toEqual([
      expect.objectContaining({
        outcome: 'denied',
        actor_label: SYSTEM_LABEL,
        entity_id: patientBs.id,
      }),
    ]);
    expectOutcome(await fhir(t.app, token, 'GET', 'Appointment/nope'), 400, 'request.invalid');
  });

  it('needs a bearer token (401) with the Appointment scope (403)', async () => {
    const path = `Appointment/${withClinician.id}`;
    expectOutcome(await fhir(t.app, null, 'GET', path), 401, 'fhir.invalid_token');
    expectOutcome(
      await fhir(t.app, null, 'GET', `Appointment?patient=${world.patient.id}`),
      401,
      'fhir.invalid_token',
    );
    const narrow = await tokenFor(
      t.app,
      await connectSystem(world.coordinatorA, world.trustA.id),
      'system/Patient.read',
    );
    expectOutcome(await fhir(t.app, narrow, 'GET', path), 403, 'fhir.scope_missing');
    expectOutcome(
      await fhir(t.app, narrow, 'GET', `Appointment?patient=${world.patient.id}`),
      403,
      'fhir.scope_missing',
    );
  });
});

describe('FHIR Appointment search by patient', () => {
  it('lists every appointment in the record, whichever organisation’s (C2, C3), oldest first, a page at a time', async () => {
    const pages = await followPages<{ id: string }>(
      t.app,
      token,
      `Appointment?patient=${world.patient.id}&_count=1`,
    );
    expect(pages.map((page) => page.entry.map((e) => e.resource.id))).toEqual([
      [cancelled.id],
      [withClinician.id],
      [elsewhere.id],
    ]);
    const [first] = pages;
    expect(first).toMatchObject({
      resourceType: 'Bundle',
      type: 'searchset',
      link: [
        {
          relation: 'self',
          url: `${t.deps.config.publicUrl}/fhir/R4/Appointment?patient=${world.patient.id}&_count=1`,
        },
        { relation: 'next', url: expect.stringContaining('_cursor=') as string },
      ],
      entry: [
        {
          fullUrl: `${t.deps.config.publicUrl}/fhir/R4/Appointment/${cancelled.id}`,
          search: { mode: 'match' },
        },
      ],
    });
    expect(pages.at(-1)?.link.map((l) => l.relation)).toEqual(['self']);
    // A later page's self link is that page, cursor and all.
    expect(pages[1]?.link[0]?.url).toBe(first?.link[1]?.url);
    const theirs = pages[2]?.entry[0]?.resource as unknown as { participant: unknown[] };
    expect(theirs.participant).toContainEqual({
      actor: { type: 'HealthcareService', display: 'Dermatology B, Trust B' },
      status: 'accepted',
    });
    // Each page read is audited with what it showed (C4).
    const listed = await auditOf(world.patient.id, 'appointment.listed');
    expect(listed.slice(-3).map((a) => a.details)).toEqual([
      expect.objectContaining({ count: 1, basis: 'connected_system' }),
      expect.objectContaining({ count: 1 }),
      expect.objectContaining({ count: 1 }),
    ]);
  });

  it('takes the patient as Patient/<id> too, with the default page size', async () => {
    const response = await fhir(
      t.app,
      token,
      'GET',
      `Appointment?patient=Patient/${world.patient.id}`,
    );
    expect(response.statusCode).toBe(200);
    const bundle = response.json<{ entry: { resource: { id: string } }[]; link: unknown[] }>();
    expect(bundle.entry.map((e) => e.resource.id)).toEqual([
      cancelled.id,
      withClinician.id,
      elsewhere.id,
    ]);
    expect(bundle.link).toHaveLength(1);
    // A Bundle of them has no version of its own.
    expect(response.headers.etag).toBeUndefined();
  });

  it('serves a _count above the most (100) as 100, and its links say so', async () => {
    for (const count of ['101', '1000', '99999999999999999999']) {
      const response = await fhir(
        t.app,
        token,
        'GET',
        `Appointment?patient=${world.patient.id}&_count=${count}`,
      );
      expect(response.statusCode, response.body).toBe(200);
      const bundle = response.json<{ entry: unknown[]; link: { url: string }[] }>();
      expect(bundle.entry).toHaveLength(3);
      expect(bundle.link).toEqual([
        {
          relation: 'self',
          url: `${t.deps.config.publicUrl}/fhir/R4/Appointment?patient=${world.patient.id}&_count=100`,
        },
      ]);
    }
  });

  it('gives an empty Bundle for a record it does not look after (C2), or no record', async () => {
    for (const id of [
      world.patientB.id,
      world.registeredOnly.id,
      '00000000-0000-4000-8000-000000000000',
    ]) {
      const response = await fhir(t.app, token, 'GET', `Appointment?patient=${id}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ resourceType: 'Bundle', entry: [] });
    }
    expect(await auditOf(world.patientB.id, 'appointment.listed')).toEqual([
      expect.objectContaining({ outcome: 'denied', actor_label: SYSTEM_LABEL }),
    ]);
  });

  it('refuses searches it does not know: no patient, other parameters, bad counts and cursors', async () => {
    const patient = `patient=${world.patient.id}`;
    for (const query of [
      '',
      '?patient=Practitioner/1',
      `?${patient}&status=booked`,
      `?${patient}&_count=0`,
      `?${patient}&_count=-1`,
      `?${patient}&_count=ten`,
    ]) {
      expectOutcome(await fhir(t.app, token, 'GET', `Appointment${query}`), 400, 'request.invalid');
    }
    expectOutcome(
      await fhir(t.app, token, 'GET', `Appointment?${patient}&_cursor=nonsense`),
      400,
      'request.invalid_cursor',
    );
  });

  it('names the system in the patient’s “Who has seen my record” (C4)', async () => {
    const log = await world.patientClient.request({ method: 'GET', url: '/api/v1/me/access-log' });
    const items = log.json<{ items: { who: string; what: string; why: string }[] }>().items;
    const bySystem = items.filter((item) => item.who === SYSTEM_LABEL);
    expect(bySystem.map((item) => item.what)).toEqual(
      expect.arrayContaining([
        'Looked at an appointment',
        'Looked at the list of your appointments',
      ]),
    );
    expect(bySystem[0]?.why).toBe(
      'A computer system of an organisation whose team looks after you',
    );
  });
});
