import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOrganisation, createPatient, createProfessional } from '../../../../test/factories';
import { type Client, signIn } from '../../../../test/http';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { auditEvents } from '../../platform/audit/audit.schema';
import { sessions, signInChallenges } from './identity.schema';
import { SIGN_IN_WINDOW_MS } from './throttle';
import { TOTP_STEP_MS } from './totp';
import { codeAt, codeStep, cookieHeader, enrolTotp, passwordStep } from './totp.testing';

let t: TestApp;
let organisationId: string;
beforeAll(async () => {
  t = await buildTestApp();
  organisationId = (await createOrganisation(t.db)).id;
});
afterAll(() => t.close());
beforeEach(() => t.clock.advance(SIGN_IN_WINDOW_MS + 1000));

const everywhere = (client: Client) =>
  client.request({ method: 'DELETE', url: '/api/v1/me/sessions' });
const status = async (client: Client) =>
  (
    await t.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { cookie: client.cookie },
    })
  ).statusCode;
const userIdOf = async (client: Client) =>
  (await client.request({ method: 'GET', url: '/api/v1/session' })).json<{ user: { id: string } }>()
    .user.id;

describe('sign out of all devices (signOutEverywhere)', () => {
  it('ends every session of the user, clears the cookie, leaves other people signed in, and is audited', async () => {
    const staff = await createProfessional(t.db, organisationId);
    const colleague = await createProfessional(t.db, organisationId);
    const laptop = await signIn(t.app, staff.email);
    const phone = await signIn(t.app, staff.email);
    const tablet = await signIn(t.app, staff.email);
    const theirs = await signIn(t.app, colleague.email);
    const userId = await userIdOf(laptop);

    const response = await everywhere(laptop);
    expect(response.statusCode).toBe(204);
    const cleared = response.cookies.find((c) => c.name === 'carethread_session');
    expect(cleared?.value).toBe('');
    for (const client of [laptop, phone, tablet]) expect(await status(client)).toBe(401);
    expect(await status(theirs)).toBe(200);
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, userId))).toEqual([]);

    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'session.ended_everywhere'));
    expect(event).toMatchObject({
      actorUserId: userId,
      entityType: 'user',
      entityId: userId,
      details: { sessionsEnded: 3 },
    });
  });

  it('refuses without the CSRF token and ends nothing', async () => {
    const staff = await createProfessional(t.db, organisationId);
    const laptop = await signIn(t.app, staff.email);
    const phone = await signIn(t.app, staff.email);
    const response = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/me/sessions',
      headers: { cookie: laptop.cookie },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'auth.csrf_failed' });
    expect(await status(laptop)).toBe(200);
    expect(await status(phone)).toBe(200);
  });

  it('answers 401 without a session', async () => {
    const response = await t.app.inject({ method: 'DELETE', url: '/api/v1/me/sessions' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'auth.unauthenticated' });
  });

  it('also ends a sign-in that is waiting for its authenticator code', async () => {
    const staff = await createProfessional(t.db, organisationId);
    const client = await signIn(t.app, staff.email);
    const { secret } = await enrolTotp(t, client);
    const userId = await userIdOf(client);
    const first = await passwordStep(t, staff.email);
    const challenge = cookieHeader(first, 'carethread_sign_in');

    expect((await everywhere(client)).statusCode).toBe(204);
    expect(
      await t.db.select().from(signInChallenges).where(eq(signInChallenges.userId, userId)),
    ).toEqual([]);
    t.clock.advance(TOTP_STEP_MS);
    const late = await codeStep(t, challenge, { code: codeAt(secret, t.clock.now()) });
    expect(late.json()).toMatchObject({ code: 'auth.sign_in_expired' });
  });

  it('works for patients too', async () => {
    const patient = await createPatient(t.db, [organisationId]);
    const one = await signIn(t.app, patient.email);
    const two = await signIn(t.app, patient.email);
    expect((await everywhere(two)).statusCode).toBe(204);
    expect(await status(one)).toBe(401);
  });
});
