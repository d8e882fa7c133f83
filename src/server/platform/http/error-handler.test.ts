import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

function expectProblem(response: LightMyRequestResponse, status: number, code: string) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json<Record<string, unknown>>();
  expect(body).toMatchObject({
    type: `https://carethread.dev/problems/${code}`,
    status,
    code,
  });
  expect(typeof body.title).toBe('string');
  return body;
}

describe('problem+json errors (DESIGN §5)', () => {
  it('answers an unknown API route with route.not_found', async () => {
    for (const method of ['GET', 'POST', 'DELETE'] as const) {
      const response = await t.app.inject({ method, url: '/api/v1/no-such-thing' });
      expectProblem(response, 404, 'route.not_found');
    }
  });

  it('answers an unknown page with route.not_found when no web app is built', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/somewhere',
      headers: { accept: 'text/html' },
    });
    expectProblem(response, 404, 'route.not_found');
  });

  it('answers an unknown FHIR path as FHIR does, never with the web app, even when a browser asks', async () => {
    const r4 = await t.app.inject({
      method: 'GET',
      url: '/fhir/R4/Nothing',
      headers: { accept: 'text/html' },
    });
    expect(r4.statusCode).toBe(404);
    expect(r4.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(r4.json<{ resourceType: string }>().resourceType).toBe('OperationOutcome');
    // Outside the facade's own base (another FHIR version), the app's problem+json.
    const other = await t.app.inject({
      method: 'GET',
      url: '/fhir/R5/Patient',
      headers: { accept: 'text/html' },
    });
    expectProblem(other, 404, 'route.not_found');
  });

  it('names each unknown, missing and mistyped field', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 42, extra: 'x' },
    });
    const body = expectProblem(response, 400, 'request.invalid');
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { field: 'body/extra', code: 'field.unknown', message: 'extra is not an accepted field' },
        { field: 'body/password', code: 'field.required', message: 'password is required' },
        { field: 'body/email', code: 'field.wrong_type', message: 'Must be string' },
      ]),
    );
  });

  it('never coerces a wrong type into a right one', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'a@example.test', password: 12345678 },
    });
    expectProblem(response, 400, 'request.invalid');
  });

  it('validates path parameters', async () => {
    // Input is validated before the actor is resolved, so no session is needed to see this.
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/patients/not-a-uuid' });
    expectProblem(response, 400, 'request.invalid');
    expect(response.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe(
      'params/patientId',
    );
  });

  it('answers malformed JSON with request.malformed', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expectProblem(response, 400, 'request.malformed');
  });

  it('answers an empty JSON body with request.malformed', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expectProblem(response, 400, 'request.malformed');
  });

  it('answers a non-JSON body with request.unsupported_media_type', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=a%40example.test&password=x',
    });
    expectProblem(response, 415, 'request.unsupported_media_type');
  });

  it('answers a body over 256 KiB with request.too_large', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'a@example.test', password: 'x'.repeat(300 * 1024) },
    });
    expectProblem(response, 413, 'request.too_large');
  });

  it('answers an unsupported method on a known path with problem+json', async () => {
    const response = await t.app.inject({ method: 'PATCH', url: '/api/v1/session' });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('tags errors with x-request-id and the security headers', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
    expect(response.headers['x-request-id']).toBeTruthy();
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers JSON nested thousands deep with a 400, not a stack overflow (500)', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/json' },
      payload: '['.repeat(20_000) + ']'.repeat(20_000),
    });
    expectProblem(response, 400, 'request.invalid');
  });

  it('answers an id past the router’s length limit as not found, without quoting it', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/v1/patients/${'a'.repeat(150)}`,
    });
    expectProblem(response, 404, 'route.not_found');
    expect(response.body).not.toContain('aaaa');
  });

  it('answers broken percent-encoding in an address with request.malformed', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/patients/%E0%A4%A' });
    expectProblem(response, 400, 'request.malformed');
  });

  it('answers an overlong FHIR id in FHIR’s own form', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/fhir/R4/Patient/${'a'.repeat(150)}`,
      headers: { accept: 'application/fhir+json' },
    });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(response.json<{ resourceType: string }>().resourceType).toBe('OperationOutcome');
  });

  it('refuses a text body with 415, even where no body is read (it is not acted on)', async () => {
    for (const [method, url] of [
      ['POST', '/api/v1/session'],
      ['DELETE', '/api/v1/session'],
    ] as const) {
      const response = await t.app.inject({
        method,
        url,
        headers: { 'content-type': 'text/plain' },
        payload: 'hello',
      });
      expectProblem(response, 415, 'request.unsupported_media_type');
    }
  });
});
