import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  connectSystem,
  createIntegrationWorld,
  expectOutcome,
  fhir,
  type IntegrationWorld,
  tokenFor,
} from '../../../../test/integration-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { encodeCursor } from '../../platform/http/cursor';

let t: TestApp;
let world: IntegrationWorld;
let token: string;

beforeAll(async () => {
  t = await buildTestApp();
  world = await createIntegrationWorld(t.app, t.db);
  token = await tokenFor(t.app, await connectSystem(world.coordinatorA, world.trustA.id));
});
afterAll(async () => {
  await t.close();
});

const ID = '00000000-0000-4000-8000-000000000000';
/** Searches paged by (time, id…): how many ids follow the time in each one's cursor. */
const SEARCHES: [path: string, ids: number][] = [
  ['Communication', 1],
  ['Task', 2],
  ['Appointment', 1],
  ['RelatedPerson', 1],
  ['Consent', 1],
  ['CareTeam', 1],
  ['DocumentReference', 1],
];
/** Times written as ours are, that are no time at all (or none the database can hold). */
const NOT_TIMES = [
  '2026-02-30T09:00:00.000Z',
  '2026-13-01T09:00:00.000Z',
  '0000-01-01T00:00:00.000Z',
];

describe('FHIR search cursors: one this server did not make is a 400, never a 500', () => {
  const cases = SEARCHES.flatMap(([path, ids]) => NOT_TIMES.map((at) => [path, at, ids] as const));
  it.each(cases)('%s, with a cursor naming the time %s', async (path, at, ids) => {
    const cursor = encodeCursor([at, ...Array.from({ length: ids }, () => ID)]);
    const response = await fhir(
      t.app,
      token,
      'GET',
      `${path}?patient=${world.patient.id}&_cursor=${cursor}`,
    );
    expectOutcome(response, 400, 'request.invalid_cursor');
  });
});
