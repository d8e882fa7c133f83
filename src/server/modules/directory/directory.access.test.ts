import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { createProfessional, createTeam } from '../../../../test/factories';
import {
  createPersonaWorld,
  PERSONAS,
  type PersonaName,
  type PersonaWorld,
  snapshot,
} from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { teamMemberships } from './directory.schema';

let t: TestApp;
let w: PersonaWorld;
beforeAll(async () => {
  t = await buildTestApp();
  w = await createPersonaWorld(t.app, t.db);
});
afterAll(() => t.close());

const unique = () => crypto.randomUUID().slice(0, 8);

/** A fresh contactable team "here" with the manager and member in it, so each cell starts clean. */
async function freshTeam() {
  const team = await createTeam(t.db, w.here.id, { contactable: true });
  await t.db.insert(teamMemberships).values([
    { teamId: team.id, professionalId: w.people.manager.id, role: 'manager' },
    { teamId: team.id, professionalId: w.people.member.id, role: 'member' },
  ]);
  return team;
}

interface Endpoint {
  operationId: string;
  /** Builds the request against fresh data, so one persona's success cannot affect another. */
  request: () => Promise<InjectOptions>;
  expected: Record<PersonaName, number>;
  mutates: boolean;
}

// prettier-ignore
const ENDPOINTS: Endpoint[] = [
  {
    operationId: 'listOrganisations', mutates: false,
    request: async () => ({ method: 'GET', url: '/api/v1/organisations' }),
    expected: { coordinatorHere: 200, coordinatorElsewhere: 200, manager: 200, member: 200, patientRegistered: 200, patientNotRegistered: 200, anonymous: 401 },
  },
  {
    operationId: 'listTeams', mutates: false,
    request: async () => ({ method: 'GET', url: '/api/v1/teams' }),
    expected: { coordinatorHere: 200, coordinatorElsewhere: 200, manager: 200, member: 200, patientRegistered: 200, patientNotRegistered: 200, anonymous: 401 },
  },
  {
    operationId: 'getTeam', mutates: false,
    request: async () => ({ method: 'GET', url: `/api/v1/teams/${w.team.id}` }),
    expected: { coordinatorHere: 200, coordinatorElsewhere: 200, manager: 200, member: 200, patientRegistered: 200, patientNotRegistered: 404, anonymous: 401 },
  },
  {
    // The team's public web page (issue 8): anyone, signed in or not.
    operationId: 'getPublicTeam', mutates: false,
    request: async () => ({ method: 'GET', url: `/api/v1/public/teams/${w.team.slug}` }),
    expected: { coordinatorHere: 200, coordinatorElsewhere: 200, manager: 200, member: 200, patientRegistered: 200, patientNotRegistered: 200, anonymous: 200 },
  },
  {
    operationId: 'listProfessionals', mutates: false,
    request: async () => ({ method: 'GET', url: '/api/v1/professionals' }),
    expected: { coordinatorHere: 200, coordinatorElsewhere: 200, manager: 200, member: 200, patientRegistered: 403, patientNotRegistered: 403, anonymous: 401 },
  },
  {
    operationId: 'createTeam', mutates: true,
    request: async () => ({
      method: 'POST', url: `/api/v1/organisations/${w.here.id}/teams`,
      payload: { name: 'New team', slug: `new-${unique()}`, contactable: true },
    }),
    expected: { coordinatorHere: 201, coordinatorElsewhere: 403, manager: 403, member: 403, patientRegistered: 403, patientNotRegistered: 403, anonymous: 401 },
  },
  {
    operationId: 'createProfessional', mutates: true,
    request: async () => ({
      method: 'POST', url: `/api/v1/organisations/${w.here.id}/professionals`,
      payload: { name: 'New Person', jobTitle: 'Nurse', email: `new-${unique()}@example.test` },
    }),
    expected: { coordinatorHere: 201, coordinatorElsewhere: 403, manager: 403, member: 403, patientRegistered: 403, patientNotRegistered: 403, anonymous: 401 },
  },
  // A registered patient can see these contactable teams (getTeam answers 200), so a change
  // they may not make is "visible but forbidden": 403, not 404 (DESIGN §4).
  {
    operationId: 'updateTeam', mutates: true,
    request: async () => {
      const team = await freshTeam();
      return { method: 'PATCH', url: `/api/v1/teams/${team.id}`, payload: { contactable: false } };
    },
    expected: { coordinatorHere: 200, coordinatorElsewhere: 403, manager: 403, member: 403, patientRegistered: 403, patientNotRegistered: 404, anonymous: 401 },
  },
  {
    operationId: 'addTeamMember', mutates: true,
    request: async () => {
      const team = await freshTeam();
      const newcomer = await createProfessional(t.db, w.here.id);
      return {
        method: 'PUT', url: `/api/v1/teams/${team.id}/members/${newcomer.id}`,
        payload: { role: 'member', contactable: false },
      };
    },
    expected: { coordinatorHere: 200, coordinatorElsewhere: 403, manager: 403, member: 403, patientRegistered: 403, patientNotRegistered: 404, anonymous: 401 },
  },
  {
    operationId: 'removeTeamMember', mutates: true,
    request: async () => {
      const team = await freshTeam();
      const leaver = await createProfessional(t.db, w.here.id, [{ teamId: team.id, role: 'member' }]);
      return { method: 'DELETE', url: `/api/v1/teams/${team.id}/members/${leaver.id}` };
    },
    expected: { coordinatorHere: 204, coordinatorElsewhere: 403, manager: 403, member: 403, patientRegistered: 403, patientNotRegistered: 404, anonymous: 401 },
  },
  {
    operationId: 'setEscalationPathway', mutates: true,
    request: async () => {
      const team = await freshTeam();
      return {
        method: 'PUT', url: `/api/v1/teams/${team.id}/escalation-pathway`,
        payload: { steps: [{ line: 2, teamId: w.adminTeam.id }] },
      };
    },
    expected: { coordinatorHere: 200, coordinatorElsewhere: 403, manager: 403, member: 403, patientRegistered: 403, patientNotRegistered: 404, anonymous: 401 },
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

describe('directory routes: persona × endpoint (DESIGN §4: invisible 404, forbidden 403)', () => {
  it('has a cell for every persona × endpoint', () => {
    for (const endpoint of ENDPOINTS) {
      expect(Object.keys(endpoint.expected).sort()).toEqual([...PERSONAS].sort());
    }
    expect(cells).toHaveLength(ENDPOINTS.length * PERSONAS.length);
  });

  it('covers every directory operation in the OpenAPI document', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    const document = response.json<{
      paths: Record<string, Record<string, { tags?: string[]; operationId?: string }>>;
    }>();
    const operations = Object.values(document.paths)
      .flatMap((methods) => Object.values(methods))
      .filter((op) => op.tags?.includes('directory'))
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

describe('directory routes: what the refusals say', () => {
  it('names the reason with a stable code', async () => {
    const team = await freshTeam();
    const update = {
      method: 'PATCH' as const,
      url: `/api/v1/teams/${team.id}`,
      payload: { name: 'X' },
    };
    expect((await w.clients.member.request(update)).json()).toMatchObject({
      status: 403,
      code: 'team.forbidden',
    });
    expect((await w.clients.patientNotRegistered.request(update)).json()).toMatchObject({
      status: 404,
      code: 'team.not_found',
    });
    expect((await w.clients.anonymous.request(update)).json()).toMatchObject({
      status: 401,
      code: 'auth.unauthenticated',
    });
    const create = {
      method: 'POST' as const,
      url: `/api/v1/organisations/${w.here.id}/professionals`,
      payload: { name: 'A', jobTitle: 'B', email: `x-${unique()}@example.test` },
    };
    expect((await w.clients.coordinatorElsewhere.request(create)).json()).toMatchObject({
      status: 403,
      code: 'professional.forbidden',
    });
    expect(
      (
        await w.clients.patientRegistered.request({ method: 'GET', url: '/api/v1/professionals' })
      ).json(),
    ).toMatchObject({ status: 403, code: 'professional.forbidden' });
  });

  it('a registered patient cannot change a team they cannot see: 404 (not contactable)', async () => {
    const before = await snapshot(t.db);
    const response = await w.clients.patientRegistered.request({
      method: 'PATCH',
      url: `/api/v1/teams/${w.adminTeam.id}`,
      payload: { name: 'Hijacked' },
    });
    expect(response.statusCode).toBe(404);
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('a coordinator elsewhere cannot create a team in an organisation that does not exist: 404', async () => {
    const response = await w.clients.coordinatorElsewhere.request({
      method: 'POST',
      url: `/api/v1/organisations/${crypto.randomUUID()}/teams`,
      payload: { name: 'Ghost', slug: `ghost-${unique()}`, contactable: true },
    });
    expect(response.json()).toMatchObject({ status: 404, code: 'organisation.not_found' });
  });

  it('refuses a state change without the CSRF token, changing nothing (DESIGN §5)', async () => {
    const before = await snapshot(t.db);
    const response = await w.clients.coordinatorHere.request({
      method: 'POST',
      url: `/api/v1/organisations/${w.here.id}/teams`,
      payload: { name: 'No token', slug: `no-token-${unique()}`, contactable: true },
      headers: { 'x-csrf-token': 'not-the-token' },
    });
    expect(response.json()).toMatchObject({ status: 403, code: 'auth.csrf_failed' });
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('getTeam shows the actions the viewer may take', async () => {
    const asCoordinator = (
      await w.clients.coordinatorHere.request({ method: 'GET', url: `/api/v1/teams/${w.team.id}` })
    ).json<{ actions: unknown }>();
    expect(asCoordinator.actions).toEqual({
      update: true,
      manageMembers: true,
      setEscalationPathway: true,
    });
    const asManager = (
      await w.clients.manager.request({ method: 'GET', url: `/api/v1/teams/${w.team.id}` })
    ).json<{ actions: unknown }>();
    expect(asManager.actions).toEqual({
      update: false,
      manageMembers: false,
      setEscalationPathway: false,
    });
    const asPatient = (
      await w.clients.patientRegistered.request({
        method: 'GET',
        url: `/api/v1/teams/${w.team.id}`,
      })
    ).json<{ actions: unknown; members: unknown[]; escalationPathway: unknown[] }>();
    expect(asPatient).toMatchObject({
      actions: { update: false, manageMembers: false, setEscalationPathway: false },
      members: [],
      escalationPathway: [],
    });
  });
});
