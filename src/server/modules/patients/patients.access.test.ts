import { eq } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { createTeam, randomTestNhsNumber } from '../../../../test/factories';
import {
  createPersonaWorld,
  PERSONAS,
  type PersonaName,
  type PersonaWorld,
  snapshot,
} from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { careRelationships, patients } from './patients.schema';

let t: TestApp;
let w: PersonaWorld;
beforeAll(async () => {
  t = await buildTestApp();
  w = await createPersonaWorld(t.app, t.db);
});
afterAll(() => t.close());

interface Endpoint {
  operationId: string;
  request: () => Promise<InjectOptions>;
  expected: Record<PersonaName, number>;
  mutates: boolean;
}

/**
 * The record under test is the registered patient's: registered "here", with a care
 * relationship to the manager's and member's team. Care-relationship cells use a fresh team
 * "here", so one persona's success cannot affect another's cell.
 */
// prettier-ignore
const ENDPOINTS: Endpoint[] = [
  {
    operationId: 'createPatient', mutates: true,
    request: async () => ({
      method: 'POST', url: '/api/v1/patients',
      payload: { organisationId: w.here.id, nhsNumber: randomTestNhsNumber(), givenName: 'Ada', familyName: 'Lovelace', dateOfBirth: '1980-12-10' },
    }),
    expected: { coordinatorHere: 201, coordinatorElsewhere: 403, manager: 403, member: 403, patientRegistered: 403, patientNotRegistered: 403, anonymous: 401 },
  },
  {
    operationId: 'getPatient', mutates: false,
    request: async () => ({ method: 'GET', url: `/api/v1/patients/${w.people.patientRegistered.id}` }),
    expected: { coordinatorHere: 200, coordinatorElsewhere: 404, manager: 200, member: 200, patientRegistered: 200, patientNotRegistered: 404, anonymous: 401 },
  },
  {
    operationId: 'findPatientByNhsNumber', mutates: false,
    request: async () => {
      const [patient] = await t.db.select({ nhsNumber: patients.nhsNumber }).from(patients).where(eq(patients.id, w.people.patientRegistered.id));
      return { method: 'POST', url: '/api/v1/patient-lookups', payload: { nhsNumber: patient?.nhsNumber } };
    },
    expected: { coordinatorHere: 200, coordinatorElsewhere: 404, manager: 200, member: 200, patientRegistered: 403, patientNotRegistered: 403, anonymous: 401 },
  },
  {
    operationId: 'getAccessLog', mutates: false,
    request: async () => ({ method: 'GET', url: '/api/v1/me/access-log' }),
    expected: { coordinatorHere: 403, coordinatorElsewhere: 403, manager: 403, member: 403, patientRegistered: 200, patientNotRegistered: 200, anonymous: 401 },
  },
  {
    operationId: 'downloadAccessLog', mutates: false,
    request: async () => ({ method: 'GET', url: '/api/v1/me/access-log.csv' }),
    expected: { coordinatorHere: 403, coordinatorElsewhere: 403, manager: 403, member: 403, patientRegistered: 200, patientNotRegistered: 200, anonymous: 401 },
  },
  {
    operationId: 'addCareRelationship', mutates: true,
    request: async () => {
      const team = await createTeam(t.db, w.here.id);
      return { method: 'PUT', url: `/api/v1/teams/${team.id}/care-relationships/${w.people.patientRegistered.id}` };
    },
    expected: { coordinatorHere: 204, coordinatorElsewhere: 404, manager: 403, member: 403, patientRegistered: 403, patientNotRegistered: 404, anonymous: 401 },
  },
  {
    operationId: 'removeCareRelationship', mutates: true,
    request: async () => {
      const team = await createTeam(t.db, w.here.id);
      await t.db.insert(careRelationships).values({ teamId: team.id, patientId: w.people.patientRegistered.id });
      return { method: 'DELETE', url: `/api/v1/teams/${team.id}/care-relationships/${w.people.patientRegistered.id}` };
    },
    expected: { coordinatorHere: 204, coordinatorElsewhere: 404, manager: 403, member: 403, patientRegistered: 403, patientNotRegistered: 404, anonymous: 401 },
  },
];

const cells = ENDPOINTS.flatMap((endpoint) =>
  PERSONAS.map((persona) => ({
    operationId: endpoint.operationId,
    persona,
    status: endpoint.expected[persona],
    endpoint,
  })),
);

describe('patient routes: persona × endpoint (DESIGN C2, §4)', () => {
  it('has a cell for every persona × endpoint', () => {
    for (const endpoint of ENDPOINTS) {
      expect(Object.keys(endpoint.expected).sort()).toEqual([...PERSONAS].sort());
    }
    expect(cells).toHaveLength(ENDPOINTS.length * PERSONAS.length);
  });

  it('covers every patients operation in the OpenAPI document', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    const document = response.json<{
      paths: Record<string, Record<string, { tags?: string[]; operationId?: string }>>;
    }>();
    const operations = Object.values(document.paths)
      .flatMap((methods) => Object.values(methods))
      .filter((op) => op.tags?.includes('patients'))
      .map((op) => op.operationId)
      .sort();
    expect(operations).toEqual(ENDPOINTS.map((e) => e.operationId).sort());
  });

  test.each(cells)(
    '$persona → $operationId answers $status',
    async ({ persona, status, endpoint }) => {
      const request = await endpoint.request();
      const before = await snapshot(t.db);
      const response = await w.clients[persona].request(request);
      expect(response.statusCode, response.body).toBe(status);
      const after = await snapshot(t.db);
      if (status >= 400) {
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(after).toEqual(before);
      } else if (endpoint.mutates) {
        expect(after).not.toEqual(before);
      }
    },
  );
});

describe('patient routes: what the refusals say', () => {
  it('names the reason with a stable code and no patient data', async () => {
    const patientId = w.people.patientRegistered.id;
    const read = await w.clients.coordinatorElsewhere.request({
      method: 'GET',
      url: `/api/v1/patients/${patientId}`,
    });
    expect(read.json()).toMatchObject({ status: 404, code: 'patient.not_found' });
    const team = await createTeam(t.db, w.here.id);
    const manage = await w.clients.member.request({
      method: 'PUT',
      url: `/api/v1/teams/${team.id}/care-relationships/${patientId}`,
    });
    expect(manage.json()).toMatchObject({ status: 403, code: 'care_relationship.forbidden' });
    const create = await w.clients.manager.request({
      method: 'POST',
      url: '/api/v1/patients',
      payload: {
        organisationId: w.here.id,
        nhsNumber: randomTestNhsNumber(),
        givenName: 'Ada',
        familyName: 'Lovelace',
        dateOfBirth: '1980-12-10',
      },
    });
    expect(create.json()).toMatchObject({ status: 403, code: 'patient.forbidden' });
    for (const response of [read, manage, create]) {
      expect(response.body).not.toContain(w.people.patientRegistered.nhsNumber);
      expect(response.body).not.toContain(w.people.patientRegistered.familyName);
    }
  });

  it('a coordinator cannot give a team of another organisation access: 403', async () => {
    const before = await snapshot(t.db);
    const response = await w.clients.coordinatorHere.request({
      method: 'PUT',
      url: `/api/v1/teams/${w.otherTeam.id}/care-relationships/${w.people.patientRegistered.id}`,
    });
    expect(response.json()).toMatchObject({ status: 403, code: 'care_relationship.forbidden' });
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('a coordinator cannot give their team access to a patient registered elsewhere: 404', async () => {
    const before = await snapshot(t.db);
    const response = await w.clients.coordinatorHere.request({
      method: 'PUT',
      url: `/api/v1/teams/${w.team.id}/care-relationships/${w.people.patientNotRegistered.id}`,
    });
    expect(response.json()).toMatchObject({ status: 404, code: 'patient.not_found' });
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('a coordinator cannot register a patient with another organisation', async () => {
    const before = await snapshot(t.db);
    const response = await w.clients.coordinatorHere.request({
      method: 'POST',
      url: '/api/v1/patients',
      payload: {
        organisationId: w.elsewhere.id,
        nhsNumber: randomTestNhsNumber(),
        givenName: 'Ada',
        familyName: 'Lovelace',
        dateOfBirth: '1980-12-10',
      },
    });
    expect(response.json()).toMatchObject({ status: 403, code: 'patient.forbidden' });
    expect(await snapshot(t.db)).toEqual(before);
  });
});
