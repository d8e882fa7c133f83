import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import {
  connectSystem,
  createIntegrationWorld,
  fhir,
  type IntegrationWorld,
  tokenFor,
} from '../../../../test/integration-world';
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

describe('FHIR Patient', () => {
  it('reads a record its organisation looks after, as application/fhir+json', async () => {
    const response = await fhir(t.app, token, 'GET', `Patient/${world.patient.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(response.json()).toEqual({
      resourceType: 'Patient',
      id: world.patient.id,
      identifier: [{ system: NHS_NUMBER_SYSTEM, value: world.patient.nhsNumber }],
      name: [{ use: 'official', family: world.patient.familyName, given: ['Pat'] }],
      birthDate: '1970-01-01',
    });
  });
});
