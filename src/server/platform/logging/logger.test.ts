import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../test/database';
import {
  createOrganisation,
  createProfessional,
  createTeam,
  randomTestNhsNumber,
  TEST_PASSWORD,
} from '../../../../test/factories';
import { type Client, signIn } from '../../../../test/http';
import { TestClock } from '../../../../test/test-app';
import { buildApp } from '../../app';
import { loadConfig } from '../config/config';
import type { DatabaseConnection } from '../db/database';

/**
 * DESIGN §6: no patient data in logs. The real app logs at a production level into a
 * captured stream while a coordinator registers and reads a patient whose every field is a
 * canary, and clients send canaries in bodies, query strings and failing requests.
 */

const tag = crypto.randomUUID().slice(0, 8);
const nhsNumber = randomTestNhsNumber();
// The same first nine digits with a wrong check digit.
const invalidNhsNumber = `${nhsNumber.slice(0, 9)}${(Number(nhsNumber[9]) + 1) % 10}`;
const CANARY = {
  givenName: `Canarygiven${tag}`,
  familyName: `Canaryfamily${tag}`,
  email: `canary.${tag}@example.test`,
  nhsNumber,
  spacedNhsNumber: `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}`,
  dateOfBirth: '1961-07-19',
  invalidNhsNumber,
  wrongPassword: `canary-password-${tag}`,
  queryValue: `canaryquery${tag}`,
  errorMessage: `canary-error-${tag}`,
};

interface Capture {
  app: FastifyInstance;
  lines: string[];
  connection: DatabaseConnection;
}

async function appLoggingAt(level: 'info' | 'trace'): Promise<Capture> {
  const lines: string[] = [];
  const connection = await createTestDatabase();
  const clock = new TestClock();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: level, WEB_ROOT: 'test/no-web-app' });
  const app = await buildApp({
    db: connection.db,
    config,
    clock: clock.now,
    logStream: { write: (line: string) => void lines.push(line) },
  });
  // An unexpected failure whose message carries patient data, as a driver error might.
  app.get('/test-only/explode', { schema: { hide: true } }, async () => {
    throw new Error(`${CANARY.errorMessage} ${CANARY.givenName} ${CANARY.nhsNumber}`);
  });
  await app.ready();
  return { app, lines, connection };
}

async function exercise({ app, connection }: Capture): Promise<Client> {
  const organisation = await createOrganisation(connection.db);
  const team = await createTeam(connection.db, organisation.id);
  const staff = await createProfessional(connection.db, organisation.id, [
    { teamId: team.id, role: 'coordinator' },
  ]);
  const client = await signIn(app, staff.email);

  const body = {
    organisationId: organisation.id,
    nhsNumber: CANARY.spacedNhsNumber,
    givenName: CANARY.givenName,
    familyName: CANARY.familyName,
    dateOfBirth: CANARY.dateOfBirth,
    email: CANARY.email,
  };
  const created = await client.request({ method: 'POST', url: '/api/v1/patients', payload: body });
  expect(created.statusCode).toBe(201);
  const patientId = created.json<{ id: string }>().id;

  const read = await client.request({
    method: 'GET',
    url: `/api/v1/patients/${patientId}?nhsNumber=${CANARY.nhsNumber}&q=${CANARY.queryValue}`,
  });
  expect(read.statusCode).toBe(200);
  expect(read.body).toContain(CANARY.givenName);

  const failures = [
    // Unknown fields, wrong types and too-long values, all carrying canaries.
    client.request({
      method: 'POST',
      url: `/api/v1/patients?name=${CANARY.givenName}&nhs=${CANARY.nhsNumber}`,
      payload: {
        ...body,
        givenName: CANARY.givenName.repeat(20),
        nhsNumber: Number(CANARY.nhsNumber),
        [CANARY.familyName]: CANARY.email,
      },
    }),
    // Passes the schema, fails the domain check.
    client.request({
      method: 'POST',
      url: '/api/v1/patients',
      payload: { ...body, nhsNumber: invalidNhsNumber },
    }),
    // A duplicate NHS number.
    client.request({ method: 'POST', url: '/api/v1/patients', payload: body }),
    // Invalid query string values.
    client.request({
      method: 'GET',
      url: `/api/v1/teams?organisationId=${CANARY.queryValue}&name=${CANARY.familyName}`,
    }),
    // Malformed JSON with canaries inside.
    client.request({
      method: 'POST',
      url: '/api/v1/patients',
      headers: { 'content-type': 'application/json' },
      payload: `{"givenName": "${CANARY.givenName}", "nhsNumber": ${CANARY.nhsNumber}`,
    }),
    // A failed sign-in with a canary email and password.
    app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: CANARY.email, password: CANARY.wrongPassword },
    }),
    // A missing CSRF token on a request carrying patient data.
    app.inject({
      method: 'POST',
      url: '/api/v1/patients',
      headers: { cookie: client.cookie },
      payload: body,
    }),
    // Unknown routes with canaries in the query string.
    app.inject({ method: 'GET', url: `/api/v1/nowhere?nhsNumber=${CANARY.nhsNumber}` }),
    app.inject({ method: 'GET', url: `/test-only/explode?email=${CANARY.email}` }),
  ];
  const statuses = (await Promise.all(failures)).map((r) => r.statusCode);
  expect(statuses).toEqual([400, 400, 409, 400, 400, 401, 403, 404, 500]);
  return client;
}

describe.each(['info', 'trace'] as const)('logs at level %s', (level) => {
  let capture: Capture;
  let client: Client;
  beforeAll(async () => {
    capture = await appLoggingAt(level);
    client = await exercise(capture);
  });
  afterAll(async () => {
    await capture.app.close();
    await capture.connection.close();
  });

  it('are written, as JSON lines with method, path and status', () => {
    expect(capture.lines.length).toBeGreaterThan(10);
    const entries = capture.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const completed = entries.filter((e) => e.msg === 'request completed');
    expect(completed.length).toBeGreaterThan(5);
    expect(completed.some((e) => typeof e.reqId === 'string')).toBe(true);
    expect(completed.map((e) => e.res)).toContainEqual({ statusCode: 201 });
    expect(entries.map((e) => e.req)).toContainEqual(
      expect.objectContaining({ method: 'POST', path: '/api/v1/patients' }),
    );
    // The unexpected failure is logged, by its type only.
    expect(entries).toContainEqual(
      expect.objectContaining({ level: 50, msg: 'request failed', err: { type: 'Error' } }),
    );
  });

  it('carry no patient data, credentials, cookie or CSRF token', () => {
    const log = capture.lines.join('\n');
    const signed = decodeURIComponent(client.cookie.slice('carethread_session='.length));
    const secrets = {
      ...CANARY,
      nhsNumberDigits: CANARY.nhsNumber,
      dateOfBirth: CANARY.dateOfBirth,
      password: TEST_PASSWORD,
      cookie: signed,
      sessionToken: signed.slice(0, signed.lastIndexOf('.')),
      csrfToken: client.csrfToken,
    };
    for (const [name, secret] of Object.entries(secrets)) {
      expect(log.includes(secret), `${name} appears in the log`).toBe(false);
      expect(log.toLowerCase().includes(secret.toLowerCase()), `${name} (any case)`).toBe(false);
    }
    // Nor any fragment of a canary name, as a partial serialisation might leave.
    expect(log).not.toMatch(/canary/i);
  });

  it('never record headers, bodies or query strings', () => {
    for (const line of capture.lines) {
      const entry = JSON.parse(line) as { req?: Record<string, unknown> };
      if (entry.req) {
        expect(Object.keys(entry.req).sort()).toEqual(['id', 'method', 'path']);
        expect(String(entry.req.path)).not.toContain('?');
      }
      expect(line).not.toMatch(/"(headers|body|query|cookie|cookies|authorization)"/i);
    }
  });
});
