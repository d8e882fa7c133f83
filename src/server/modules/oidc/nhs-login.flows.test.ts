import { and, eq, sql } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation, createPatient, randomTestNhsNumber } from '../../../../test/factories';
import type { TestApp } from '../../../../test/test-app';
import type { DemoPerson } from '../../demo/demo-idp-people';
import type { DemoIssuer } from '../../demo/demo-idp';
import { auditEvents } from '../../platform/audit/audit.schema';
import { signInMethods, users } from '../identity/identity.schema';
import { patients } from '../patients/patients.schema';
import { NHS_LOGIN_VTR } from './oidc.patients';
import { NHS_LOGIN_CALLBACK_PATH } from './oidc.runtime';
import {
  callbackWith,
  countRows,
  type LoopbackServer,
  redirectOf,
  signInAtProvider,
  signInThrough,
  startNhsLoginWorld,
  TEST_CLIENT_ID,
} from './oidc.test-support';

const START = '/api/v1/oidc/nhs-login/start';
let t: TestApp;
let server: LoopbackServer;
let idp: DemoIssuer;
const people: DemoPerson[] = [];
const assertions: string[] = [];

function person(level: 'P5' | 'P9', nhsNumber = randomTestNhsNumber()): DemoPerson {
  const sub = crypto.randomUUID();
  const created: DemoPerson = {
    sub,
    label: `Person ${sub.slice(0, 4)}`,
    hint: level,
    claims: {
      nhs_number: nhsNumber,
      identity_proofing_level: level,
      vot: `${level}.Cp.Cd`,
      birthdate: '1980-04-01',
      given_name: 'Rhian',
      family_name: `Test${sub.slice(0, 6)}`,
      email: `${sub.slice(0, 8)}@example.test`,
      email_verified: true,
    },
  };
  people.push(created);
  return created;
}

// The provider's people are fixed when it starts: make them first.
const hospitalsPatient = person('P9');
const newcomer = person('P9');
const downgraded = person('P5');
const repeat = person('P9');
const reuser = person('P9');

beforeAll(async () => {
  ({ t, server, idp } = await startNhsLoginWorld(people));
  // What the provider received as our client assertion, for the private_key_jwt checks.
  idp.onTokenIssued((params) => {
    if (typeof params.client_assertion === 'string') assertions.push(params.client_assertion);
  });
});
afterAll(async () => {
  await t.close();
  await server.close();
});

const sessionOf = (cookie: string) =>
  t.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });

async function methodsOf(sub: string) {
  return t.db
    .select({ userId: signInMethods.userId, patientId: users.patientId })
    .from(signInMethods)
    .innerJoin(users, eq(users.id, signInMethods.userId))
    .where(and(eq(signInMethods.provider, 'nhs_login'), eq(signInMethods.subject, sub)));
}

describe('NHS login for patients (C5)', () => {
  it('asks for code + PKCE (S256), state, nonce, the P9/P5 vectors of trust and the claims', async () => {
    const start = redirectOf(await t.app.inject({ method: 'GET', url: START }));
    const url = new URL(start.location);
    expect(url.href.startsWith(`${idp.issuer}/`)).toBe(true);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: TEST_CLIENT_ID,
      response_type: 'code',
      code_challenge_method: 'S256',
      scope: 'openid profile email',
      redirect_uri: `http://localhost:3000${NHS_LOGIN_CALLBACK_PATH}`,
      vtr: JSON.stringify(NHS_LOGIN_VTR),
    });
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The flow cookie is bound to this browser: HttpOnly, SameSite=Lax, short-lived.
    const cookie = (await t.app.inject({ method: 'GET', url: START })).headers['set-cookie'];
    expect(String(cookie)).toMatch(/carethread_oidc=.*HttpOnly.*SameSite=Lax/i);
    expect(String(cookie)).toMatch(/Max-Age=600/);
  });

  it('a P9 patient claims the record the hospital created (matched on NHS number) and lands in Messages', async () => {
    const organisation = await createOrganisation(t.db);
    const record = await createPatient(t.db, [organisation.id], {
      nhsNumber: String(hospitalsPatient.claims.nhs_number),
      identityLevel: 'P5',
    });
    const sessionsBefore = await countRows(t.db, 'sessions');
    const patientsBefore = await countRows(t.db, 'patients');

    const result = await signInThrough(t.app, START, hospitalsPatient.sub);
    expect(result.location).toBe('/');
    expect(result.session).not.toBeNull();
    expect(await countRows(t.db, 'sessions')).toBe(sessionsBefore + 1);
    expect(await countRows(t.db, 'patients')).toBe(patientsBefore);
    expect((await methodsOf(hospitalsPatient.sub)).map((m) => m.patientId)).toEqual([record.id]);
    const session = await sessionOf(result.session!);
    expect(session.json()).toMatchObject({
      user: { kind: 'patient', patientId: record.id, identityLevel: 'P9' },
    });
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'session.created'), eq(auditEvents.patientId, record.id)));
    expect(audit?.details).toMatchObject({ method: 'nhs_login' });
  });

  it('creates the record of a patient nobody has registered yet, from the NHS login claims', async () => {
    const result = await signInThrough(t.app, START, newcomer.sub);
    expect(result.location).toBe('/');
    const [created] = await t.db
      .select()
      .from(patients)
      .where(eq(patients.nhsNumber, String(newcomer.claims.nhs_number)));
    expect(created).toMatchObject({
      givenName: 'Rhian',
      familyName: newcomer.claims.family_name,
      dateOfBirth: '1980-04-01',
      identityLevel: 'P9',
    });
    expect((await methodsOf(newcomer.sub)).map((m) => m.patientId)).toEqual([created!.id]);
  });

  it('updates the identity level from the claim at each sign-in: a P5 patient is sent to verify', async () => {
    const record = await createPatient(t.db, [], {
      nhsNumber: String(downgraded.claims.nhs_number),
      identityLevel: 'P9',
    });
    const result = await signInThrough(t.app, START, downgraded.sub);
    expect(result.location).toBe('/verify-identity');
    const [row] = await t.db.select().from(patients).where(eq(patients.id, record.id));
    expect(row?.identityLevel).toBe('P5');
    expect((await sessionOf(result.session!)).json()).toMatchObject({
      user: { identityLevel: 'P5' },
    });
    const mine = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me/conversations',
      headers: { cookie: result.session! },
    });
    expect(mine.statusCode).toBe(403);
    expect(mine.json()).toMatchObject({ code: 'identity.verification_required' });
  });

  it('gives every sign-in a new session id and ends the browser’s previous one', async () => {
    const first = await signInThrough(t.app, START, repeat.sub);
    const start = redirectOf(await t.app.inject({ method: 'GET', url: START }));
    const callback = await signInAtProvider(start.location, repeat.sub);
    const second = await t.app.inject({
      method: 'GET',
      url: callback.pathname + callback.search,
      headers: {
        cookie: `carethread_oidc=${start.cookie('carethread_oidc')!}; ${first.session!}`,
      },
    });
    const secondSession = `carethread_session=${redirectOf(second).cookie('carethread_session')!}`;
    expect(secondSession).not.toBe(first.session);
    expect((await sessionOf(first.session!)).statusCode).toBe(401);
    expect((await sessionOf(secondSession)).statusCode).toBe(200);
    expect(await methodsOf(repeat.sub)).toHaveLength(1);
  });

  it('signs its private_key_jwt assertions with iss = sub = client id, aud = token endpoint, a unique jti and ≤ 5 minutes', async () => {
    expect(assertions.length).toBeGreaterThanOrEqual(2);
    const claims = assertions.map((a) => decodeJwt(a));
    for (const c of claims) {
      expect(c.iss).toBe(TEST_CLIENT_ID);
      expect(c.sub).toBe(TEST_CLIENT_ID);
      expect(c.aud).toBe(`${idp.issuer}/token`);
      expect(typeof c.jti).toBe('string');
      expect(c.exp! - c.iat!).toBeGreaterThan(0);
      expect(c.exp! - c.iat!).toBeLessThanOrEqual(300);
    }
    expect(new Set(claims.map((c) => c.jti)).size).toBe(claims.length);
  });

  it('refuses a reused authorisation code and creates no session', async () => {
    const first = redirectOf(await t.app.inject({ method: 'GET', url: START }));
    const used = await signInAtProvider(first.location, reuser.sub);
    await callbackWith(t.app, used, first.cookie('carethread_oidc')!);
    await t.db.execute(sql`delete from session_organisations`);
    await t.db.execute(sql`delete from sessions`);

    // A new sign-in in the same browser, answered with the old code (and the new state).
    const second = redirectOf(await t.app.inject({ method: 'GET', url: START }));
    const replay = new URL(used);
    replay.searchParams.set('state', new URL(second.location).searchParams.get('state')!);
    const result = await callbackWith(t.app, replay, second.cookie('carethread_oidc')!);
    expect(result.location).toBe('/sign-in/problem?code=oidc.token_rejected');
    expect(result.session).toBeNull();
    expect(await countRows(t.db, 'sessions')).toBe(0);

    // Replaying the first callback itself finds its flow already used.
    const again = await callbackWith(t.app, used, first.cookie('carethread_oidc')!);
    expect(again.location).toBe('/sign-in/problem?code=oidc.flow_missing');
    expect(await countRows(t.db, 'sessions')).toBe(0);
  });

  it('refuses a callback without the browser’s flow cookie', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `${NHS_LOGIN_CALLBACK_PATH}?code=abc&state=def`,
    });
    expect(redirectOf(response).location).toBe('/sign-in/problem?code=oidc.flow_missing');
  });
});
