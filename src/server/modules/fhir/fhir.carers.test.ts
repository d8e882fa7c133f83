import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPatient } from '../../../../test/factories';
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
import { carerConsents } from '../consent/consent.schema';

let t: TestApp;
let world: IntegrationWorld;
let token: string;
let carol: Awaited<ReturnType<typeof createPatient>>;
let active: string; // Carol: view and message, started 10 days ago, until in 30 days
let revoked: string; // Victor: view only, revoked yesterday
let future: string; // Fiona: view only, starting in 5 days
let ended: string; // Eddie: view only, ended 2 days ago
let theirs: string; // Trust B's patient's carer

const DAY_MS = 24 * 60 * 60 * 1000;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const daysFromNow = (days: number) => new Date(t.clock.now().getTime() + days * DAY_MS);

/** A carer patient (with their own account) and their consent, created `age` days ago. */
async function consentFrom(
  patientId: string,
  givenName: string,
  age: number,
  fields: Partial<typeof carerConsents.$inferInsert>,
) {
  const carer = await createPatient(t.db, [world.trustA.id], { givenName, familyName: 'Carer' });
  const [user] = await queryRows<{ id: string }>(
    t.db,
    sql`select id from users where patient_id = ${carer.id}`,
  );
  const [row] = await t.db
    .insert(carerConsents)
    .values({
      patientId,
      carerUserId: user!.id,
      carerPatientId: carer.id,
      level: 'view',
      startsAt: daysFromNow(-age),
      createdAt: daysFromNow(-age),
      ...fields,
    })
    .returning();
  return { carer, id: row!.id };
}

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
  const patientId = world.patient.id;
  const made = await consentFrom(patientId, 'Carol', 10, {
    level: 'message',
    endsAt: daysFromNow(30),
  });
  carol = made.carer;
  active = made.id;
  revoked = (
    await consentFrom(patientId, 'Victor', 8, {
      revokedAt: daysFromNow(-1),
      endsAt: daysFromNow(20),
    })
  ).id;
  ended = (await consentFrom(patientId, 'Eddie', 6, { endsAt: daysFromNow(-2) })).id;
  future = (
    await consentFrom(patientId, 'Fiona', 1, {
      startsAt: daysFromNow(5),
      createdAt: daysFromNow(-1),
    })
  ).id;
  theirs = (await consentFrom(world.patientB.id, 'Bella', 3, {})).id;
});
afterAll(() => t.close());

describe('FHIR RelatedPerson', () => {
  it('reads a carer of a record its organisation looks after (C2): names only, audited (C4)', async () => {
    const response = await fhir(t.app, token, 'GET', `RelatedPerson/${active}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(response.json()).toEqual({
      resourceType: 'RelatedPerson',
      id: active,
      active: true,
      patient: { reference: `Patient/${world.patient.id}` },
      relationship: [{ text: 'Carer' }],
      name: [{ use: 'official', family: 'Carer', given: ['Carol'] }],
    });
    expect(response.body).not.toContain(carol.email);
    expect(response.body).not.toContain(carol.nhsNumber);
    expect((await auditOf(world.patient.id, 'carer.read')).at(-1)).toMatchObject({
      outcome: 'success',
      actor_label: SYSTEM_LABEL,
      entity_id: active,
      details: expect.objectContaining({ basis: 'connected_system' }) as unknown,
    });
  });

  it('a revoked, ended or not yet started consent is a carer who is not active', async () => {
    for (const id of [revoked, ended, future]) {
      const response = await fhir(t.app, token, 'GET', `RelatedPerson/${id}`);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({ id, active: false });
    }
  });

  it('lists every carer consent in the record, oldest first, a page at a time', async () => {
    const pages = await followPages<{ id: string; active: boolean }>(
      t.app,
      token,
      `RelatedPerson?patient=${world.patient.id}&_count=3`,
    );
    expect(pages.map((page) => page.entry.map((e) => [e.resource.id, e.resource.active]))).toEqual([
      [
        [active, true],
        [revoked, false],
        [ended, false],
      ],
      [[future, false]],
    ]);
    expect(pages[0]?.link).toEqual([
      {
        relation: 'self',
        url: `${t.deps.config.publicUrl}/fhir/R4/RelatedPerson?patient=${world.patient.id}&_count=3`,
      },
      { relation: 'next', url: expect.stringContaining('_cursor=') as string },
    ]);
    expect(pages[0]?.entry[0]?.fullUrl).toBe(
      `${t.deps.config.publicUrl}/fhir/R4/RelatedPerson/${active}`,
    );
    const listed = await auditOf(world.patient.id, 'record.carers_listed');
    expect(listed.slice(-2).map((a) => a.details)).toEqual([
      expect.objectContaining({ count: 3, basis: 'connected_system' }),
      expect.objectContaining({ count: 1 }),
    ]);
  });
});

describe('FHIR Consent', () => {
  it('reads a carer’s consent: what they may do, since and until when, in force now', async () => {
    const response = await fhir(t.app, token, 'GET', `Consent/${active}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      resourceType: 'Consent',
      id: active,
      status: 'active',
      scope: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/consentscope',
            code: 'patient-privacy',
          },
        ],
      },
      category: [{ text: 'Carer access' }],
      patient: { reference: `Patient/${world.patient.id}` },
      dateTime: daysFromNow(-10).toISOString(),
      policyRule: { text: 'The patient’s consent to a carer, given in Carethread' },
      provision: {
        period: { start: daysFromNow(-10).toISOString(), end: daysFromNow(30).toISOString() },
        actor: [{ role: { text: 'Carer' }, reference: { reference: `RelatedPerson/${active}` } }],
        action: [{ text: 'view and send messages' }],
      },
    });
    expect((await auditOf(world.patient.id, 'carer.consent_read')).at(-1)).toMatchObject({
      outcome: 'success',
      actor_label: SYSTEM_LABEL,
      entity_id: active,
    });
  });

  it('revoked or ended is inactive (ending when it stopped counting); not yet started is proposed', async () => {
    const read = async (id: string) => {
      const response = await fhir(t.app, token, 'GET', `Consent/${id}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ status: string; provision: Record<string, unknown> }>();
    };
    expect(await read(revoked)).toMatchObject({
      status: 'inactive',
      provision: {
        period: { start: daysFromNow(-8).toISOString(), end: daysFromNow(-1).toISOString() },
        action: [{ text: 'view messages' }],
      },
    });
    expect(await read(ended)).toMatchObject({
      status: 'inactive',
      provision: { period: { end: daysFromNow(-2).toISOString() } },
    });
    const proposed = await read(future);
    expect(proposed.status).toBe('proposed');
    expect(proposed.provision.period).toEqual({ start: daysFromNow(5).toISOString() });
  });

  it('searches by patient, as Patient/<id> too, with the default page size', async () => {
    const response = await fhir(t.app, token, 'GET', `Consent?patient=Patient/${world.patient.id}`);
    expect(response.statusCode, response.body).toBe(200);
    const bundle = response.json<{
      entry: { resource: { id: string; status: string } }[];
      link: unknown[];
    }>();
    expect(bundle.entry.map((e) => [e.resource.id, e.resource.status])).toEqual([
      [active, 'active'],
      [revoked, 'inactive'],
      [ended, 'inactive'],
      [future, 'proposed'],
    ]);
    expect(bundle.link).toHaveLength(1);
    expect((await auditOf(world.patient.id, 'record.carer_consents_listed')).at(-1)).toMatchObject({
      outcome: 'success',
      details: expect.objectContaining({ count: 4 }) as unknown,
    });
  });
});

describe('who may read carers', () => {
  it('answers 404 alike for an unknown id and another organisation’s patient’s (C2); the refusal is audited', async () => {
    for (const type of ['RelatedPerson', 'Consent']) {
      for (const id of [UNKNOWN, theirs]) {
        expectOutcome(await fhir(t.app, token, 'GET', `${type}/${id}`), 404, 'fhir.not_found');
      }
      expectOutcome(await fhir(t.app, token, 'GET', `${type}/nope`), 400, 'request.invalid');
    }
    for (const action of ['carer.read', 'carer.consent_read']) {
      expect(await auditOf(world.patientB.id, action)).toEqual([
        expect.objectContaining({
          outcome: 'denied',
          actor_label: SYSTEM_LABEL,
          entity_id: theirs,
        }),
      ]);
    }
  });

  it('gives an empty Bundle for a record it does not look after (C2), or no record', async () => {
    for (const type of ['RelatedPerson', 'Consent']) {
      for (const id of [world.patientB.id, world.registeredOnly.id, UNKNOWN]) {
        const response = await fhir(t.app, token, 'GET', `${type}?patient=${id}`);
        expect(response.statusCode, response.body).toBe(200);
        expect(response.json()).toMatchObject({ resourceType: 'Bundle', entry: [] });
      }
    }
    for (const action of ['record.carers_listed', 'record.carer_consents_listed']) {
      expect(await auditOf(world.patientB.id, action)).toEqual([
        expect.objectContaining({ outcome: 'denied', actor_label: SYSTEM_LABEL }),
      ]);
    }
  });

  it('needs a bearer token (401) with each resource’s own scope (403)', async () => {
    const onlyRelatedPerson = await tokenFor(
      t.app,
      await connectSystem(world.coordinatorA, world.trustA.id),
      'system/RelatedPerson.read',
    );
    const onlyConsent = await tokenFor(
      t.app,
      await connectSystem(world.coordinatorA, world.trustA.id),
      'system/Consent.read',
    );
    for (const [type, other] of [
      ['RelatedPerson', onlyConsent],
      ['Consent', onlyRelatedPerson],
    ] as const) {
      for (const path of [`${type}/${active}`, `${type}?patient=${world.patient.id}`]) {
        expectOutcome(await fhir(t.app, null, 'GET', path), 401, 'fhir.invalid_token');
        expectOutcome(await fhir(t.app, other, 'GET', path), 403, 'fhir.scope_missing');
      }
    }
    expect(
      (await fhir(t.app, onlyRelatedPerson, 'GET', `RelatedPerson/${active}`)).statusCode,
    ).toBe(200);
    expect((await fhir(t.app, onlyConsent, 'GET', `Consent/${active}`)).statusCode).toBe(200);
  });

  it('refuses searches it does not know: no patient, other parameters, bad counts and cursors', async () => {
    const patient = `patient=${world.patient.id}`;
    for (const type of ['RelatedPerson', 'Consent']) {
      for (const query of ['', `?${patient}&status=active`, `?${patient}&_count=0`]) {
        expectOutcome(await fhir(t.app, token, 'GET', `${type}${query}`), 400, 'request.invalid');
      }
      expectOutcome(
        await fhir(t.app, token, 'GET', `${type}?${patient}&_cursor=nonsense`),
        400,
        'request.invalid_cursor',
      );
    }
  });

  it('is listed in the CapabilityStatement after Appointment, with its scope usable', async () => {
    const metadata = await fhir(t.app, null, 'GET', 'metadata');
    expect(metadata.statusCode, metadata.body).toBe(200);
    const resources =
      metadata.json<{ rest: { resource: { type: string }[] }[] }>().rest[0]?.resource ?? [];
    const types = resources.map((resource) => resource.type);
    expect(types.slice(types.indexOf('Appointment'), types.indexOf('Appointment') + 3)).toEqual([
      'Appointment',
      'RelatedPerson',
      'Consent',
    ]);
  });

  it('names the system in the patient’s “Who has seen my record” (C4)', async () => {
    const log = await world.patientClient.request({ method: 'GET', url: '/api/v1/me/access-log' });
    const items = log.json<{ items: { who: string; what: string }[] }>().items;
    expect(items.filter((item) => item.who === SYSTEM_LABEL).map((item) => item.what)).toEqual(
      expect.arrayContaining([
        'Looked at one of your carers',
        'Looked at who your carers are',
        'Looked at what one of your carers may do',
        'Looked at what your carers may do',
      ]),
    );
  });
});
