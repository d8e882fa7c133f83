import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, test } from 'vitest';
import { randomTestNhsNumber } from '../../../../test/factories';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';
import { type Forgery, type RogueIdp, startRogueIdp } from './oidc.rogue-idp';
import {
  callbackWith,
  clientKey,
  countRows,
  redirectOf,
  TEST_CLIENT_ID,
} from './oidc.test-support';

/**
 * The rejection matrix (DESIGN C5): each way an identity provider's answer can be forged or
 * replayed is refused with a stable code, and no session (nor anything else) is created.
 */
const START = '/api/v1/oidc/nhs-login/start';
let t: TestApp;
let idp: RogueIdp;
const sub = crypto.randomUUID();

beforeAll(async () => {
  const key = await clientKey();
  idp = await startRogueIdp({
    clientId: TEST_CLIENT_ID,
    sub,
    claims: {
      nhs_number: randomTestNhsNumber(),
      identity_proofing_level: 'P9',
      birthdate: '1975-09-09',
      given_name: 'Rogue',
      family_name: 'Tested',
    },
  });
  t = await buildTestApp({
    env: {
      NHS_LOGIN_ISSUER: idp.url,
      NHS_LOGIN_CLIENT_ID: TEST_CLIENT_ID,
      NHS_LOGIN_PRIVATE_KEY: key.pem,
    },
  });
});
afterAll(async () => {
  await t.close();
  await idp.close();
});
beforeEach(async () => {
  idp.forgery = 'none';
  idp.idTokenOnly = {};
  await t.db.execute(sql`delete from sessions`);
});

/** Our start route, the provider's immediate answer, and our callback. */
async function signIn() {
  const start = redirectOf(await t.app.inject({ method: 'GET', url: START }));
  const answer = await fetch(start.location, { redirect: 'manual' });
  const callback = new URL(answer.headers.get('location')!);
  return { callback, flow: start.cookie('carethread_oidc')!, state: new URL(start.location) };
}

const totals = async () => ({
  sessions: await countRows(t.db, 'sessions'),
  users: await countRows(t.db, 'users'),
  patients: await countRows(t.db, 'patients'),
  signInMethods: await countRows(t.db, 'sign_in_methods'),
});

const MATRIX: [Forgery, string][] = [
  ['tampered_signature', 'oidc.id_token_invalid'],
  ['alg_none', 'oidc.id_token_invalid'],
  ['hs256_with_public_key', 'oidc.id_token_invalid'],
  ['wrong_aud', 'oidc.id_token_invalid'],
  ['wrong_iss', 'oidc.id_token_invalid'],
  ['expired', 'oidc.id_token_invalid'],
  ['nonce_mismatch', 'oidc.id_token_invalid'],
  ['state_mismatch', 'oidc.state_mismatch'],
  ['userinfo_sub_mismatch', 'oidc.userinfo_mismatch'],
];

describe('NHS login rejection matrix (C5)', () => {
  test.each(MATRIX)('%s is refused with %s and creates no session', async (forgery, code) => {
    idp.forgery = forgery;
    const before = await totals();
    const { callback, flow } = await signIn();
    const result = await callbackWith(t.app, callback, flow);
    expect(result.location).toBe(`/sign-in/problem?code=${code}`);
    expect(result.session).toBeNull();
    expect(await countRows(t.db, 'sessions')).toBe(0);
    expect(await totals()).toEqual(before);
  });

  it('a reused code is refused with oidc.token_rejected and creates no session', async () => {
    const first = await signIn();
    const accepted = await callbackWith(t.app, first.callback, first.flow);
    expect(accepted.session).not.toBeNull();
    await t.db.execute(sql`delete from sessions`);

    const second = await signIn();
    const replay = new URL(first.callback);
    replay.searchParams.set('state', second.callback.searchParams.get('state')!);
    const result = await callbackWith(t.app, replay, second.flow);
    expect(result.location).toBe('/sign-in/problem?code=oidc.token_rejected');
    expect(result.session).toBeNull();
    expect(await countRows(t.db, 'sessions')).toBe(0);
  });

  it('the same provider, behaving, signs the patient in (so the refusals above are the checks’ doing)', async () => {
    const { callback, flow } = await signIn();
    const result = await callbackWith(t.app, callback, flow);
    expect(result.location).toBe('/');
    expect(result.session).not.toBeNull();
    expect(await countRows(t.db, 'sessions')).toBe(1);
  });

  it('C5: an ID token whose vector of trust is P5 signs in at P5, whatever userinfo says', async () => {
    idp.idTokenOnly = { vot: 'P5.Cp.Cd' };
    const { callback, flow } = await signIn();
    const result = await callbackWith(t.app, callback, flow);
    // Signed in, and asked to verify their identity before reading or sending (C5).
    expect(result.location).toBe('/verify-identity');
    expect(result.session).not.toBeNull();
    const levels = await queryRows<{ identity_level: string }>(
      t.db,
      sql`select p.identity_level from patients p
            join users u on u.patient_id = p.id
            join sign_in_methods m on m.user_id = u.id
           where m.subject = ${sub}`,
    );
    expect(levels).toEqual([{ identity_level: 'P5' }]);
  });

  it('a provider that cannot be reached is refused with oidc.provider_unavailable', async () => {
    const { callback, flow } = await signIn();
    // The provider goes away between the browser's visit and our token request.
    await idp.close();
    const result = await callbackWith(t.app, callback, flow);
    expect(result.location).toBe('/sign-in/problem?code=oidc.provider_unavailable');
    expect(await countRows(t.db, 'sessions')).toBe(0);
  });
});
