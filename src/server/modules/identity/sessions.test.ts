import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createOrganisation,
  createProfessional,
  createTeam,
  randomTestNhsNumber,
  TEST_PASSWORD,
} from '../../../../test/factories';
import { type Client, signIn } from '../../../../test/http';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { auditEvents } from '../../platform/audit/audit.schema';
import { professionals } from '../directory/directory.schema';
import { patients } from '../patients/patients.schema';
import { SIGN_IN_WINDOW_MS } from './identity.commands';
import { hashToken, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from './identity.queries';
import { sessions } from './identity.schema';

let t: TestApp;
let organisationId: string;
let teamId: string;
beforeAll(async () => {
  t = await buildTestApp();
  organisationId = (await createOrganisation(t.db)).id;
  teamId = (await createTeam(t.db, organisationId)).id;
});
afterAll(() => t.close());

// Every sign-in here comes from the same test address; start each test in a fresh window so
// the per-address sign-in limit never decides a test about sessions.
beforeEach(() => t.clock.advance(SIGN_IN_WINDOW_MS + 1000));

const getSession = (cookie: string) =>
  t.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });

/** The raw session token inside a signed cookie header `carethread_session=<token>.<sig>`. */
function tokenOf(client: Client): string {
  const signed = decodeURIComponent(client.cookie.slice('carethread_session='.length));
  return signed.slice(0, signed.lastIndexOf('.'));
}

async function sessionRow(client: Client) {
  const [row] = await t.db
    .select()
    .from(sessions)
    .where(eq(sessions.tokenHash, hashToken(tokenOf(client))));
  return row;
}

async function coordinator() {
  const staff = await createProfessional(t.db, organisationId, [{ teamId, role: 'coordinator' }]);
  return { staff, client: await signIn(t.app, staff.email) };
}

const patientBody = () => ({
  organisationId,
  nhsNumber: randomTestNhsNumber(),
  givenName: 'Csrf',
  familyName: 'Probe',
  dateOfBirth: '1980-02-03',
});

describe('getSession', () => {
  it('returns the signed-in user and the CSRF token', async () => {
    const { staff, client } = await coordinator();
    const response = await getSession(client.cookie);

    expect(response.statusCode).toBe(200);
    const body = response.json<{
      csrfToken: string;
      user: Record<string, unknown>;
    }>();
    expect(body.csrfToken).toBe(client.csrfToken);
    expect(body.user).toMatchObject({
      kind: 'professional',
      professionalId: staff.id,
      patientId: null,
      identityLevel: null,
      displayName: staff.name,
      memberships: [{ teamId, organisationId, role: 'coordinator' }],
      coordinatorOf: [{ id: organisationId }],
    });
  });

  it('answers 401 problem+json without a session', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/session' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'auth.unauthenticated' });
  });

  it('gives every session its own token and CSRF token', async () => {
    const staff = await createProfessional(t.db, organisationId);
    const first = await signIn(t.app, staff.email);
    const second = await signIn(t.app, staff.email);
    expect(second.cookie).not.toBe(first.cookie);
    expect(second.csrfToken).not.toBe(first.csrfToken);
    expect((await getSession(first.cookie)).statusCode).toBe(200);
    expect((await getSession(second.cookie)).statusCode).toBe(200);
  });
});

describe('forged and tampered cookies', () => {
  it('treats a cookie with a tampered signature as anonymous', async () => {
    const { client } = await coordinator();
    const header = client.cookie;
    const last = header.at(-1) === 'A' ? 'B' : 'A';
    const tampered = `${header.slice(0, -1)}${last}`;
    expect((await getSession(tampered)).statusCode).toBe(401);
    // State-changing requests with it are anonymous too: no CSRF pass, no effect.
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/patients',
      headers: { cookie: tampered, 'x-csrf-token': client.csrfToken },
      payload: patientBody(),
    });
    expect(response.statusCode).toBe(401);
  });

  it('treats the bare token without its signature as anonymous', async () => {
    const { client } = await coordinator();
    expect((await getSession(`carethread_session=${tokenOf(client)}`)).statusCode).toBe(401);
  });

  it('treats a correctly signed but unknown token as anonymous', async () => {
    const forged = t.app.signCookie('a-token-the-server-never-issued');
    expect((await getSession(`carethread_session=${encodeURIComponent(forged)}`)).statusCode).toBe(
      401,
    );
  });

  it('does not accept the token hash stored in the database as a token', async () => {
    const { client } = await coordinator();
    const row = await sessionRow(client);
    const forged = t.app.signCookie(row!.tokenHash);
    expect((await getSession(`carethread_session=${encodeURIComponent(forged)}`)).statusCode).toBe(
      401,
    );
  });
});

describe('CSRF (DESIGN §5)', () => {
  it('refuses a state-changing request without the X-CSRF-Token header and changes nothing', async () => {
    const { client } = await coordinator();
    const body = patientBody();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/patients',
      headers: { cookie: client.cookie },
      payload: body,
    });

    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 403, code: 'auth.csrf_failed' });
    expect(
      await t.db.select().from(patients).where(eq(patients.nhsNumber, body.nhsNumber)),
    ).toEqual([]);
  });

  it('refuses a wrong X-CSRF-Token and changes nothing', async () => {
    const { client } = await coordinator();
    const other = await coordinator();
    const body = patientBody();
    for (const token of [
      'x',
      `${client.csrfToken}x`,
      client.csrfToken.slice(0, -1),
      // A real token, but another session's.
      other.client.csrfToken,
    ]) {
      const response = await client.request({
        method: 'POST',
        url: '/api/v1/patients',
        headers: { 'x-csrf-token': token },
        payload: body,
      });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'auth.csrf_failed' });
    }
    expect(
      await t.db.select().from(patients).where(eq(patients.nhsNumber, body.nhsNumber)),
    ).toEqual([]);
  });

  it('refuses sign-out without the token and keeps the session', async () => {
    const { client } = await coordinator();
    const response = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { cookie: client.cookie },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'auth.csrf_failed' });
    expect(await sessionRow(client)).toBeDefined();
    expect((await getSession(client.cookie)).statusCode).toBe(200);
  });

  it('accepts the state-changing request with the right token', async () => {
    const { client } = await coordinator();
    const body = patientBody();
    const response = await client.request({
      method: 'POST',
      url: '/api/v1/patients',
      payload: body,
    });
    expect(response.statusCode).toBe(201);
  });

  it('does not demand the token on safe methods', async () => {
    const { client } = await coordinator();
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/teams',
      headers: { cookie: client.cookie },
    });
    expect(response.statusCode).toBe(200);
  });
});

describe('signing in again in the same browser', () => {
  it('needs no CSRF token, ends the old session and issues a new session id', async () => {
    const { staff, client } = await coordinator();
    const other = await createProfessional(t.db, organisationId);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { cookie: client.cookie },
      payload: { email: other.email, password: TEST_PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json<{ user: { professionalId: string } }>().user.professionalId).toBe(
      other.id,
    );
    const fresh = response.cookies.find((c) => c.name === 'carethread_session');
    expect(fresh?.value).toBeTruthy();
    expect(`carethread_session=${fresh?.value}`).not.toBe(client.cookie);
    expect(await sessionRow(client)).toBeUndefined();
    expect((await getSession(client.cookie)).statusCode).toBe(401);
    expect(staff.id).not.toBe(other.id);
  });

  it('rotates the session id when the same person signs in again', async () => {
    const { staff, client } = await coordinator();
    const before = await sessionRow(client);
    t.clock.advance(60_000);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { cookie: client.cookie },
      payload: { email: staff.email, password: TEST_PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    const fresh = response.cookies.find((c) => c.name === 'carethread_session');
    const cookie = `carethread_session=${fresh?.value}`;
    expect(cookie).not.toBe(client.cookie);
    expect(await sessionRow(client)).toBeUndefined();
    expect((await getSession(client.cookie)).statusCode).toBe(401);
    const renewed = await getSession(cookie);
    expect(renewed.statusCode).toBe(200);
    // A new session: new CSRF token, and its lifetimes count from this sign-in.
    expect(renewed.json<{ csrfToken: string }>().csrfToken).not.toBe(client.csrfToken);
    const [row] = await t.db.select().from(sessions).where(eq(sessions.userId, before!.userId));
    expect(row?.createdAt).toEqual(t.clock.now());
    expect(row?.expiresAt).toEqual(new Date(t.clock.now().getTime() + SESSION_ABSOLUTE_MS));
  });
});

describe('sign-out', () => {
  it('deletes the session row, clears the cookie and leaves the old cookie worthless', async () => {
    const { client } = await coordinator();
    expect(await sessionRow(client)).toBeDefined();

    const response = await client.request({ method: 'DELETE', url: '/api/v1/session' });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    const cleared = response.cookies.find((c) => c.name === 'carethread_session');
    expect(cleared?.value).toBe('');
    expect(cleared?.path).toBe('/');
    expect(cleared?.expires?.getTime()).toBeLessThanOrEqual(Date.now());

    expect(await sessionRow(client)).toBeUndefined();
    expect((await getSession(client.cookie)).statusCode).toBe(401);
    // A replayed sign-out is simply unauthenticated.
    const again = await client.request({ method: 'DELETE', url: '/api/v1/session' });
    expect(again.statusCode).toBe(401);
  });

  it('ends only that session', async () => {
    const staff = await createProfessional(t.db, organisationId);
    const laptop = await signIn(t.app, staff.email);
    const phone = await signIn(t.app, staff.email);
    await laptop.request({ method: 'DELETE', url: '/api/v1/session' });
    expect((await getSession(laptop.cookie)).statusCode).toBe(401);
    expect((await getSession(phone.cookie)).statusCode).toBe(200);
  });

  it('writes a session.ended audit event', async () => {
    const { client } = await coordinator();
    const { user } = (await getSession(client.cookie)).json<{ user: { id: string } }>();
    await client.request({ method: 'DELETE', url: '/api/v1/session' });
    const events = await t.db
      .select({ action: auditEvents.action, actorUserId: auditEvents.actorUserId })
      .from(auditEvents)
      .where(eq(auditEvents.actorUserId, user.id));
    expect(events.map((e) => e.action)).toEqual(['session.created', 'session.ended']);
  });

  it('answers 401 without a session', async () => {
    const response = await t.app.inject({ method: 'DELETE', url: '/api/v1/session' });
    expect(response.statusCode).toBe(401);
  });
});

describe('session expiry', () => {
  it(`ends a session idle for ${SESSION_IDLE_MS / 60000} minutes`, async () => {
    const { client } = await coordinator();
    t.clock.advance(SESSION_IDLE_MS - 1000);
    expect((await getSession(client.cookie)).statusCode).toBe(200);

    // That read counted as activity: another almost-idle period is still fine.
    t.clock.advance(SESSION_IDLE_MS - 1000);
    expect((await getSession(client.cookie)).statusCode).toBe(200);

    t.clock.advance(SESSION_IDLE_MS);
    expect((await getSession(client.cookie)).statusCode).toBe(401);
    expect(await sessionRow(client)).toBeUndefined();
    // Going back in time does not revive it.
    t.clock.advance(-SESSION_IDLE_MS);
    expect((await getSession(client.cookie)).statusCode).toBe(401);
  });

  it(`ends an active session ${SESSION_ABSOLUTE_MS / 3_600_000} hours after sign-in`, async () => {
    const { client } = await coordinator();
    const step = 20 * 60 * 1000;
    let elapsed = 0;
    while (elapsed + step < SESSION_ABSOLUTE_MS) {
      t.clock.advance(step);
      elapsed += step;
      expect((await getSession(client.cookie)).statusCode).toBe(200);
    }
    t.clock.advance(SESSION_ABSOLUTE_MS - elapsed);
    expect((await getSession(client.cookie)).statusCode).toBe(401);
    expect(await sessionRow(client)).toBeUndefined();
  });

  it('refuses a state-changing request on an expired session as unauthenticated', async () => {
    const { client } = await coordinator();
    t.clock.advance(SESSION_IDLE_MS);
    const body = patientBody();
    const response = await client.request({
      method: 'POST',
      url: '/api/v1/patients',
      payload: body,
    });
    expect(response.statusCode).toBe(401);
    expect(
      await t.db.select().from(patients).where(eq(patients.nhsNumber, body.nhsNumber)),
    ).toEqual([]);
  });

  it('stops honouring the session of a professional who is deactivated', async () => {
    const { staff, client } = await coordinator();
    await t.db.update(professionals).set({ active: false }).where(eq(professionals.id, staff.id));
    expect((await getSession(client.cookie)).statusCode).toBe(401);
  });
});
