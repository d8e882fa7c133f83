import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation, createProfessional, createTeam } from '../../../../test/factories';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { CIS2_CLAIMS } from '../../demo/demo-idp-mount';
import type { DemoPerson } from '../../demo/demo-idp-people';
import { auditEvents } from '../../platform/audit/audit.schema';
import { signInMethods, users } from '../identity/identity.schema';
import { STAFF_CALLBACK_PATH } from './oidc.runtime';
import { organisationSignInProviders } from './oidc.schema';
import {
  countRows,
  type LoopbackServer,
  loopbackIssuers,
  signInThrough,
  clientKey,
  TEST_CLIENT_ID,
} from './oidc.test-support';

let t: TestApp;
let server: LoopbackServer;
const orgs: Record<'a' | 'b' | 'entra', { id: string; teamId: string }> = {} as never;

const role = (id: string, orgCode: string, name: string) => ({
  person_roleid: id,
  org_code: orgCode,
  role_code: 'S8000:G8000:R8001',
  role_name: `"Clinical":"Clinical Provision":"${name}"`,
});
const cis2 = (key: string, claims: Record<string, unknown>): DemoPerson => ({
  sub: `cis2-${key}-${crypto.randomUUID()}`,
  label: key,
  hint: key,
  claims: { email_verified: true, ...claims },
});
const twoRoles = cis2('two-roles', {
  email: `two.roles.${crypto.randomUUID().slice(0, 6)}@example.test`,
  nhsid_nrbac_roles: [
    role('555000000001', 'AAA01', 'Nurse Access Role'),
    role('555000000002', 'BBB02', 'Clinical Practitioner Access Role'),
    role('555000000003', 'ZZZ99', 'Elsewhere Role'),
  ],
});
const stranger = cis2('stranger', {
  email: 'nobody.here@example.test',
  nhsid_nrbac_roles: [role('555000000009', 'AAA01', 'Nurse Access Role')],
});
const provisioned = cis2('provisioned', {
  email: 'unverified@example.test',
  email_verified: false,
  nhsid_nrbac_roles: [role('555000000010', 'AAA01', 'Nurse Access Role')],
});
const entra = (tid: string, email: string): DemoPerson => ({
  sub: `entra-${crypto.randomUUID()}`,
  label: email,
  hint: tid,
  claims: { tid, oid: crypto.randomUUID(), email, email_verified: true, name: 'Entra Person' },
});
const ALLOWED_TENANT = '11111111-1111-4111-8111-111111111111';
const inTenant = entra(ALLOWED_TENANT, `entra.${crypto.randomUUID().slice(0, 6)}@example.test`);
const otherTenant = entra('22222222-2222-4222-8222-222222222222', inTenant.claims.email as string);

let twoRolesId: string;
let provisionedProfessional: { id: string };

beforeAll(async () => {
  const key = await clientKey();
  const loopback = await loopbackIssuers([
    {
      name: 'cis2',
      people: [twoRoles, stranger, provisioned],
      claims: CIS2_CLAIMS,
      key,
      callbackPath: STAFF_CALLBACK_PATH,
      idTokenAlg: 'RS256',
    },
    {
      name: 'entra',
      people: [inTenant, otherTenant],
      claims: {
        openid: ['sub', 'tid', 'oid'],
        profile: ['name'],
        email: ['email', 'email_verified'],
      },
      key,
      callbackPath: STAFF_CALLBACK_PATH,
      idTokenAlg: 'RS256',
    },
  ]);
  server = loopback.server;
  t = await buildTestApp({ env: { OIDC_KEY_TEST: key.pem } });
  for (const [name, ods] of [
    ['a', 'AAA01'],
    ['b', 'BBB02'],
    ['entra', null],
  ] as const) {
    const organisation = await createOrganisation(t.db, `Trust ${name.toUpperCase()}`);
    const team = await createTeam(t.db, organisation.id);
    orgs[name] = { id: organisation.id, teamId: team.id };
    await t.db.insert(organisationSignInProviders).values({
      organisationId: organisation.id,
      provider: ods ? 'cis2' : 'entra',
      issuer: loopback.issuers[ods ? 'cis2' : 'entra']!.issuer,
      clientId: TEST_CLIENT_ID,
      keyName: 'TEST',
      odsCode: ods,
      tenantAllowlist: ods ? [] : [ALLOWED_TENANT],
    });
  }
  twoRolesId = (
    await createProfessional(
      t.db,
      orgs.a.id,
      [
        { teamId: orgs.a.teamId, role: 'member' },
        { teamId: orgs.b.teamId, role: 'manager' },
      ],
      { email: twoRoles.claims.email as string },
    )
  ).id;
  provisionedProfessional = await createProfessional(t.db, orgs.a.id, [
    { teamId: orgs.a.teamId, role: 'member' },
  ]);
  const [user] = await t.db
    .select()
    .from(users)
    .where(eq(users.professionalId, provisionedProfessional.id));
  await t.db
    .insert(signInMethods)
    .values({ userId: user!.id, provider: 'cis2', subject: provisioned.sub });
  await createProfessional(t.db, orgs.entra.id, [{ teamId: orgs.entra.teamId, role: 'member' }], {
    email: inTenant.claims.email as string,
  });
});
afterAll(async () => {
  await t.close();
  await server.close();
});

const start = (organisationId: string) =>
  `/api/v1/oidc/staff/start?organisationId=${organisationId}`;
const totals = async () => ({
  sessions: await countRows(t.db, 'sessions'),
  users: await countRows(t.db, 'users'),
  professionals: await countRows(t.db, 'professionals'),
  signInMethods: await countRows(t.db, 'sign_in_methods'),
});

describe('staff single sign-on with CIS2 (C5)', () => {
  it('offers the organisations with single sign-on on the sign-in page', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/sign-in/options' });
    expect(response.json<{ staff: unknown[] }>().staff).toEqual(
      expect.arrayContaining([
        { organisationId: orgs.a.id, organisationName: 'Trust A', provider: 'cis2' },
        { organisationId: orgs.entra.id, organisationName: 'Trust ENTRA', provider: 'entra' },
      ]),
    );
  });

  it('with two roles, the chosen role authorises on that role’s organisation only', async () => {
    const result = await signInThrough(t.app, start(orgs.a.id), twoRoles.sub);
    expect(result.location).toBe('/sign-in/choose-role');
    expect(result.session).toBeNull();
    const flowCookie = `carethread_oidc=${result.flow!}`;

    const offered = await t.app.inject({
      method: 'GET',
      url: '/api/v1/oidc/staff/roles',
      headers: { cookie: flowCookie },
    });
    expect(offered.json()).toEqual({
      roles: [
        {
          roleId: '555000000001',
          roleName: 'Nurse Access Role',
          organisationId: orgs.a.id,
          organisationName: 'Trust A',
        },
        {
          roleId: '555000000002',
          roleName: 'Clinical Practitioner Access Role',
          organisationId: orgs.b.id,
          organisationName: 'Trust B',
        },
      ],
    });

    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/oidc/staff/roles',
      headers: { cookie: flowCookie },
      payload: { roleId: '555000000003' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'oidc.role_invalid' });

    const sessionsBefore = await countRows(t.db, 'sessions');
    const chosen = await t.app.inject({
      method: 'POST',
      url: '/api/v1/oidc/staff/roles',
      headers: { cookie: flowCookie },
      payload: { roleId: '555000000002' },
    });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect(await countRows(t.db, 'sessions')).toBe(sessionsBefore + 1);
    const body = chosen.json<{
      user: { professionalId: string; memberships: { organisationId: string }[] };
    }>();
    expect(body.user.professionalId).toBe(twoRolesId);
    expect(body.user.memberships.map((m) => m.organisationId)).toEqual([orgs.b.id]);

    // Every later request of that session acts for Trust B alone.
    const cookie = chosen.cookies.find((c) => c.name === 'carethread_session')!;
    const session = await t.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { cookie: `carethread_session=${cookie.value}` },
    });
    expect(session.json<typeof body>().user.memberships.map((m) => m.organisationId)).toEqual([
      orgs.b.id,
    ]);
    const audits = await t.db
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.action, 'session.created'),
          eq(auditEvents.actorUserId, session.json<{ user: { id: string } }>().user.id),
        ),
      );
    expect(audits.at(-1)?.details).toMatchObject({
      method: 'cis2',
      organisationId: orgs.b.id,
      roleId: '555000000002',
    });

    // The choice is used up.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/oidc/staff/roles',
      headers: { cookie: flowCookie },
      payload: { roleId: '555000000001' },
    });
    expect(again.json()).toMatchObject({ code: 'oidc.flow_missing' });
  });

  it('links the CIS2 subject on first sign-in by verified email, then signs in by subject', async () => {
    const [linked] = await t.db
      .select()
      .from(signInMethods)
      .where(and(eq(signInMethods.provider, 'cis2'), eq(signInMethods.subject, twoRoles.sub)));
    expect(linked).toBeDefined();
  });

  it('a pre-provisioned subject signs in without a verified email; one role needs no choice', async () => {
    const result = await signInThrough(t.app, start(orgs.a.id), provisioned.sub);
    expect(result.location).toBe('/');
    const session = await t.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { cookie: result.session! },
    });
    expect(session.json()).toMatchObject({ user: { professionalId: provisionedProfessional.id } });
  });

  it('a token for a person the directory does not know creates nothing', async () => {
    const before = await totals();
    const result = await signInThrough(t.app, start(orgs.a.id), stranger.sub);
    expect(result.location).toBe('/sign-in/problem?code=oidc.account_unknown');
    expect(result.session).toBeNull();
    expect(await totals()).toEqual(before);
  });
});

describe('staff single sign-on with Entra ID (C5)', () => {
  it('signs in a member of an allowed tenant, acting for the organisation', async () => {
    const result = await signInThrough(t.app, start(orgs.entra.id), inTenant.sub);
    expect(result.location).toBe('/');
    const session = await t.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { cookie: result.session! },
    });
    expect(
      session.json<{ user: { memberships: { organisationId: string }[] } }>().user.memberships,
    ).toEqual([expect.objectContaining({ organisationId: orgs.entra.id })]);
  });

  it('refuses a tenant not on the organisation’s allowlist, creating nothing', async () => {
    const before = await totals();
    const result = await signInThrough(t.app, start(orgs.entra.id), otherTenant.sub);
    expect(result.location).toBe('/sign-in/problem?code=oidc.tenant_not_allowed');
    expect(result.session).toBeNull();
    expect(await totals()).toEqual(before);
  });

  it('refuses an organisation without single sign-on', async () => {
    const organisation = await createOrganisation(t.db);
    const response = await t.app.inject({ method: 'GET', url: start(organisation.id) });
    expect(response.headers.location).toBe('/sign-in/problem?code=oidc.not_configured');
  });
});
