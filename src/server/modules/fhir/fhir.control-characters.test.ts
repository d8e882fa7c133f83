import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectSystem,
  createIntegrationWorld,
  expectOutcome,
  fhirJson,
  type IntegrationWorld,
  outcomeCodes,
  tokenFor,
} from '../../../../test/integration-world';
import { subscriptionResource } from '../../../../test/subscription-world';
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

const ENDPOINT = 'https://epr.trust-a.example/fhir-notify';
const count = async (table: 'fhir_subscriptions' | 'integration_clients') => {
  const [row] = await queryRows<{ n: number }>(
    t.db,
    sql`select count(*)::int as n from ${sql.identifier(table)}`,
  );
  return row?.n ?? 0;
};

/** FHIR's string type holds no control character but tab and line breaks; the database, no NUL. */
describe('text with control characters is a 400 that names the field, never a 500', () => {
  it('a Subscription’s reason, on create and on update', async () => {
    const before = await count('fhir_subscriptions');
    const created = await fhirJson(
      t.app,
      token,
      'POST',
      'Subscription',
      subscriptionResource(ENDPOINT, {}, { reason: 'File new\u0000 messages' }),
    );
    expectOutcome(created, 400, 'request.invalid');
    expect(outcomeCodes(created)).toContain('field.bad_format');
    expect(await count('fhir_subscriptions')).toBe(before);

    const made = await fhirJson(
      t.app,
      token,
      'POST',
      'Subscription',
      subscriptionResource(ENDPOINT),
    );
    const id = made.json<{ id: string }>().id;
    const updated = await fhirJson(
      t.app,
      token,
      'PUT',
      `Subscription/${id}`,
      subscriptionResource(ENDPOINT, {}, { id, reason: 'Bell\u0007' }),
    );
    expectOutcome(updated, 400, 'request.invalid');
    // Tabs and line breaks are FHIR strings' own.
    const multiline = await fhirJson(
      t.app,
      token,
      'PUT',
      `Subscription/${id}`,
      subscriptionResource(ENDPOINT, {}, { id, reason: 'Ward 7:\n\tnew messages' }),
    );
    expect(multiline.statusCode, multiline.body).toBe(200);
  });

  it('a connected system’s name', async () => {
    const before = await count('integration_clients');
    const response = await world.coordinatorA.request({
      method: 'POST',
      url: `/api/v1/organisations/${world.trustA.id}/integration-clients`,
      payload: { name: 'Ward\u0000 EPR', scopes: ['system/Patient.read'] },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'request.invalid',
      errors: [{ field: 'body/name' }],
    });
    expect(await count('integration_clients')).toBe(before);
  });
});
