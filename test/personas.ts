import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Role } from '../src/server/modules/directory/directory.schema';
import type { Actor, PatientActor, ProfessionalActor } from '../src/server/modules/identity/actor';
import type { Database } from '../src/server/platform/db/database';
import {
  createOrganisation,
  createPatient,
  createProfessional,
  createTeam,
  TEST_PASSWORD,
} from './factories';
import { ANONYMOUS_CLIENT, type Client } from './http';

/**
 * The people a policy or route is tested against (STYLE.md: "Its test is one table").
 * "Here" is the organisation the resource belongs to; "elsewhere" is another one.
 */
export const PERSONAS = [
  'coordinatorHere',
  'coordinatorElsewhere',
  'manager',
  'member',
  'patientRegistered',
  'patientNotRegistered',
  'anonymous',
] as const;
export type PersonaName = (typeof PERSONAS)[number];

// ─── Pure actors, for policy tables ──────────────────────────────────────────────────────

export function professionalActor(
  memberships: { teamId: string; organisationId: string; role: Role }[],
): ProfessionalActor {
  return {
    kind: 'professional',
    userId: randomUUID(),
    professionalId: randomUUID(),
    name: 'Staff Person',
    memberships: memberships.map((m) => ({
      ...m,
      teamName: `Team ${m.teamId.slice(0, 4)}`,
      organisationName: `Trust ${m.organisationId.slice(0, 4)}`,
    })),
  };
}

export function patientActor(
  patientId = randomUUID(),
  identityLevel: 'P5' | 'P9' = 'P9',
): PatientActor {
  return { kind: 'patient', userId: randomUUID(), patientId, name: 'Pat Ient', identityLevel };
}

/** Fixed ids and one actor per persona, with no database behind them. */
export function policyWorld() {
  const here = randomUUID();
  const elsewhere = randomUUID();
  const team = randomUUID(); // a team of "here"; the manager's and member's team
  const adminTeam = randomUUID(); // the team of "here" holding its coordinator
  const otherTeam = randomUUID(); // a team of "elsewhere"
  const patientRegisteredId = randomUUID();
  const actors: Record<PersonaName, Actor> = {
    coordinatorHere: professionalActor([
      { teamId: adminTeam, organisationId: here, role: 'coordinator' },
    ]),
    coordinatorElsewhere: professionalActor([
      { teamId: otherTeam, organisationId: elsewhere, role: 'coordinator' },
    ]),
    manager: professionalActor([{ teamId: team, organisationId: here, role: 'manager' }]),
    member: professionalActor([{ teamId: team, organisationId: here, role: 'member' }]),
    patientRegistered: patientActor(patientRegisteredId),
    patientNotRegistered: patientActor(),
    anonymous: { kind: 'anonymous' },
  };
  return { here, elsewhere, team, adminTeam, otherTeam, patientRegisteredId, actors };
}

// ─── Signed-in personas, for route tables ────────────────────────────────────────────────

let addressCounter = 0;
/**
 * Signs in from a fresh client address each time: sign-in is throttled per address
 * (MAX_ATTEMPTS_PER_ADDRESS), and a test file signs in more people than that allows.
 */
export async function signInAs(app: FastifyInstance, email: string): Promise<Client> {
  addressCounter += 1;
  const remoteAddress = `10.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { email, password: TEST_PASSWORD },
    remoteAddress,
  });
  if (response.statusCode !== 200)
    throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'carethread_session');
  if (!cookie) throw new Error('no session cookie');
  const { csrfToken } = response.json<{ csrfToken: string }>();
  const header = `carethread_session=${cookie.value}`;
  return {
    csrfToken,
    cookie: header,
    request: (options: InjectOptions): Promise<LightMyRequestResponse> =>
      app.inject({
        ...options,
        headers: { cookie: header, 'x-csrf-token': csrfToken, ...(options.headers ?? {}) },
      }),
  };
}

/**
 * A small directory with one signed-in client per persona:
 * organisation "here" with an admin team (its coordinator) and a contactable care team
 * (manager and member) that has a care relationship with the registered patient;
 * organisation "elsewhere" with its own coordinator and the unregistered patient.
 */
export async function createPersonaWorld(app: FastifyInstance, db: Database) {
  const here = await createOrganisation(db);
  const elsewhere = await createOrganisation(db);
  const adminTeam = await createTeam(db, here.id, { contactable: false, name: 'Admin' });
  const team = await createTeam(db, here.id, { contactable: true, name: 'Care team' });
  const otherTeam = await createTeam(db, elsewhere.id, { contactable: true });
  const coordinatorHere = await createProfessional(db, here.id, [
    { teamId: adminTeam.id, role: 'coordinator' },
  ]);
  const coordinatorElsewhere = await createProfessional(db, elsewhere.id, [
    { teamId: otherTeam.id, role: 'coordinator' },
  ]);
  const manager = await createProfessional(db, here.id, [{ teamId: team.id, role: 'manager' }]);
  const member = await createProfessional(db, here.id, [{ teamId: team.id, role: 'member' }]);
  const patientRegistered = await createPatient(db, [here.id], { careTeamIds: [team.id] });
  const patientNotRegistered = await createPatient(db, [elsewhere.id]);

  const clients: Record<PersonaName, Client> = {
    coordinatorHere: await signInAs(app, coordinatorHere.email),
    coordinatorElsewhere: await signInAs(app, coordinatorElsewhere.email),
    manager: await signInAs(app, manager.email),
    member: await signInAs(app, member.email),
    patientRegistered: await signInAs(app, patientRegistered.email),
    patientNotRegistered: await signInAs(app, patientNotRegistered.email),
    anonymous: ANONYMOUS_CLIENT(app),
  };
  return {
    here,
    elsewhere,
    adminTeam,
    team,
    otherTeam,
    people: {
      coordinatorHere,
      coordinatorElsewhere,
      manager,
      member,
      patientRegistered,
      patientNotRegistered,
    },
    clients,
  };
}
export type PersonaWorld = Awaited<ReturnType<typeof createPersonaWorld>>;

// ─── "Changes nothing" ───────────────────────────────────────────────────────────────────

const DOMAIN_TABLES = [
  'organisations',
  'teams',
  'professionals',
  'team_memberships',
  'escalation_pathway_steps',
  'patients',
  'patient_registrations',
  'care_relationships',
  'integration_clients',
  'integration_tokens',
  'organisation_sign_in_providers',
] as const;

/**
 * Every row of the directory and patient tables, plus the successful audit events: equal
 * snapshots before and after a request mean it changed nothing. (A refused read still
 * writes its own `denied` audit event, by DESIGN C4, so those are left out.)
 */
export async function snapshot(db: Database): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  for (const table of DOMAIN_TABLES) {
    const rows = await db.execute(
      sql`select coalesce(json_agg(t order by t::text), '[]'::json) as rows from ${sql.identifier(table)} t`,
    );
    result[table] = (rows as { rows: { rows: unknown }[] }).rows[0]?.rows;
  }
  const audit = await db.execute(
    sql`select count(*)::int as n from audit_events where outcome <> 'denied'`,
  );
  result.audit_events = (audit as { rows: { n: number }[] }).rows[0]?.n;
  return result;
}

/** Row counts of the domain tables, for tests that expect exactly some rows more. */
export async function rowCounts(db: Database): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of [...DOMAIN_TABLES, 'audit_events']) {
    const rows = await db.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`);
    result[table] = (rows as { rows: { n: number }[] }).rows[0]?.n ?? -1;
  }
  return result;
}

// ─── Refusals ────────────────────────────────────────────────────────────────────────────

export interface ExpectedProblem {
  status: number;
  code: string;
  /** Field problems that must be among `errors`, by field and (when given) code. */
  errors?: { field: string; code?: string }[];
}

/**
 * Sends a request that must be refused: a 4xx application/problem+json with the stable
 * code (and field problems) expected, and no change to the database.
 */
export async function expectRefused(
  db: Database,
  client: Client,
  request: InjectOptions,
  expected: ExpectedProblem,
): Promise<LightMyRequestResponse> {
  const before = await snapshot(db);
  const response = await client.request(request);
  const body = response.body;
  expect(response.statusCode, body).toBe(expected.status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = response.json<{
    status: number;
    code: string;
    errors?: { field: string; code: string }[];
  }>();
  expect(problem.status).toBe(expected.status);
  expect(problem.code, body).toBe(expected.code);
  if (expected.errors) {
    const found = (problem.errors ?? []).map(({ field, code }) => ({ field, code }));
    for (const error of expected.errors) {
      const matching = found.filter(
        (f) => f.field === error.field && (error.code === undefined || f.code === error.code),
      );
      expect(matching, `${JSON.stringify(error)} in ${body}`).not.toHaveLength(0);
    }
  }
  expect(await snapshot(db)).toEqual(before);
  return response;
}
