import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fhir, tokenFor } from '../../../test/integration-world';
import { buildTestApp, type TestApp } from '../../../test/test-app';
import { NHS_NUMBER_SYSTEM } from '../modules/fhir/fhir.patient';
import { DEMO_CONNECTED_SYSTEM } from './demo-data';
import { seedDemo } from './demo-seed';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  expect(await seedDemo(t.db, t.clock.now())).toBe('seeded');
});
afterAll(() => t.close());

describe('the demo’s connected system', () => {
  it('gets a token with the credentials in the README and finds Margaret by NHS number', async () => {
    const token = await tokenFor(t.app, DEMO_CONNECTED_SYSTEM);
    const response = await fhir(t.app, token, 'POST', 'Patient/_search', {
      identifier: `${NHS_NUMBER_SYSTEM}|9990000018`,
    });
    expect(response.statusCode).toBe(200);
    const bundle = response.json<{ entry: { resource: { name: { given: string[] }[] } }[] }>();
    expect(bundle.entry.map((e) => e.resource.name[0]?.given[0])).toEqual(['Margaret']);
  });
});
