import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createOrganisation,
  createPatient,
  createProfessional,
  createTeam,
  randomTestNhsNumber,
} from '../../../../test/factories';
import { ANONYMOUS_CLIENT, type Client, signIn } from '../../../../test/http';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { auditEvents } from '../../platform/audit/audit.schema';
import { patients } from '../patients/patients.schema';
import { organisationSignInPolicies } from './identity.schema';
import { SIGN_IN_WINDOW_MS } from './throttle';
import { codeAt, passwordStep } from './totp.testing';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());
beforeEach(() => t.clock.advance(SIGN_IN_WINDOW_MS + 1000));

/** An organisation with a team, its coordinator signed in. */
async function organisation() {
  const { id } = await createOrganisation(t.db);
  const team = await createTeam(t.db, id);
  const coordinator = await createProfessional(t.db, id, [
    { teamId: team.id, role: 'coordinator' },
  ]);
  return { id, team, coordinator: await signIn(t.app, coordinator.email) };
}

const policyUrl = (organisationId: string) =>
  `/api/v1/organisations/${organisationId}/sign-in-policy`;
const readPolicy = (client: Client, organisationId: string) =>
  client.request({ method: 'GET', url: policyUrl(organisationId) });
const setPolicy = (client: Client, organisationId: string, body: unknown) =>
  client.request({ method: 'PUT', url: policyUrl(organisationId), payload: body as object });
const session = (client: Client) => client.request({ method: 'GET', url: '/api/v1/session' });

describe('an organisation’s sign-in policy (C5)', () => {
  it('is off until a coordinator requires an authenticator app, which is audited', async () => {
    const org = await organisation();
    expect((await readPolicy(org.coordinator, org.id)).json()).toEqual({
      organisationId: org.id,
      requireTotp: false,
      updatedAt: null,
    });
    const response = await setPolicy(org.coordinator, org.id, { requireTotp: true });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      organisationId: org.id,
      requireTotp: true,
      updatedAt: t.clock.now().toISOString(),
    });
    expect(
      await t.db
        .select({ requireTotp: organisationSignInPolicies.requireTotp })
        .from(organisationSignInPolicies)
        .where(eq(organisationSignInPolicies.organisationId, org.id)),
    ).toEqual([{ requireTotp: true }]);
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'organisation.sign_in_policy_updated'));
    expect(events).toEqual([
      expect.objectContaining({
        organisationId: org.id,
        entityId: org.id,
        details: { requireTotp: true, previouslyRequired: false },
      }),
    ]);
  });

  it('is for that organisation’s coordinators only: others are refused and nothing changes', async () => {
    const org = await organisation();
    const elsewhere = await organisation();
    const member = await createProfessional(t.db, org.id, [
      { teamId: org.team.id, role: 'manager' },
    ]);
    const patient = await createPatient(t.db, [org.id]);
    const refused: [string, Client, number, string][] = [
      [
        'a manager of the organisation',
        await signIn(t.app, member.email),
        403,
        'sign_in_policy.forbidden',
      ],
      ['a coordinator elsewhere', elsewhere.coordinator, 403, 'sign_in_policy.forbidden'],
      ['a patient', await signIn(t.app, patient.email), 403, 'sign_in_policy.forbidden'],
      ['nobody signed in', ANONYMOUS_CLIENT(t.app), 401, 'auth.unauthenticated'],
    ];
    for (const [who, client, status, code] of refused) {
      for (const response of [
        await readPolicy(client, org.id),
        await setPolicy(client, org.id, { requireTotp: true }),
      ]) {
        expect(response.statusCode, who).toBe(status);
        expect(response.json(), who).toMatchObject({ code });
      }
    }
    expect(
      await t.db
        .select()
        .from(organisationSignInPolicies)
        .where(eq(organisationSignInPolicies.organisationId, org.id)),
    ).toEqual([]);
  });

  it('answers 404 for an organisation that does not exist, 400 for a bad body', async () => {
    const org = await organisation();
    const missing = await setPolicy(org.coordinator, crypto.randomUUID(), { requireTotp: true });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'organisation.not_found' });
    for (const body of [{}, { requireTotp: 'yes' }, { requireTotp: true, extra: 1 }]) {
      const response = await setPolicy(org.coordinator, org.id, body);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'request.invalid' });
    }
    expect((await readPolicy(org.coordinator, 'not-a-uuid')).statusCode).toBe(400);
  });
});

describe('staff of an organisation that requires an authenticator app (C5)', () => {
  it('are sent to set one up, and the API refuses everything else until they have', async () => {
    const org = await organisation();
    await setPolicy(org.coordinator, org.id, { requireTotp: true });
    const staff = await createProfessional(t.db, org.id, [{ teamId: org.team.id, role: 'member' }]);
    const client = await signIn(t.app, staff.email);

    expect((await session(client)).json()).toMatchObject({ totpSetupRequired: true });
    const teams = await client.request({ method: 'GET', url: '/api/v1/teams' });
    expect(teams.statusCode).toBe(403);
    expect(teams.json()).toMatchObject({ code: 'auth.totp_setup_required' });
    const nhsNumber = randomTestNhsNumber();
    const create = await client.request({
      method: 'POST',
      url: '/api/v1/patients',
      payload: {
        organisationId: org.id,
        nhsNumber,
        givenName: 'Gate',
        familyName: 'Keeper',
        dateOfBirth: '1980-01-01',
      },
    });
    expect(create.json()).toMatchObject({ code: 'auth.totp_setup_required' });
    expect(await t.db.select().from(patients).where(eq(patients.nhsNumber, nhsNumber))).toEqual([]);
    // The CSRF check still comes first for a state change.
    const noToken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/totp/setup',
      headers: { cookie: client.cookie },
    });
    expect(noToken.json()).toMatchObject({ code: 'auth.csrf_failed' });

    expect((await client.request({ method: 'GET', url: '/api/v1/me/totp' })).json()).toMatchObject({
      enabled: false,
      setupRequired: true,
    });
    const setup = await client.request({ method: 'POST', url: '/api/v1/me/totp/setup' });
    const { secret } = setup.json<{ secret: string }>();
    const confirm = await client.request({
      method: 'POST',
      url: '/api/v1/me/totp',
      payload: { code: codeAt(secret, t.clock.now()) },
    });
    expect(confirm.statusCode).toBe(201);

    expect((await session(client)).json()).toMatchObject({ totpSetupRequired: false });
    expect((await client.request({ method: 'GET', url: '/api/v1/teams' })).statusCode).toBe(200);
    // From now on a password alone is not enough.
    expect((await passwordStep(t, staff.email)).statusCode).toBe(202);
  });

  it('may still sign out, and sign out everywhere, before setting it up', async () => {
    const org = await organisation();
    await setPolicy(org.coordinator, org.id, { requireTotp: true });
    const staff = await createProfessional(t.db, org.id, [{ teamId: org.team.id, role: 'member' }]);
    const laptop = await signIn(t.app, staff.email);
    const phone = await signIn(t.app, staff.email);
    expect((await laptop.request({ method: 'DELETE', url: '/api/v1/session' })).statusCode).toBe(
      204,
    );
    expect((await phone.request({ method: 'DELETE', url: '/api/v1/me/sessions' })).statusCode).toBe(
      204,
    );
    expect((await session(phone)).statusCode).toBe(401);
  });

  it('include members of its teams employed by another organisation', async () => {
    const org = await organisation();
    const employer = await createOrganisation(t.db);
    await setPolicy(org.coordinator, org.id, { requireTotp: true });
    const visitor = await createProfessional(t.db, employer.id, [
      { teamId: org.team.id, role: 'member' },
    ]);
    expect((await session(await signIn(t.app, visitor.email))).json()).toMatchObject({
      totpSetupRequired: true,
    });
  });

  it('leave other organisations’ staff and every patient alone', async () => {
    const org = await organisation();
    const other = await organisation();
    await setPolicy(org.coordinator, org.id, { requireTotp: true });
    const outsider = await createProfessional(t.db, other.id, [
      { teamId: other.team.id, role: 'member' },
    ]);
    const patient = await createPatient(t.db, [org.id], { careTeamIds: [org.team.id] });
    for (const email of [outsider.email, patient.email]) {
      const client = await signIn(t.app, email);
      expect((await session(client)).json(), email).toMatchObject({ totpSetupRequired: false });
      const mine = await client.request({ method: 'GET', url: '/api/v1/me/conversations' });
      expect(mine.statusCode, email).toBe(200);
    }
  });

  it('take effect on sessions already open, and lift when the requirement is removed', async () => {
    const org = await organisation();
    const staff = await createProfessional(t.db, org.id, [{ teamId: org.team.id, role: 'member' }]);
    const client = await signIn(t.app, staff.email);
    expect((await client.request({ method: 'GET', url: '/api/v1/teams' })).statusCode).toBe(200);

    await setPolicy(org.coordinator, org.id, { requireTotp: true });
    expect((await client.request({ method: 'GET', url: '/api/v1/teams' })).json()).toMatchObject({
      code: 'auth.totp_setup_required',
    });
    expect((await session(client)).json()).toMatchObject({ totpSetupRequired: true });
    // The coordinator's own session is held to the rule as well.
    expect((await readPolicy(org.coordinator, org.id)).json()).toMatchObject({
      code: 'auth.totp_setup_required',
    });

    const second = await signIn(
      t.app,
      (await createProfessional(t.db, org.id, [{ teamId: org.team.id, role: 'coordinator' }]))
        .email,
    );
    // A coordinator who must set up the app cannot lift the rule before doing so.
    expect((await setPolicy(second, org.id, { requireTotp: false })).json()).toMatchObject({
      code: 'auth.totp_setup_required',
    });
    const { secret } = (
      await second.request({ method: 'POST', url: '/api/v1/me/totp/setup' })
    ).json<{ secret: string }>();
    await second.request({
      method: 'POST',
      url: '/api/v1/me/totp',
      payload: { code: codeAt(secret, t.clock.now()) },
    });
    expect((await setPolicy(second, org.id, { requireTotp: false })).statusCode).toBe(200);
    expect((await client.request({ method: 'GET', url: '/api/v1/teams' })).statusCode).toBe(200);
    expect((await session(client)).json()).toMatchObject({ totpSetupRequired: false });
  });
});
