import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectSystem,
  createIntegrationWorld,
  fhir,
  type IntegrationWorld,
  tokenFor,
  expectOutcome,
} from '../../../../test/integration-world';
import { createPatient, createTeam } from '../../../../test/factories';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { teams } from '../directory/directory.schema';
import { queryRows } from '../../platform/db/database';
import { LOOKUP_WINDOW_MS, SYSTEM_LOOKUPS_PER_WINDOW } from '../patients/patients.lookups';
import { NHS_NUMBER_SYSTEM } from './fhir.patient';

let t: TestApp;
let world: IntegrationWorld;
let token: string;

beforeAll(async () => {
  t = await buildTestApp();
  world = await createIntegrationWorld(t.app, t.db);
  token = await tokenFor(t.app, await connectSystem(world.coordinatorA, world.trustA.id));
});
afterAll(() => t.close());

const byNhsNumber = (nhsNumber: string) => ({ identifier: `${NHS_NUMBER_SYSTEM}|${nhsNumber}` });

async function auditOf(patientId: string) {
  return queryRows<{ action: string; outcome: string; actor_label: string; details: unknown }>(
    t.db,
    sql`select action, outcome, actor_label, details from audit_events
        where patient_id = ${patientId} and actor_user_id is null order by id`,
  );
}

describe('discovery', () => {
  it('publishes its CapabilityStatement and SMART configuration without a token', async () => {
    const metadata = await fhir(t.app, null, 'GET', 'metadata');
    expect(metadata.statusCode).toBe(200);
    expect(metadata.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    const statement = metadata.json<{
      fhirVersion: string;
      rest: { resource: { type: string; interaction: { code: string }[] }[] }[];
    }>();
    expect(statement.fhirVersion).toBe('4.0.1');
    expect(statement.rest[0]?.resource.find((r) => r.type === 'Patient')).toMatchObject({
      type: 'Patient',
      interaction: [{ code: 'read' }, { code: 'search-type' }],
      searchParam: [{ name: 'identifier', type: 'token' }],
    });
    const smart = await fhir(t.app, null, 'GET', '.well-known/smart-configuration');
    expect(smart.statusCode).toBe(200);
    expect(smart.headers['content-type']).toMatch(/^application\/json/);
    const discovery = smart.json<{ token_endpoint: string; grant_types_supported: string[] }>();
    expect(discovery.token_endpoint).toMatch(/\/oauth2\/token$/);
    expect(discovery.grant_types_supported).toEqual(['client_credentials']);
  });
});

describe('Patient read', () => {
  it('reads a record its organisation looks after (C2), audited in the patient’s chain (C4)', async () => {
    const response = await fhir(t.app, token, 'GET', `Patient/${world.patient.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({
      resourceType: 'Patient',
      id: world.patient.id,
      identifier: [{ system: NHS_NUMBER_SYSTEM, value: world.patient.nhsNumber }],
      name: [{ use: 'official', family: world.patient.familyName, given: ['Pat'] }],
      birthDate: '1970-01-01',
    });
    const audit = await auditOf(world.patient.id);
    expect(audit.at(-1)).toMatchObject({
      action: 'patient.read',
      outcome: 'success',
      actor_label: 'Ward EPR (a computer system of Trust A)',
      details: { basis: 'connected_system' },
    });
  });

  it('names the system in the patient’s “Who has seen my record” (C4)', async () => {
    await fhir(t.app, token, 'GET', `Patient/${world.patient.id}`);
    const log = await world.patientClient.request({ method: 'GET', url: '/api/v1/me/access-log' });
    expect(log.json<{ items: unknown[] }>().items[0]).toMatchObject({
      who: 'Ward EPR (a computer system of Trust A)',
      what: 'Looked at your details',
      why: 'A computer system of an organisation whose team looks after you',
    });
  });

  it('answers 404 alike for no record, another organisation’s, and one only registered (C2)', async () => {
    for (const id of [
      '00000000-0000-4000-8000-000000000000',
      world.patientB.id,
      world.registeredOnly.id,
    ]) {
      expectOutcome(await fhir(t.app, token, 'GET', `Patient/${id}`), 404, 'fhir.not_found');
    }
    expect((await auditOf(world.patientB.id)).map((a) => a.outcome)).toEqual(['denied']);
    expectOutcome(await fhir(t.app, token, 'GET', 'Patient/not-a-uuid'), 400, 'request.invalid');
  });

  it('needs a bearer token with the Patient scope; a browser session is not one', async () => {
    expectOutcome(
      await fhir(t.app, null, 'GET', `Patient/${world.patient.id}`),
      401,
      'fhir.invalid_token',
    );
    expectOutcome(
      await fhir(t.app, 'x'.repeat(43), 'GET', `Patient/${world.patient.id}`),
      401,
      'fhir.invalid_token',
    );
    const cookieOnly = await world.coordinatorA.request({
      method: 'GET',
      url: `/fhir/R4/Patient/${world.patient.id}`,
    });
    expectOutcome(cookieOnly, 401, 'fhir.invalid_token');
    const narrow = await tokenFor(
      t.app,
      await connectSystem(world.coordinatorA, world.trustA.id, ['system/Communication.read']),
    );
    expectOutcome(
      await fhir(t.app, narrow, 'GET', `Patient/${world.patient.id}`),
      403,
      'fhir.scope_missing',
    );
  });
});

describe('Patient search by NHS number', () => {
  it('finds a record it looks after with a POSTed form, so the number stays out of the address', async () => {
    const response = await fhir(
      t.app,
      token,
      'POST',
      'Patient/_search',
      byNhsNumber(world.patient.nhsNumber),
    );
    expect(response.statusCode).toBe(200);
    const bundle = response.json<{
      resourceType: string;
      type: string;
      link: { relation: string; url: string }[];
      entry: { fullUrl: string; resource: { id: string } }[];
    }>();
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('searchset');
    expect(bundle.entry.map((e) => e.resource.id)).toEqual([world.patient.id]);
    expect(bundle.entry[0]?.fullUrl).toMatch(new RegExp(`/fhir/R4/Patient/${world.patient.id}$`));
    expect(JSON.stringify(bundle.link)).not.toContain(world.patient.nhsNumber);
    expect((await auditOf(world.patient.id)).at(-1)?.action).toBe('patient.looked_up');
  });

  it('gives an empty Bundle for a record it does not look after, audited as refused', async () => {
    const response = await fhir(
      t.app,
      token,
      'POST',
      'Patient/_search',
      byNhsNumber(world.patientB.nhsNumber),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json<{ entry: unknown[] }>().entry).toEqual([]);
    expect((await auditOf(world.patientB.id)).at(-1)).toMatchObject({
      action: 'patient.looked_up',
      outcome: 'denied',
    });
  });

  it('refuses a search in the address, and identifiers it cannot use', async () => {
    expectOutcome(
      await fhir(
        t.app,
        token,
        'GET',
        `Patient?identifier=${encodeURIComponent(byNhsNumber(world.patient.nhsNumber).identifier)}`,
      ),
      400,
      'fhir.search_by_post',
    );
    expectOutcome(
      await fhir(t.app, token, 'POST', 'Patient/_search', { identifier: world.patient.nhsNumber }),
      400,
      'fhir.identifier_unsupported',
    );
    expectOutcome(
      await fhir(t.app, token, 'POST', 'Patient/_search', byNhsNumber('1234567890')),
      400,
      'patient.nhs_number_invalid',
    );
    expectOutcome(
      await fhir(t.app, token, 'POST', 'Patient/_search', { name: 'Ient' }),
      400,
      'request.invalid',
    );
  });
});

describe('the facade’s edges', () => {
  it('answers an unknown resource or interaction with an OperationOutcome', async () => {
    for (const path of ['Observation', 'Observation/1', `Patient/${world.patient.id}/_history`]) {
      expectOutcome(await fhir(t.app, token, 'GET', path), 404, 'fhir.not_found');
    }
  });

  it('takes a search only as a form: JSON and text are 415 and find nothing', async () => {
    for (const [type, payload] of [
      ['application/json', JSON.stringify(byNhsNumber(world.patient.nhsNumber))],
      ['application/fhir+json', JSON.stringify(byNhsNumber(world.patient.nhsNumber))],
      ['text/plain', `identifier=${byNhsNumber(world.patient.nhsNumber).identifier}`],
    ]) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/fhir/R4/Patient/_search',
        headers: { authorization: `Bearer ${token}`, 'content-type': type! },
        payload,
      });
      expectOutcome(response, 415, 'fhir.unsupported_media_type');
    }
  });

  it('needs a token on every route but discovery, each route taking its resource’s scope', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const routes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/fhir/R4/') && !/metadata|well-known/.test(path))
      .flatMap(([path, item]) => Object.keys(item).map((method) => [method, path] as const));
    expect(routes.length).toBeGreaterThanOrEqual(15);
    for (const [method, path] of routes) {
      const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      const response = await t.app.inject({ method: method.toUpperCase() as 'GET', url });
      expectOutcome(response, 401, 'fhir.invalid_token');
    }
  });

  it('refuses a caller without a token before it looks at what was sent', async () => {
    expectOutcome(
      await fhir(t.app, null, 'POST', 'Patient/_search', { foo: 'bar' }),
      401,
      'fhir.invalid_token',
    );
    expectOutcome(await fhir(t.app, null, 'GET', 'Patient/not-a-uuid'), 401, 'fhir.invalid_token');
  });

  it('has no HEAD, which would audit a read nobody received (C4)', async () => {
    const before = (await auditOf(world.patient.id)).length;
    const response = await t.app.inject({
      method: 'HEAD',
      url: `/fhir/R4/Patient/${world.patient.id}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET');
    expect(await auditOf(world.patient.id)).toHaveLength(before);
    // What audits nothing keeps its HEAD.
    expect((await t.app.inject({ method: 'HEAD', url: '/fhir/R4/metadata' })).statusCode).toBe(200);
  });

  it('stops reading a record once the only team looking after it is made inactive (C2)', async () => {
    const ward = await createTeam(t.db, world.trustA.id, { name: 'Old ward' });
    const patient = await createPatient(t.db, [world.trustA.id], { careTeamIds: [ward.id] });
    expect((await fhir(t.app, token, 'GET', `Patient/${patient.id}`)).statusCode).toBe(200);
    await t.db.update(teams).set({ active: false }).where(eq(teams.id, ward.id));
    expectOutcome(await fhir(t.app, token, 'GET', `Patient/${patient.id}`), 404, 'fhir.not_found');
    const search = await fhir(
      t.app,
      token,
      'POST',
      'Patient/_search',
      byNhsNumber(patient.nhsNumber),
    );
    expect(search.json<{ entry: unknown[] }>().entry).toEqual([]);
  });
});

// Last: it moves the clock past every token issued before it.
describe('lookups by systems', () => {
  it('keeps each lookup without its number, and limits a system as it limits a person', async () => {
    const credentials = await connectSystem(world.coordinatorA, world.trustA.id);
    const own = await tokenFor(t.app, credentials);
    const lookups = () =>
      queryRows<{ outcome: string }>(
        t.db,
        sql`select outcome from patient_lookups
            where integration_client_id = ${credentials.clientId} order by id`,
      );
    for (const nhsNumber of [world.patient.nhsNumber, world.patientB.nhsNumber, '9990000999']) {
      await fhir(t.app, own, 'POST', 'Patient/_search', byNhsNumber(nhsNumber));
    }
    expect((await lookups()).map((l) => l.outcome)).toEqual(['found', 'refused', 'none']);

    // Up to one short of the limit: the next is answered, the one after refused.
    await t.db
      .execute(sql`insert into patient_lookups (integration_client_id, looked_up_at, outcome)
      select ${credentials.clientId}, ${t.clock.now()}, 'none'
      from generate_series(1, ${SYSTEM_LOOKUPS_PER_WINDOW - 4})`);
    const search = (bearer: string) =>
      fhir(t.app, bearer, 'POST', 'Patient/_search', byNhsNumber(world.patient.nhsNumber));
    expect((await search(own)).statusCode).toBe(200);
    const before = (await lookups()).length;
    expectOutcome(await search(own), 429, 'patient_lookup.too_many');
    expect(await lookups()).toHaveLength(before);
    // Once the window has passed, lookups are answered again and the old rows are gone.
    t.clock.advance(LOOKUP_WINDOW_MS + 1000);
    expect((await search(await tokenFor(t.app, credentials))).statusCode).toBe(200);
    expect(await lookups()).toHaveLength(1);
  });
});
