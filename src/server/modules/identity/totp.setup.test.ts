import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOrganisation, createPatient, createProfessional } from '../../../../test/factories';
import { type Client, signIn } from '../../../../test/http';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { auditEvents } from '../../platform/audit/audit.schema';
import { recoveryCodes, totpCredentials } from './identity.schema';
import { MAX_FAILURES_PER_ACCOUNT, SIGN_IN_WINDOW_MS } from './throttle';
import { TOTP_STEP_MS } from './totp';
import { decryptTotpSecret } from './totp.crypto';
import { codeAt, enrolTotp, wrongCodeAt } from './totp.testing';

let t: TestApp;
let organisationId: string;
beforeAll(async () => {
  t = await buildTestApp();
  organisationId = (await createOrganisation(t.db)).id;
});
afterAll(() => t.close());
beforeEach(() => t.clock.advance(SIGN_IN_WINDOW_MS + 1000));

async function staff() {
  const professional = await createProfessional(t.db, organisationId);
  const client = await signIn(t.app, professional.email);
  const { user } = (await client.request({ method: 'GET', url: '/api/v1/session' })).json<{
    user: { id: string };
  }>();
  return { professional, client, userId: user.id };
}

const start = (client: Client) => client.request({ method: 'POST', url: '/api/v1/me/totp/setup' });
const confirm = (client: Client, code: string) =>
  client.request({ method: 'POST', url: '/api/v1/me/totp', payload: { code } });
const status = (client: Client) => client.request({ method: 'GET', url: '/api/v1/me/totp' });

async function credentialOf(userId: string) {
  const [row] = await t.db.select().from(totpCredentials).where(eq(totpCredentials.userId, userId));
  return row;
}

describe('setting up an authenticator app (C5)', () => {
  it('shows the secret as text, an otpauth URI and a QR code image', async () => {
    const { professional, client } = await staff();
    const response = await start(client);
    expect(response.statusCode).toBe(200);
    const body = response.json<{ secret: string; otpauthUri: string; qrCode: string }>();
    expect(body.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(body.otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(body.secret);
    expect(uri.searchParams.get('issuer')).toBe('Carethread');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
    expect(decodeURIComponent(uri.pathname)).toContain(professional.email);
    expect(body.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    const svg = Buffer.from(body.qrCode.split(',')[1]!, 'base64').toString('utf8');
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).not.toMatch(/<script|style=/i);
  });

  it('shows the same secret when asked again before confirming, so a reload changes nothing', async () => {
    const { client } = await staff();
    const first = (await start(client)).json<{ secret: string }>();
    const again = (await start(client)).json<{ secret: string }>();
    expect(again.secret).toBe(first.secret);
  });

  it('stores the secret encrypted, bound to its user', async () => {
    const { client, userId } = await staff();
    const other = await staff();
    const { secret } = (await start(client)).json<{ secret: string }>();
    const row = await credentialOf(userId);
    expect(row?.secretCiphertext).not.toContain(secret);
    expect(row?.confirmedAt).toBeNull();
    expect(decryptTotpSecret(t.deps.config, userId, row!.secretCiphertext)).toBe(secret);
    expect(() => decryptTotpSecret(t.deps.config, other.userId, row!.secretCiphertext)).toThrow();
    const otherKey = { ...t.deps.config, totpEncryptionKey: 'another-key-of-at-least-32-chars!!' };
    expect(() => decryptTotpSecret(otherKey, userId, row!.secretCiphertext)).toThrow();
  });

  it('confirms with a current code and returns ten single-use recovery codes, stored only as hashes', async () => {
    const { client, userId } = await staff();
    const { secret } = (await start(client)).json<{ secret: string }>();
    const response = await confirm(client, codeAt(secret, t.clock.now()));
    expect(response.statusCode).toBe(201);
    const codes = response.json<{ recoveryCodes: string[] }>().recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);

    const stored = await t.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    expect(stored).toHaveLength(10);
    const hashes = stored.map((r) => r.codeHash).join(' ');
    for (const code of codes) {
      expect(hashes).not.toContain(code);
      expect(hashes).not.toContain(code.replace('-', ''));
    }
    expect((await credentialOf(userId))?.confirmedAt).toEqual(t.clock.now());
    expect((await status(client)).json()).toMatchObject({
      available: true,
      enabled: true,
      recoveryCodesRemaining: 10,
      setupRequired: false,
    });
    const events = await t.db
      .select({ action: auditEvents.action, details: auditEvents.details })
      .from(auditEvents)
      .where(eq(auditEvents.actorUserId, userId));
    expect(events.map((e) => e.action)).toEqual([
      'session.created',
      'totp.setup_started',
      'totp.enabled',
    ]);
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it('accepts a code one step early or late, but not two', async () => {
    for (const [steps, expected] of [
      [-2, 400],
      [2, 400],
      [-1, 201],
      [1, 201],
    ] as const) {
      const { client } = await staff();
      const { secret } = (await start(client)).json<{ secret: string }>();
      const response = await confirm(client, codeAt(secret, t.clock.now(), steps));
      expect(response.statusCode, `${steps} steps`).toBe(expected);
    }
  });

  it('refuses a wrong code with a field error and changes nothing', async () => {
    const { client, userId } = await staff();
    const { secret } = (await start(client)).json<{ secret: string }>();
    const response = await confirm(client, wrongCodeAt(secret, t.clock.now()));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'totp.invalid_code',
      errors: [{ field: 'code', code: 'totp.invalid_code' }],
    });
    expect((await credentialOf(userId))?.confirmedAt).toBeNull();
    expect(await t.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, userId))).toEqual(
      [],
    );
    expect((await status(client)).json()).toMatchObject({ enabled: false });
  });

  it('refuses malformed codes as invalid requests', async () => {
    const { client } = await staff();
    await start(client);
    for (const code of ['12345', '1234567', 'abcdef', ' 123456', '12 345']) {
      const response = await confirm(client, code);
      expect(response.statusCode, code).toBe(400);
      expect(response.json()).toMatchObject({ code: 'request.invalid' });
    }
  });

  it(`throttles wrong codes like passwords: after ${MAX_FAILURES_PER_ACCOUNT} failures even the right one waits`, async () => {
    const { client, userId } = await staff();
    const { secret } = (await start(client)).json<{ secret: string }>();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      expect((await confirm(client, wrongCodeAt(secret, t.clock.now()))).statusCode).toBe(400);
    }
    const throttled = await confirm(client, codeAt(secret, t.clock.now()));
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json()).toMatchObject({ code: 'auth.too_many_attempts' });
    expect((await credentialOf(userId))?.confirmedAt).toBeNull();

    // Once the window has passed, the right code works again (the session is still fresh).
    t.clock.advance(SIGN_IN_WINDOW_MS + TOTP_STEP_MS);
    expect((await confirm(client, codeAt(secret, t.clock.now()))).statusCode).toBe(201);
  });

  it('refuses to start or confirm twice once the app is set up', async () => {
    const { client } = await staff();
    await enrolTotp(t, client);
    for (const response of [await start(client), await confirm(client, '123456')]) {
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ code: 'totp.already_enabled' });
    }
  });

  it('refuses a confirmation before set-up has started', async () => {
    const { client } = await staff();
    const response = await confirm(client, '123456');
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'totp.setup_not_started' });
  });

  it('is for staff: a patient is refused and nothing is stored', async () => {
    const patient = await createPatient(t.db, [organisationId]);
    const client = await signIn(t.app, patient.email);
    for (const response of [await start(client), await confirm(client, '123456')]) {
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'totp.not_available' });
    }
    const { user } = (await client.request({ method: 'GET', url: '/api/v1/session' })).json<{
      user: { id: string };
    }>();
    expect((await status(client)).json()).toMatchObject({ available: false, enabled: false });
    expect(await credentialOf(user.id)).toBeUndefined();
  });

  it('answers 401 without a session', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/me/totp'],
      ['POST', '/api/v1/me/totp/setup'],
      ['POST', '/api/v1/me/totp'],
    ] as const) {
      const response = await t.app.inject({ method, url, payload: { code: '123456' } });
      expect(response.statusCode, url).toBe(401);
    }
  });
});
