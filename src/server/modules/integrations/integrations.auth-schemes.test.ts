import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectSystem,
  createIntegrationWorld,
  type IntegrationWorld,
  type SystemCredentials,
} from '../../../../test/integration-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

let t: TestApp;
let world: IntegrationWorld;
let credentials: SystemCredentials;

beforeAll(async () => {
  t = await buildTestApp();
  world = await createIntegrationWorld(t.app, t.db);
  credentials = await connectSystem(world.coordinatorA, world.trustA.id);
});
afterAll(() => t.close());

/** RFC 7235 §2.1: an authentication scheme's name is case-insensitive, and clients differ. */
describe('the Basic and Bearer schemes, however a system spells them', () => {
  it.each(['basic', 'BASIC', 'Basic'])(
    'a token for %s credentials, and reads with it',
    async (basic) => {
      const encoded = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString(
        'base64',
      );
      const issued = await t.app.inject({
        method: 'POST',
        url: '/oauth2/token',
        headers: {
          authorization: `${basic} ${encoded}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: 'grant_type=client_credentials',
      });
      expect(issued.statusCode, issued.body).toBe(200);
      const token = issued.json<{ access_token: string }>().access_token;
      for (const bearer of ['bearer', 'BEARER', 'Bearer']) {
        const read = await t.app.inject({
          method: 'GET',
          url: `/fhir/R4/Patient/${world.patient.id}`,
          headers: { authorization: `${bearer} ${token}` },
        });
        expect(read.statusCode, `${bearer}: ${read.body}`).toBe(200);
      }
    },
  );
});
