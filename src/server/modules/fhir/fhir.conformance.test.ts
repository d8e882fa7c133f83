import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectSystem,
  createIntegrationWorld,
  expectOutcome,
  type IntegrationWorld,
  tokenFor,
} from '../../../../test/integration-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';

let t: TestApp;
let world: IntegrationWorld;
let token: string;

beforeAll(async () => {
  t = await buildTestApp();
  world = await createIntegrationWorld(t.app, t.db);
  token = await tokenFor(t.app, await connectSystem(world.coordinatorA, world.trustA.id));
});
afterAll(() => t.close());

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS';

/** A FHIR request as a system sends it, with the headers given (none means no Accept). */
const send = (method: Method, path: string, headers: Record<string, string> = {}) =>
  t.app.inject({
    method,
    url: `/fhir/R4/${path}`,
    headers: { authorization: `Bearer ${token}`, ...headers },
  });

const auditCount = async () => {
  const [row] = await queryRows<{ n: number | string }>(
    t.db,
    sql`select count(*) as n from audit_events where patient_id = ${world.patient.id}`,
  );
  return Number(row?.n);
};

describe('FHIR content negotiation: JSON only', () => {
  it.each([
    ['no Accept', {}],
    ['FHIR JSON', { accept: 'application/fhir+json' }],
    ['FHIR JSON of R4', { accept: 'application/fhir+json; fhirVersion=4.0' }],
    ['FHIR JSON in UTF-8', { accept: 'application/fhir+json; charset=UTF-8' }],
    ['plain JSON', { accept: 'application/json' }],
    ['anything', { accept: '*/*' }],
    ['any application type', { accept: 'application/*' }],
    ['XML first, JSON at a lower q', { accept: 'application/fhir+xml, application/json;q=0.5' }],
    ['a browser', { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' }],
    ['an empty Accept, as none', { accept: '' }],
  ])('answers JSON to %s', async (_name, headers) => {
    const response = await send('GET', `Patient/${world.patient.id}`, headers);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
  });

  it.each([
    ['FHIR XML', 'application/fhir+xml'],
    ['XML', 'application/xml, text/xml'],
    ['another FHIR version', 'application/fhir+json; fhirVersion=3.0'],
    ['JSON refused by q=0', '*/*, application/json;q=0, application/fhir+json;q=0'],
    ['FHIR JSON at q=0 only', 'application/fhir+json;q=0'],
    ['HTML only', 'text/html'],
    ['nonsense', 'garbage'],
  ])(
    'is 406 with an OperationOutcome in JSON for %s, having read nothing',
    async (_name, accept) => {
      const before = await auditCount();
      expectOutcome(
        await send('GET', `Patient/${world.patient.id}`, { accept }),
        406,
        'fhir.not_acceptable',
      );
      expect(await auditCount()).toBe(before);
    },
  );

  it('is 406 before a token is looked at, and on discovery too', async () => {
    const xml = { accept: 'application/fhir+xml' };
    const anonymous = await t.app.inject({ method: 'GET', url: '/fhir/R4/metadata', headers: xml });
    expectOutcome(anonymous, 406, 'fhir.not_acceptable');
    expectOutcome(
      await t.app.inject({
        method: 'GET',
        url: `/fhir/R4/Patient/${world.patient.id}`,
        headers: xml,
      }),
      406,
      'fhir.not_acceptable',
    );
  });

  it('takes _format (json or a JSON media type) over Accept, on reads and strict searches alike', async () => {
    const xml = { accept: 'application/fhir+xml' };
    for (const format of ['json', 'application/json', 'application/fhir+json']) {
      const query = `_format=${encodeURIComponent(format)}`;
      const read = await send('GET', `Patient/${world.patient.id}?${query}`, xml);
      expect(read.statusCode, `${format}: ${read.body}`).toBe(200);
      const search = await send('GET', `Appointment?patient=${world.patient.id}&${query}`, xml);
      expect(search.statusCode, `${format}: ${search.body}`).toBe(200);
      // _format is how to answer, not what was searched: the self link leaves it out.
      const self = search.json<{ link: { url: string }[] }>().link[0]?.url;
      expect(self).not.toContain('_format');
    }
  });

  it('is 406 for _format xml (or FHIR XML, or nothing), whatever the Accept', async () => {
    for (const format of ['xml', 'application/fhir+xml', 'ttl', '']) {
      const query = `_format=${encodeURIComponent(format)}`;
      expectOutcome(
        await send('GET', `Patient/${world.patient.id}?${query}`, { accept: 'application/json' }),
        406,
        'fhir.not_acceptable',
      );
    }
  });
});

describe('FHIR interactions not offered on a resource type served', () => {
  it.each([
    ['DELETE', 'Patient/00000000-0000-4000-8000-000000000000', 'GET'],
    ['PUT', 'Patient/00000000-0000-4000-8000-000000000000', 'GET'],
    ['POST', 'Patient', 'GET'],
    ['DELETE', 'Patient/_search', 'POST'],
    ['DELETE', 'Appointment/00000000-0000-4000-8000-000000000000', 'GET'],
    ['PATCH', 'Subscription/00000000-0000-4000-8000-000000000000', 'DELETE, GET, PUT'],
    ['DELETE', 'Subscription', 'GET, POST'],
    ['POST', 'metadata', 'GET'],
  ] as const)('%s %s is 405, allowing %s', async (method, path, allow) => {
    const before = await auditCount();
    const response = await send(method, path);
    expectOutcome(response, 405, 'fhir.method_not_allowed');
    expect(response.headers.allow).toBe(allow);
    expect(await auditCount()).toBe(before);
  });

  it('names no record in the error, says the same without a token, and ignores a body', async () => {
    const path = `/fhir/R4/Patient/${world.patient.id}`;
    const response = await t.app.inject({ method: 'DELETE', url: path });
    expectOutcome(response, 405, 'fhir.method_not_allowed');
    expect(response.headers.allow).toBe('GET');
    expect(response.body).not.toContain(world.patient.id);
    // A body sent along (an update, say) is not looked at: the method is the answer.
    const update = await t.app.inject({
      method: 'PUT',
      url: path,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
      payload: JSON.stringify({ resourceType: 'Patient', id: world.patient.id }),
    });
    expectOutcome(update, 405, 'fhir.method_not_allowed');
    expect(update.body).not.toContain(world.patient.id);
  });

  it.each([
    ['GET', 'Observation'],
    ['DELETE', 'Observation/00000000-0000-4000-8000-000000000000'],
    ['GET', `Patient/00000000-0000-4000-8000-000000000000/_history`],
  ] as const)('%s %s is 404: nothing is there, by any method', async (method, path) => {
    const response = await send(method, path);
    expectOutcome(response, 404, 'fhir.not_found');
    expect(response.headers.allow).toBeUndefined();
  });
});

describe('the OpenAPI document', () => {
  it('declares the 406 on every FHIR operation that answers JSON, and not on Binary', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    }>();
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/fhir/R4/'))
      .flatMap(([path, item]) => Object.values(item).map((op) => [path, op] as const));
    expect(operations.length).toBeGreaterThanOrEqual(15);
    for (const [path, operation] of operations) {
      expect(Object.keys(operation.responses).includes('406'), path).toBe(
        !path.startsWith('/fhir/R4/Binary'),
      );
    }
  });
});
