import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const CORE_OPERATIONS = [
  'signInWithPassword',
  'getSession',
  'signOut',
  'listTeams',
  'createTeam',
  'updateTeam',
  'addTeamMember',
  'removeTeamMember',
  'setEscalationPathway',
  'createPatient',
  'getPatient',
  'createAppointment',
  'updateAppointment',
  'getAppointment',
  'listPatientAppointments',
  'requestAppointmentChange',
];

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

interface Operation {
  operationId?: string;
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

async function openApiOperations(): Promise<{ method: string; path: string; op: Operation }[]> {
  const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
    paths: Record<string, Record<string, Operation>>;
  }>();
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, op]) => ({ method, path, op })),
  );
}

/** The CSP of a response as a map from directive to its sources. */
function cspOf(header: string | string[] | number | undefined): Map<string, string[]> {
  expect(typeof header).toBe('string');
  return new Map(
    String(header)
      .split(';')
      .map((d) => d.trim())
      .filter((d) => d !== '')
      .map((d) => {
        const [name, ...sources] = d.split(/\s+/);
        return [name!, sources] as const;
      }),
  );
}

describe('health', () => {
  it('answers /healthz without touching anything', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz after asking the database', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready' });
  });

  it('keeps health checks out of the API document', async () => {
    const paths = (await openApiOperations()).map((o) => o.path);
    expect(paths).not.toContain('/healthz');
    expect(paths).not.toContain('/readyz');
    expect(paths).not.toContain('/openapi.json');
  });
});

describe('security headers', () => {
  it('sends a strict content security policy and helmet’s headers', async () => {
    for (const url of ['/healthz', '/api/v1/session', '/no/such/page']) {
      const response = await t.app.inject({ method: 'GET', url });
      const csp = cspOf(response.headers['content-security-policy']);
      expect(csp.get('default-src')).toEqual(["'self'"]);
      const scriptSrc = csp.get('script-src') ?? csp.get('default-src')!;
      expect(scriptSrc).not.toContain("'unsafe-inline'");
      expect(scriptSrc).not.toContain("'unsafe-eval'");
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);

      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['x-frame-options']).toBeDefined();
      expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('sends no Strict-Transport-Security outside production', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('OpenAPI document (DESIGN §5)', () => {
  it('is OpenAPI 3 with the session security scheme', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json<{
      openapi: string;
      info: { title: string };
      components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
    }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('Carethread API');
    expect(doc.components.securitySchemes.session).toEqual({
      type: 'apiKey',
      in: 'cookie',
      name: 'carethread_session',
    });
    expect(doc.components.schemas.Problem).toBeDefined();
  });

  it('names every core operation', async () => {
    const ids = (await openApiOperations()).map((o) => o.op.operationId);
    for (const id of CORE_OPERATIONS) expect(ids).toContain(id);
  });

  it('gives every operation a unique operationId and response schemas', async () => {
    const operations = await openApiOperations();
    expect(operations.length).toBeGreaterThanOrEqual(CORE_OPERATIONS.length);
    const ids = operations.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);

    for (const { method, path, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
      const responses = Object.entries(op.responses ?? {});
      // Browser sign-in steps answer with a redirect (303) rather than a body.
      const successes = responses.filter(([status]) => /^[23]\d\d$/.test(status));
      expect(successes, `${where} declares a success response`).not.toHaveLength(0);
      for (const [status, response] of successes) {
        if (status === '204' || status.startsWith('3')) continue;
        // JSON, or a declared other type such as CSV for downloads.
        const [schema] = Object.values(response.content ?? {}).map((c) => c.schema);
        expect(schema, `${where} ${status}`).toBeDefined();
      }
      const errors = responses.filter(([status]) => /^[45]\d\d$/.test(status));
      // FHIR's discovery documents are static: nothing a client sends can be wrong.
      const discovery = /^\/fhir\/R4\/(metadata|\.well-known\/)/.test(path);
      if (!discovery) expect(errors, `${where} declares its errors`).not.toHaveLength(0);
      for (const [status, response] of errors) {
        const schema = response.content?.['application/json']?.schema;
        if (path === '/oauth2/token') {
          // OAuth 2 has its own error form (RFC 6749 §5.2).
          expect(schema, `${where} ${status}`).toMatchObject({
            required: ['error', 'error_description'],
          });
        } else {
          const form = path.startsWith('/fhir/R4/') ? 'OperationOutcome' : 'Problem';
          expect(schema, `${where} ${status}`).toEqual({ $ref: `#/components/schemas/${form}` });
        }
      }
    }
  });

  it('serves the browsable documentation at /docs', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
  });
});

describe('request ids', () => {
  it('tags every response with a fresh x-request-id', async () => {
    const responses = await Promise.all([
      t.app.inject({ method: 'GET', url: '/healthz' }),
      t.app.inject({ method: 'GET', url: '/readyz' }),
      t.app.inject({ method: 'GET', url: '/openapi.json' }),
      t.app.inject({ method: 'GET', url: '/api/v1/session' }),
      t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' }),
      t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 1 } }),
      t.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        headers: { 'content-type': 'application/json' },
        payload: '{not json',
      }),
    ]);
    const ids = responses.map((r) => r.headers['x-request-id']);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never echoes a request id chosen by the client', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'client-chosen' },
    });
    expect(response.headers['x-request-id']).not.toBe('client-chosen');
  });
});
