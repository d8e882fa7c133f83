import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation, createProfessional, createTeam } from '../../../../test/factories';
import { type Client, signIn } from '../../../../test/http';
import { expectRefused } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import type { DemoPerson } from '../../demo/demo-idp-people';
import { STAFF_CALLBACK_PATH } from './oidc.runtime';
import {
  clientKey,
  type LoopbackServer,
  loopbackIssuers,
  signInThrough,
  TEST_CLIENT_ID,
} from './oidc.test-support';

// What a coordinator sets on the Staff single sign-on page is what the next staff sign-in uses
// (DESIGN C5, decision 0025): a real identity provider (oidc-provider on loopback), our real
// start and callback routes, no rows written by hand.

const TENANT = '11111111-1111-4111-8111-111111111111';
const ENTRA_CLAIMS = {
  openid: ['sub', 'tid', 'oid'],
  profile: ['name'],
  email: ['email', 'email_verified'],
};
const person = (label: string): DemoPerson => ({
  sub: `entra-${crypto.randomUUID()}`,
  label,
  hint: TENANT,
  claims: {
    tid: TENANT,
    oid: crypto.randomUUID(),
    email: `${label}.${crypto.randomUUID().slice(0, 6)}@example.test`,
    email_verified: true,
    name: label,
  },
});
// Each provider knows only its own person: who can sign in shows which provider was used.
const atFirst = person('first');
const atSecond = person('second');
// A working identity provider the server's operators do not trust (decision 0025).
const atUntrusted = person('untrusted');

let t: TestApp;
let server: LoopbackServer;
let issuers: Record<string, { issuer: string }>;
let coordinator: Client;
let organisationId: string;

beforeAll(async () => {
  const key = await clientKey();
  // A well-formed key the providers do not know: assertions signed with it are refused.
  const unknownKey = await clientKey();
  const loopback = await loopbackIssuers(
    [
      ['first', atFirst],
      ['second', atSecond],
      ['untrusted', atUntrusted],
    ].map(([name, who]) => ({
      name: name as string,
      people: [who as DemoPerson],
      claims: ENTRA_CLAIMS,
      key,
      callbackPath: STAFF_CALLBACK_PATH,
      idTokenAlg: 'RS256' as const,
    })),
  );
  server = loopback.server;
  issuers = loopback.issuers;
  t = await buildTestApp({
    env: {
      OIDC_KEY_TEST: key.pem,
      OIDC_KEY_UNKNOWN: unknownKey.pem,
      // The operators trust two of the three; a trailing slash does not matter.
      STAFF_SSO_ISSUERS: `${issuers.first!.issuer}/, ${issuers.second!.issuer}`,
    },
  });
  const organisation = await createOrganisation(t.db, 'Trust SSO');
  organisationId = organisation.id;
  const admin = await createTeam(t.db, organisation.id, { contactable: false, name: 'Admin' });
  const ward = await createTeam(t.db, organisation.id);
  const lead = await createProfessional(t.db, organisation.id, [
    { teamId: admin.id, role: 'coordinator' },
  ]);
  for (const who of [atFirst, atSecond, atUntrusted]) {
    await createProfessional(t.db, organisation.id, [{ teamId: ward.id, role: 'member' }], {
      email: who.claims.email as string,
    });
  }
  coordinator = await signIn(t.app, lead.email);
});
afterAll(async () => {
  await t.close();
  await server.close();
});

const start = () => `/api/v1/oidc/staff/start?organisationId=${organisationId}`;
const putEntra = (settings: { issuer: string; keyName?: string; enabled?: boolean }) => ({
  method: 'PUT' as const,
  url: `/api/v1/organisations/${organisationId}/sign-in-providers/entra`,
  payload: {
    clientId: TEST_CLIENT_ID,
    keyName: 'TEST',
    tenantAllowlist: [TENANT],
    enabled: true,
    ...settings,
  },
});
async function setEntra(settings: { issuer: string; keyName?: string; enabled?: boolean }) {
  const response = await coordinator.request(putEntra(settings));
  expect(response.statusCode, response.body).toBeLessThan(300);
}

describe('single sign-on set up through the API (C5)', () => {
  it('offers only the trusted issuers, and refuses any other, changing nothing', async () => {
    const list = await coordinator.request({
      method: 'GET',
      url: `/api/v1/organisations/${organisationId}/sign-in-providers`,
    });
    expect(list.json<{ trustedIssuers: string[] }>().trustedIssuers).toEqual([
      issuers.first!.issuer,
      issuers.second!.issuer,
    ]);
    // Were it accepted, this provider could vouch for anyone at any organisation.
    await expectRefused(t.db, coordinator, putEntra({ issuer: issuers.untrusted!.issuer }), {
      status: 400,
      code: 'request.invalid',
      errors: [{ field: 'body/issuer', code: 'sign_in_provider.issuer_not_trusted' }],
    });
    const attempt = await t.app.inject({ method: 'GET', url: start() });
    expect(attempt.headers.location).toBe('/sign-in/problem?code=oidc.not_configured');
  });

  it('is used by the very next staff sign-in, and each change at once', async () => {
    // Nothing set up yet.
    const before = await t.app.inject({ method: 'GET', url: start() });
    expect(before.headers.location).toBe('/sign-in/problem?code=oidc.not_configured');

    // Signed with a key the provider does not know: the provider refuses the token request.
    await setEntra({ issuer: issuers.first!.issuer, keyName: 'UNKNOWN' });
    const wrongKey = await signInThrough(t.app, start(), atFirst.sub);
    expect(wrongKey.location).toBe('/sign-in/problem?code=oidc.token_rejected');
    expect(wrongKey.session).toBeNull();

    // The right key: the next sign-in signs with it, though the issuer and client are the same.
    await setEntra({ issuer: issuers.first!.issuer });
    const first = await signInThrough(t.app, start(), atFirst.sub);
    expect(first.location).toBe('/');
    const session = await t.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { cookie: first.session! },
    });
    expect(
      session.json<{ user: { memberships: { organisationId: string }[] } }>().user.memberships,
    ).toEqual([expect.objectContaining({ organisationId })]);

    // Another issuer: the next sign-in goes there (only its person is on its page).
    await setEntra({ issuer: issuers.second!.issuer });
    const second = await signInThrough(t.app, start(), atSecond.sub);
    expect(second.location).toBe('/');
    expect(second.session).not.toBeNull();

    // Turned off, then removed: nobody can start signing in with it.
    await setEntra({ issuer: issuers.second!.issuer, enabled: false });
    const off = await t.app.inject({ method: 'GET', url: start() });
    expect(off.headers.location).toBe('/sign-in/problem?code=oidc.not_configured');
    const removed = await coordinator.request({
      method: 'DELETE',
      url: `/api/v1/organisations/${organisationId}/sign-in-providers/entra`,
    });
    expect(removed.statusCode).toBe(204);
    const gone = await t.app.inject({ method: 'GET', url: start() });
    expect(gone.headers.location).toBe('/sign-in/problem?code=oidc.not_configured');
  });
});
