import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOrganisation, createProfessional } from '../../../../test/factories';
import { signIn } from '../../../../test/http';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { auditEvents } from '../../platform/audit/audit.schema';
import { professionals } from '../directory/directory.schema';
import { sessions, signInChallenges, users } from './identity.schema';
import { SIGN_IN_CHALLENGE_MS } from './sessions';
import { MAX_FAILURES_PER_ACCOUNT, SIGN_IN_WINDOW_MS } from './throttle';
import { TOTP_STEP_MS } from './totp';
import {
  clientFrom,
  codeAt,
  codeStep,
  cookieHeader,
  enrolTotp,
  nextAddress,
  passwordStep,
  signInWithCode,
  wrongCodeAt,
} from './totp.testing';

let t: TestApp;
let organisationId: string;
beforeAll(async () => {
  t = await buildTestApp();
  organisationId = (await createOrganisation(t.db)).id;
});
afterAll(() => t.close());
beforeEach(() => t.clock.advance(SIGN_IN_WINDOW_MS + 1000));

/** A professional with an authenticator app set up, signed out again. */
async function enrolled() {
  const professional = await createProfessional(t.db, organisationId);
  const client = await signIn(t.app, professional.email);
  const { secret, recoveryCodes } = await enrolTotp(t, client);
  await client.request({ method: 'DELETE', url: '/api/v1/session' });
  const [user] = await t.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.professionalId, professional.id));
  return { professional, secret, recoveryCodes, userId: user!.id };
}

/** The password step; the returned cookie carries the pending sign-in. */
async function pending(email: string) {
  const response = await passwordStep(t, email);
  expect(response.statusCode, response.body).toBe(202);
  return cookieHeader(response, 'carethread_sign_in');
}

const sessionsOf = (userId: string) =>
  t.db.select().from(sessions).where(eq(sessions.userId, userId));

describe('signing in with a password and an authenticator code (C5)', () => {
  it('asks for the code after the password, and opens no session until it is right', async () => {
    const { professional, userId } = await enrolled();
    const response = await passwordStep(t, professional.email);

    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({
      state: 'auth.second_factor_required',
      expiresAt: new Date(t.clock.now().getTime() + SIGN_IN_CHALLENGE_MS).toISOString(),
    });
    expect(response.cookies.find((c) => c.name === 'carethread_session')).toBeUndefined();
    const challenge = response.cookies.find((c) => c.name === 'carethread_sign_in');
    expect(challenge).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      path: '/api/v1/session',
      maxAge: SIGN_IN_CHALLENGE_MS / 1000,
    });
    expect(await sessionsOf(userId)).toEqual([]);
    // The pending sign-in is no session: presented as one it is worth nothing.
    const asSession = `carethread_session=${challenge!.value}`;
    const probe = await t.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { cookie: asSession },
    });
    expect(probe.statusCode).toBe(401);
  });

  it('opens the session with the right code, audited with the second factor', async () => {
    const { professional, secret, userId } = await enrolled();
    const challenge = await pending(professional.email);
    t.clock.advance(TOTP_STEP_MS);
    const response = await codeStep(t, challenge, { code: codeAt(secret, t.clock.now()) });

    const client = clientFrom(t, response);
    expect(response.json()).toMatchObject({
      totpSetupRequired: false,
      user: { professionalId: professional.id },
    });
    const cleared = response.cookies.find((c) => c.name === 'carethread_sign_in');
    expect(cleared?.value).toBe('');
    expect((await client.request({ method: 'GET', url: '/api/v1/teams' })).statusCode).toBe(200);
    expect(
      await t.db.select().from(signInChallenges).where(eq(signInChallenges.userId, userId)),
    ).toEqual([]);
    const created = await t.db
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, userId), eq(auditEvents.action, 'session.created')))
      .orderBy(auditEvents.occurredAt);
    // The first is the sign-in that set the app up; the second, this one.
    expect(created.map((c) => c.details)).toEqual([
      { method: 'password', totpSetupRequired: false },
      { method: 'password', secondFactor: 'totp' },
    ]);
  });

  it('accepts one step of clock drift either way, not two', async () => {
    const { professional, secret } = await enrolled();
    t.clock.advance(10 * TOTP_STEP_MS);
    const late = await pending(professional.email);
    expect((await codeStep(t, late, { code: codeAt(secret, t.clock.now(), -2) })).statusCode).toBe(
      401,
    );
    expect((await codeStep(t, late, { code: codeAt(secret, t.clock.now(), -1) })).statusCode).toBe(
      200,
    );

    t.clock.advance(10 * TOTP_STEP_MS);
    const early = await pending(professional.email);
    expect((await codeStep(t, early, { code: codeAt(secret, t.clock.now(), 2) })).statusCode).toBe(
      401,
    );
    expect((await codeStep(t, early, { code: codeAt(secret, t.clock.now(), 1) })).statusCode).toBe(
      200,
    );
  });

  it('refuses a code that has already been used, and any older one', async () => {
    const { professional, secret } = await enrolled();
    t.clock.advance(TOTP_STEP_MS);
    const code = codeAt(secret, t.clock.now());
    expect((await codeStep(t, await pending(professional.email), { code })).statusCode).toBe(200);

    const replay = await codeStep(t, await pending(professional.email), { code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({ code: 'auth.code_already_used' });
    // Still within the drift window, the previous step's code is older than the one used.
    const older = await codeStep(t, await pending(professional.email), {
      code: codeAt(secret, t.clock.now(), -1),
    });
    expect(older.json()).toMatchObject({ code: 'auth.code_already_used' });
  });

  it('refuses a wrong code, leaving the pending sign-in usable', async () => {
    const { professional, secret } = await enrolled();
    const challenge = await pending(professional.email);
    t.clock.advance(TOTP_STEP_MS);
    const wrong = await codeStep(t, challenge, { code: wrongCodeAt(secret, t.clock.now()) });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'auth.invalid_code' });
    expect(wrong.cookies.find((c) => c.name === 'carethread_session')).toBeUndefined();
    expect((await codeStep(t, challenge, { code: codeAt(secret, t.clock.now()) })).statusCode).toBe(
      200,
    );
  });

  it(`throttles wrong codes: after ${MAX_FAILURES_PER_ACCOUNT} failures even the right code waits`, async () => {
    const { professional, secret, userId } = await enrolled();
    const challenge = await pending(professional.email);
    t.clock.advance(TOTP_STEP_MS);
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      const address = nextAddress();
      const wrong = await codeStep(
        t,
        challenge,
        { code: wrongCodeAt(secret, t.clock.now()) },
        address,
      );
      expect(wrong.statusCode).toBe(401);
    }
    const throttled = await codeStep(t, challenge, { code: codeAt(secret, t.clock.now()) });
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json()).toMatchObject({ code: 'auth.too_many_attempts' });
    expect(await sessionsOf(userId)).toEqual([]);

    t.clock.advance(SIGN_IN_WINDOW_MS);
    const later = await pending(professional.email);
    expect((await codeStep(t, later, { code: codeAt(secret, t.clock.now()) })).statusCode).toBe(
      200,
    );
  });

  it('refuses the code step without a pending sign-in, with a tampered one, or after five minutes', async () => {
    const { professional, secret } = await enrolled();
    t.clock.advance(TOTP_STEP_MS);
    const code = codeAt(secret, t.clock.now());
    const none = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session/code',
      payload: { code },
    });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'auth.sign_in_expired' });

    const challenge = await pending(professional.email);
    const tampered = `${challenge.slice(0, -1)}${challenge.endsWith('A') ? 'B' : 'A'}`;
    expect((await codeStep(t, tampered, { code })).json()).toMatchObject({
      code: 'auth.sign_in_expired',
    });

    t.clock.advance(SIGN_IN_CHALLENGE_MS);
    const expired = await codeStep(t, challenge, { code: codeAt(secret, t.clock.now()) });
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ code: 'auth.sign_in_expired' });
  });

  it('spends the pending sign-in: it cannot open a second session', async () => {
    const { professional, secret } = await enrolled();
    const challenge = await pending(professional.email);
    t.clock.advance(TOTP_STEP_MS);
    expect((await codeStep(t, challenge, { code: codeAt(secret, t.clock.now()) })).statusCode).toBe(
      200,
    );
    t.clock.advance(TOTP_STEP_MS);
    const again = await codeStep(t, challenge, { code: codeAt(secret, t.clock.now()) });
    expect(again.json()).toMatchObject({ code: 'auth.sign_in_expired' });
  });

  it('gives a wrong password the usual answer and no pending sign-in', async () => {
    const { professional, userId } = await enrolled();
    const response = await passwordStep(t, professional.email, nextAddress(), 'wrong password');
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'auth.invalid_credentials' });
    expect(response.cookies.find((c) => c.name === 'carethread_sign_in')).toBeUndefined();
    expect(
      await t.db.select().from(signInChallenges).where(eq(signInChallenges.userId, userId)),
    ).toEqual([]);
  });

  it('refuses the code step of someone deactivated after their password step', async () => {
    const { professional, secret, userId } = await enrolled();
    const challenge = await pending(professional.email);
    await t.db
      .update(professionals)
      .set({ active: false })
      .where(eq(professionals.id, professional.id));
    t.clock.advance(TOTP_STEP_MS);
    const response = await codeStep(t, challenge, { code: codeAt(secret, t.clock.now()) });
    expect(response.statusCode).toBe(401);
    expect(await sessionsOf(userId)).toEqual([]);
  });
});

describe('recovery codes', () => {
  it('each works once instead of a code, typed in any case and without the hyphen', async () => {
    const { professional, recoveryCodes, userId } = await enrolled();
    const [first, second] = recoveryCodes as [string, string];
    const typed = first.replace('-', '').toUpperCase();
    const response = await codeStep(t, await pending(professional.email), { recoveryCode: typed });
    const client = clientFrom(t, response);
    expect((await client.request({ method: 'GET', url: '/api/v1/me/totp' })).json()).toMatchObject({
      enabled: true,
      recoveryCodesRemaining: 9,
    });

    const reused = await codeStep(t, await pending(professional.email), { recoveryCode: first });
    expect(reused.statusCode).toBe(401);
    expect(reused.json()).toMatchObject({ code: 'auth.invalid_recovery_code' });
    const other = await codeStep(t, await pending(professional.email), { recoveryCode: second });
    expect(other.statusCode).toBe(200);

    const details = await t.db
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, userId), eq(auditEvents.action, 'session.created')));
    expect(details.map((d) => d.details)).toContainEqual({
      method: 'password',
      secondFactor: 'recovery_code',
    });
    expect(JSON.stringify(details)).not.toContain(first);
  });

  it("refuses another account's recovery code", async () => {
    const mine = await enrolled();
    const theirs = await enrolled();
    const response = await codeStep(t, await pending(mine.professional.email), {
      recoveryCode: theirs.recoveryCodes[0]!,
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'auth.invalid_recovery_code' });
  });
});

describe('session id at a two-step sign-in', () => {
  it('ends the browser’s previous session and issues a new id when the code is accepted', async () => {
    const { professional, secret } = await enrolled();
    const before = await signInWithCode(t, professional.email, secret);
    const challenge = await pending(professional.email);
    t.clock.advance(TOTP_STEP_MS);
    const response = await codeStep(
      t,
      challenge,
      { code: codeAt(secret, t.clock.now()) },
      nextAddress(),
      before.cookie,
    );
    const after = clientFrom(t, response);
    expect(after.cookie).not.toBe(before.cookie);
    const old = await t.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { cookie: before.cookie },
    });
    expect(old.statusCode).toBe(401);
  });
});
