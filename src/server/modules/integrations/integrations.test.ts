import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectSystem,
  createIntegrationWorld,
  fhir,
  type IntegrationWorld,
  requestToken,
  tokenFor,
} from '../../../../test/integration-world';
import { ANONYMOUS_CLIENT } from '../../../../test/http';
import { expectRefused, snapshot } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';
import { INTEGRATION_SCOPES } from './integrations.schema';
import { TOKEN_LIFETIME_SECONDS } from './integrations.tokens';

let t: TestApp;
let world: IntegrationWorld;

beforeAll(async () => {
  t = await buildTestApp();
  world = await createIntegrationWorld(t.app, t.db);
});
afterAll(() => t.close());

const clientsUrl = (organisationId: string) =>
  `/api/v1/organisations/${organisationId}/integration-clients`;

async function auditActions(entityId: string) {
  return queryRows<{ action: string; actor_label: string }>(
    t.db,
    sql`select action, actor_label from audit_events where entity_id = ${entityId} order by id`,
  );
}

describe('connecting a system (createIntegrationClient)', () => {
  it('answers the secret once, keeps only its hash, and audits the connection', async () => {
    const response = await world.coordinatorA.request({
      method: 'POST',
      url: clientsUrl(world.trustA.id),
      payload: { name: '  Ward EPR  ', scopes: ['system/Patient.read'] },
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const { client, clientSecret } = response.json<{
      client: Record<string, unknown> & { clientId: string };
      clientSecret: string;
    }>();
    expect(client).toMatchObject({
      organisationId: world.trustA.id,
      name: 'Ward EPR',
      scopes: ['system/Patient.read'],
      revokedAt: null,
    });
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [stored] = await queryRows<{ secret_hash: string }>(
      t.db,
      sql`select secret_hash from integration_clients where id = ${client.clientId}`,
    );
    expect(stored?.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.secret_hash).not.toContain(clientSecret);

    const list = await world.coordinatorA.request({
      method: 'GET',
      url: clientsUrl(world.trustA.id),
    });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(clientSecret);
    expect(list.json<{ items: { clientId: string }[] }>().items.map((c) => c.clientId)).toContain(
      client.clientId,
    );
    expect((await auditActions(client.clientId)).map((a) => a.action)).toEqual([
      'integration_client.created',
    ]);
  });

  it('refuses bad input with stable codes and changes nothing', async () => {
    const url = clientsUrl(world.trustA.id);
    for (const [payload, field] of [
      [{ name: '   ', scopes: ['system/Patient.read'] }, 'body/name'],
      [{ name: 'EPR', scopes: [] }, 'body/scopes'],
      [{ name: 'EPR', scopes: ['system/Patient.write'] }, 'body/scopes/0'],
      [{ name: 'EPR', scopes: ['system/Patient.read', 'system/Patient.read'] }, 'body/scopes'],
      [{ name: 'EPR', scopes: ['system/Patient.read'], secret: 'mine' }, 'body/secret'],
    ] as const) {
      await expectRefused(
        t.db,
        world.coordinatorA,
        { method: 'POST', url, payload },
        { status: 400, code: 'request.invalid', errors: [{ field }] },
      );
    }
  });

  it('is for the organisation’s coordinators only', async () => {
    const payload = { name: 'EPR', scopes: ['system/Patient.read'] };
    await expectRefused(
      t.db,
      world.nurseA,
      { method: 'POST', url: clientsUrl(world.trustA.id), payload },
      { status: 403, code: 'integration_client.forbidden' },
    );
    await expectRefused(
      t.db,
      world.coordinatorB,
      { method: 'POST', url: clientsUrl(world.trustA.id), payload },
      { status: 403, code: 'integration_client.forbidden' },
    );
    await expectRefused(
      t.db,
      world.patientClient,
      { method: 'GET', url: clientsUrl(world.trustA.id) },
      { status: 403, code: 'integration_client.forbidden' },
    );
    await expectRefused(
      t.db,
      ANONYMOUS_CLIENT(t.app),
      { method: 'GET', url: clientsUrl(world.trustA.id) },
      { status: 401, code: 'auth.unauthenticated' },
    );
    await expectRefused(
      t.db,
      world.coordinatorA,
      { method: 'GET', url: clientsUrl('00000000-0000-4000-8000-000000000000') },
      { status: 404, code: 'organisation.not_found' },
    );
  });
});

describe('tokens (OAuth 2 client credentials)', () => {
  it('issues a five-minute bearer token for HTTP Basic or form credentials, audited', async () => {
    const credentials = await connectSystem(world.coordinatorA, world.trustA.id);
    const basic = await requestToken(t.app, credentials);
    expect(basic.statusCode).toBe(200);
    expect(basic.headers['cache-control']).toBe('no-store');
    const body = basic.json<Record<string, unknown>>();
    expect(body.access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_SECONDS,
      scope: INTEGRATION_SCOPES.join(' '),
    });

    const post = await t.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        scope: 'system/Patient.read',
        audience: 'ignored, as RFC 6749 asks',
      }).toString(),
    });
    expect(post.statusCode).toBe(200);
    expect(post.json<{ scope: string }>().scope).toBe('system/Patient.read');

    const audit = await auditActions(credentials.clientId);
    expect(audit.map((a) => a.action)).toEqual([
      'integration_client.created',
      'integration_client.token_issued',
      'integration_client.token_issued',
    ]);
    expect(audit[1]?.actor_label).toBe('Ward EPR (a computer system of Trust A)');
  });

  it('refuses in OAuth 2’s own error format and issues nothing', async () => {
    const credentials = await connectSystem(world.coordinatorA, world.trustA.id, [
      'system/Patient.read',
    ]);
    const cases: [Record<string, string>, typeof credentials, number, string][] = [
      [
        { grant_type: 'client_credentials' },
        { ...credentials, clientSecret: 'wrong' },
        401,
        'invalid_client',
      ],
      [
        { grant_type: 'client_credentials' },
        { clientId: 'not-a-uuid', clientSecret: credentials.clientSecret },
        401,
        'invalid_client',
      ],
      [{ grant_type: 'password' }, credentials, 400, 'unsupported_grant_type'],
      [{}, credentials, 400, 'invalid_request'],
      [
        { grant_type: 'client_credentials', scope: 'system/AuditEvent.read' },
        credentials,
        400,
        'invalid_scope',
      ],
      [
        { grant_type: 'client_credentials', scope: 'user/*.read' },
        credentials,
        400,
        'invalid_scope',
      ],
    ];
    for (const [form, creds, status, error] of cases) {
      const before = await snapshot(t.db);
      const response = await requestToken(t.app, creds, form);
      expect(response.statusCode, JSON.stringify(form)).toBe(status);
      expect(response.json<{ error: string }>().error).toBe(error);
      if (status === 401) expect(response.headers['www-authenticate']).toMatch(/^Basic/);
      expect(await snapshot(t.db)).toEqual(before);
    }
    const noCredentials = await t.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials',
    });
    expect(noCredentials.statusCode).toBe(401);
    const json = await t.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
      }),
    });
    expect(json.statusCode).toBe(400);
    expect(json.json<{ error: string }>().error).toBe('invalid_request');
    expect(noCredentials.json<{ error: string }>().error).toBe('invalid_client');
  });

  it('stops working when it expires', async () => {
    const token = await tokenFor(t.app, await connectSystem(world.coordinatorA, world.trustA.id));
    expect((await fhir(t.app, token, 'GET', `Patient/${world.patient.id}`)).statusCode).toBe(200);
    t.clock.advance(TOKEN_LIFETIME_SECONDS * 1000 + 1);
    const expired = await fhir(t.app, token, 'GET', `Patient/${world.patient.id}`);
    expect(expired.statusCode).toBe(401);
    expect(expired.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
  });
});

describe('disconnecting a system (revokeIntegrationClient)', () => {
  it('stops its tokens on their next request and refuses new ones; again changes nothing', async () => {
    const credentials = await connectSystem(world.coordinatorA, world.trustA.id);
    const token = await tokenFor(t.app, credentials);
    const url = `/api/v1/integration-clients/${credentials.clientId}`;
    expect((await world.coordinatorA.request({ method: 'DELETE', url })).statusCode).toBe(204);
    expect((await fhir(t.app, token, 'GET', `Patient/${world.patient.id}`)).statusCode).toBe(401);
    expect((await requestToken(t.app, credentials)).statusCode).toBe(401);
    const before = await snapshot(t.db);
    expect((await world.coordinatorA.request({ method: 'DELETE', url })).statusCode).toBe(204);
    expect(await snapshot(t.db)).toEqual(before);
    const actions = (await auditActions(credentials.clientId)).map((a) => a.action);
    expect(actions.filter((a) => a === 'integration_client.revoked')).toHaveLength(1);
    const list = await world.coordinatorA.request({
      method: 'GET',
      url: clientsUrl(world.trustA.id),
    });
    const listed = list
      .json<{ items: { clientId: string; revokedAt: string | null }[] }>()
      .items.find((c) => c.clientId === credentials.clientId);
    expect(listed?.revokedAt).not.toBeNull();
  });

  it('is refused to anyone but the organisation’s coordinators, who alone learn it exists', async () => {
    const credentials = await connectSystem(world.coordinatorA, world.trustA.id);
    const url = `/api/v1/integration-clients/${credentials.clientId}`;
    await expectRefused(
      t.db,
      world.nurseA,
      { method: 'DELETE', url },
      {
        status: 403,
        code: 'integration_client.forbidden',
      },
    );
    await expectRefused(
      t.db,
      world.coordinatorB,
      { method: 'DELETE', url },
      {
        status: 404,
        code: 'integration_client.not_found',
      },
    );
    await expectRefused(
      t.db,
      world.patientClient,
      { method: 'DELETE', url },
      {
        status: 404,
        code: 'integration_client.not_found',
      },
    );
    expect(
      (await fhir(t.app, await tokenFor(t.app, credentials), 'GET', 'metadata')).statusCode,
    ).toBe(200);
  });
});
