// Test helpers for authenticator-app sign-in: what a person's phone and browser would do.
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { Secret, TOTP } from 'otpauth';
import { TEST_PASSWORD } from '../../../../test/factories';
import type { Client } from '../../../../test/http';
import type { TestApp } from '../../../../test/test-app';
import { TOTP_STEP_MS } from './totp';

/** The code an authenticator app shows at `at`, or `steps` time steps later. */
export function codeAt(secret: string, at: Date, steps = 0): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    timestamp: at.getTime() + steps * TOTP_STEP_MS,
  });
}

/** A code that is valid at `at` but is none of the codes valid within one step of it. */
export function wrongCodeAt(secret: string, at: Date): string {
  const valid = new Set([-1, 0, 1].map((s) => codeAt(secret, at, s)));
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, '0');
    if (!valid.has(candidate)) return candidate;
  }
}

let addressCounter = 0;
/** A different address per call, so the per-address limit never decides a test by accident. */
export function nextAddress(): string {
  addressCounter += 1;
  return `10.77.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
}

export function cookieHeader(response: LightMyRequestResponse, name: string): string {
  const cookie = response.cookies.find((c) => c.name === name);
  expect(cookie?.value, `cookie ${name}`).toBeTruthy();
  return `${name}=${cookie!.value}`;
}

/** A browser holding a session cookie and its CSRF token, built from a sign-in response. */
export function clientFrom(t: TestApp, response: LightMyRequestResponse): Client {
  expect(response.statusCode, response.body).toBe(200);
  const cookie = cookieHeader(response, 'carethread_session');
  const { csrfToken } = response.json<{ csrfToken: string }>();
  return {
    cookie,
    csrfToken,
    request: (options) =>
      t.app.inject({
        ...options,
        headers: { cookie, 'x-csrf-token': csrfToken, ...(options.headers ?? {}) },
      }),
  };
}

export function passwordStep(
  t: TestApp,
  email: string,
  remoteAddress = nextAddress(),
  password = TEST_PASSWORD,
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { email, password },
    remoteAddress,
  });
}

/** The second step, sent with the challenge cookie the password step set. */
export function codeStep(
  t: TestApp,
  challengeCookie: string,
  body: { code: string } | { recoveryCode: string },
  remoteAddress = nextAddress(),
  extraCookie?: string,
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: 'code' in body ? '/api/v1/session/code' : '/api/v1/session/recovery-code',
    payload: body,
    remoteAddress,
    headers: { cookie: extraCookie ? `${challengeCookie}; ${extraCookie}` : challengeCookie },
  });
}

/** Sets up an authenticator app for a signed-in professional, as the set-up page does. */
export async function enrolTotp(
  t: TestApp,
  client: Client,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await client.request({ method: 'POST', url: '/api/v1/me/totp/setup' });
  expect(setup.statusCode, setup.body).toBe(200);
  const { secret } = setup.json<{ secret: string }>();
  const confirm = await client.request({
    method: 'POST',
    url: '/api/v1/me/totp',
    payload: { code: codeAt(secret, t.clock.now()) },
  });
  expect(confirm.statusCode, confirm.body).toBe(201);
  return { secret, recoveryCodes: confirm.json<{ recoveryCodes: string[] }>().recoveryCodes };
}

/** Signs in with password and a fresh code (one step ahead of the last code used). */
export async function signInWithCode(t: TestApp, email: string, secret: string): Promise<Client> {
  const first = await passwordStep(t, email);
  expect(first.statusCode, first.body).toBe(202);
  t.clock.advance(TOTP_STEP_MS);
  const second = await codeStep(t, cookieHeader(first, 'carethread_sign_in'), {
    code: codeAt(secret, t.clock.now()),
  });
  return clientFrom(t, second);
}
