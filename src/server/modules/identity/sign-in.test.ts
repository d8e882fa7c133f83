import { and, eq } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createOrganisation,
  createPatient,
  createProfessional,
  TEST_PASSWORD,
} from '../../../../test/factories';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { auditEvents } from '../../platform/audit/audit.schema';
import {
  MAX_ATTEMPTS_PER_ADDRESS,
  MAX_FAILURES_PER_ACCOUNT,
  SIGN_IN_WINDOW_MS,
} from './identity.commands';
import { sessions, signInAttempts, signInMethods } from './identity.schema';

let t: TestApp;
let organisationId: string;
beforeAll(async () => {
  t = await buildTestApp();
  organisationId = (await createOrganisation(t.db)).id;
});
afterAll(() => t.close());

// Every test signs in from its own client address, so the per-address limit of one test
// never reaches into another.
let address: string;
let nextAddress = 1;
beforeEach(() => {
  address = `10.0.0.${nextAddress++}`;
});

function attempt(email: string, password: string, remoteAddress = address) {
  const options: InjectOptions = {
    method: 'POST',
    url: '/api/v1/session',
    payload: { email, password },
    remoteAddress,
  };
  return t.app.inject(options);
}

describe('sign-in with email and password', () => {
  it('opens a session behind an HttpOnly, SameSite=Lax, signed cookie on path /', async () => {
    const staff = await createProfessional(t.db, organisationId);
    const response = await attempt(staff.email, TEST_PASSWORD);

    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'carethread_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    // Not a persistent cookie: the session lives on the server, the cookie with the browser.
    expect(cookie?.maxAge).toBeUndefined();
    const body = response.json<{ csrfToken: string; user: { kind: string } }>();
    expect(body.user.kind).toBe('professional');
    expect(body.csrfToken.length).toBeGreaterThanOrEqual(24);
    // The cookie carries neither the CSRF token nor anything but the random token.
    expect(cookie?.value).not.toContain(body.csrfToken);
  });

  it('stores the password as an argon2id hash, never the password itself', async () => {
    const staff = await createProfessional(t.db, organisationId);
    const [method] = await t.db
      .select()
      .from(signInMethods)
      .where(and(eq(signInMethods.provider, 'password'), eq(signInMethods.subject, staff.email)));
    expect(method?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(method?.passwordHash).not.toContain(TEST_PASSWORD);
  });

  it('stores only a hash of the session token', async () => {
    const staff = await createProfessional(t.db, organisationId);
    const response = await attempt(staff.email, TEST_PASSWORD);
    const signed = response.cookies.find((c) => c.name === 'carethread_session')!.value;
    const token = signed.slice(0, signed.lastIndexOf('.'));
    const rows = await t.db.select().from(sessions);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.tokenHash).not.toBe(token);
  });

  it('matches the email case-insensitively and ignores surrounding spaces', async () => {
    const staff = await createProfessional(t.db, organisationId, [], {
      email: `Mixed.Case-${crypto.randomUUID().slice(0, 8)}@Example.Test`,
    });
    const response = await attempt(`  ${staff.email.toUpperCase()} `, TEST_PASSWORD);
    expect(response.statusCode).toBe(200);
  });

  it('signs patients in too', async () => {
    const patient = await createPatient(t.db, [organisationId]);
    const response = await attempt(patient.email, TEST_PASSWORD);
    expect(response.statusCode).toBe(200);
    expect(response.json<{ user: { kind: string; patientId: string } }>().user).toMatchObject({
      kind: 'patient',
      patientId: patient.id,
    });
  });

  it('answers an unknown email and a wrong password with byte-identical problems', async () => {
    const staff = await createProfessional(t.db, organisationId);
    const wrongPassword = await attempt(staff.email, 'not the password');
    const unknownEmail = await attempt('nobody-at-all@example.test', TEST_PASSWORD);

    for (const response of [wrongPassword, unknownEmail]) {
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ status: 401, code: 'auth.invalid_credentials' });
      expect(response.cookies).toEqual([]);
    }
    expect(unknownEmail.body).toBe(wrongPassword.body);
  });

  it('refuses an inactive professional with the same answer as a wrong password', async () => {
    const staff = await createProfessional(t.db, organisationId, [], { active: false });
    const response = await attempt(staff.email, TEST_PASSWORD);
    const wrong = await attempt('nobody-else@example.test', 'wrong');
    expect(response.statusCode).toBe(401);
    expect(response.body).toBe(wrong.body);
    expect(response.cookies).toEqual([]);
  });

  it('rejects unknown fields and empty credentials', async () => {
    const extra = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'a@example.test', password: 'x', remember: true },
      remoteAddress: address,
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.json()).toMatchObject({
      code: 'request.invalid',
      errors: [{ field: 'body/remember', code: 'field.unknown' }],
    });

    const empty = await attempt('', '');
    expect(empty.statusCode).toBe(400);
  });

  it('writes a session.created audit event naming the user and the request', async () => {
    const staff = await createProfessional(t.db, organisationId);
    const response = await attempt(staff.email, TEST_PASSWORD);
    const { user } = response.json<{ user: { id: string } }>();

    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'session.created'), eq(auditEvents.actorUserId, user.id)));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      entityType: 'session',
      outcome: 'success',
      clientAddress: address,
      requestId: response.headers['x-request-id'],
      details: { method: 'password' },
    });
    expect(events[0]?.occurredAt.toISOString()).toBe(t.clock.now().toISOString());
  });

  it('files a patient’s sign-in in that patient’s audit chain', async () => {
    const patient = await createPatient(t.db, [organisationId]);
    await attempt(patient.email, TEST_PASSWORD);
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'session.created'), eq(auditEvents.patientId, patient.id)));
    expect(events).toHaveLength(1);
    expect(events[0]?.chainKey).toBe(`patient:${patient.id}`);
  });
});

describe('sign-in throttling', () => {
  it(`locks an account after ${MAX_FAILURES_PER_ACCOUNT} failures, even for the right password, for 15 minutes`, async () => {
    const staff = await createProfessional(t.db, organisationId);
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      // Spread over addresses: the account limit must hold on its own.
      const response = await attempt(staff.email, `wrong ${i}`, `10.1.0.${i}`);
      expect(response.statusCode).toBe(401);
    }

    const locked = await attempt(staff.email, TEST_PASSWORD, '10.1.1.1');
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(locked.json()).toMatchObject({ status: 429, code: 'auth.too_many_attempts' });
    expect(locked.cookies).toEqual([]);

    t.clock.advance(SIGN_IN_WINDOW_MS - 1000);
    expect((await attempt(staff.email, TEST_PASSWORD, '10.1.1.2')).statusCode).toBe(429);

    t.clock.advance(2000);
    expect((await attempt(staff.email, TEST_PASSWORD, '10.1.1.3')).statusCode).toBe(200);
  });

  it('counts failures per account whatever the case of the email', async () => {
    const staff = await createProfessional(t.db, organisationId);
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      const email = i % 2 === 0 ? staff.email.toUpperCase() : staff.email;
      expect((await attempt(email, 'wrong')).statusCode).toBe(401);
    }
    expect((await attempt(staff.email, TEST_PASSWORD)).statusCode).toBe(429);
  });

  it('does not count successful sign-ins as failures', async () => {
    const staff = await createProfessional(t.db, organisationId);
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT - 1; i++) {
      expect((await attempt(staff.email, 'wrong')).statusCode).toBe(401);
    }
    for (let i = 0; i < 3; i++) {
      expect((await attempt(staff.email, TEST_PASSWORD)).statusCode).toBe(200);
    }
  });

  it('throttles an unknown email exactly like a known one', async () => {
    const email = `ghost-${crypto.randomUUID()}@example.test`;
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      expect((await attempt(email, 'guess')).statusCode).toBe(401);
    }
    expect((await attempt(email, 'guess')).statusCode).toBe(429);
  });

  it('leaves other accounts alone while one is locked', async () => {
    const locked = await createProfessional(t.db, organisationId);
    const other = await createProfessional(t.db, organisationId);
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      await attempt(locked.email, 'wrong', `10.2.0.${i}`);
    }
    expect((await attempt(locked.email, TEST_PASSWORD, '10.2.1.1')).statusCode).toBe(429);
    expect((await attempt(other.email, TEST_PASSWORD, '10.2.1.1')).statusCode).toBe(200);
  });

  it(`limits one address to ${MAX_ATTEMPTS_PER_ADDRESS} attempts in 15 minutes across accounts`, async () => {
    const staff = await createProfessional(t.db, organisationId);
    for (let i = 0; i < MAX_ATTEMPTS_PER_ADDRESS; i++) {
      // A different account each time, so no account limit is reached.
      const response = await attempt(`spray-${i}-${crypto.randomUUID()}@example.test`, 'guess');
      expect(response.statusCode).toBe(401);
    }

    const fromSameAddress = await attempt(staff.email, TEST_PASSWORD);
    expect(fromSameAddress.statusCode).toBe(429);
    expect(fromSameAddress.json()).toMatchObject({ code: 'auth.too_many_attempts' });
    // The same account from elsewhere is unaffected.
    expect((await attempt(staff.email, TEST_PASSWORD, '10.3.0.1')).statusCode).toBe(200);

    t.clock.advance(SIGN_IN_WINDOW_MS + 1000);
    expect((await attempt(staff.email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('stores attempts without the email address', async () => {
    const email = `private-${crypto.randomUUID()}@example.test`;
    await attempt(email, 'guess');
    const rows = await t.db
      .select()
      .from(signInAttempts)
      .where(eq(signInAttempts.clientAddress, address));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(email);
    expect(JSON.stringify(rows)).not.toContain('private-');
  });

  // Guessing in parallel must not beat the limit. PGlite runs one transaction at a time, so
  // this bites only on PostgreSQL, where each attempt counts failures before any is recorded.
  it('holds the account limit under concurrent attempts', async () => {
    const staff = await createProfessional(t.db, organisationId);
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => attempt(staff.email, `wrong ${i}`, `10.4.0.${i}`)),
    );
    const failures = responses.filter((r) => r.statusCode === 401).length;
    expect(failures).toBeLessThanOrEqual(MAX_FAILURES_PER_ACCOUNT);
    expect(responses.every((r) => r.statusCode === 401 || r.statusCode === 429)).toBe(true);
  });
});
