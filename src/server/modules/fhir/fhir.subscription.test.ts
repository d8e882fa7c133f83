import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectSystem,
  createIntegrationWorld,
  expectOutcome,
  fhirJson,
  type IntegrationWorld,
  SYSTEM_LABEL,
  tokenFor,
} from '../../../../test/integration-world';
import { subscriptionResource } from '../../../../test/subscription-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';
import { MAX_SUBSCRIPTIONS_PER_CLIENT } from '../subscriptions/subscriptions.commands';
import { newSubscriptionOf } from './fhir.subscription';

let t: TestApp;
let world: IntegrationWorld;
let token: string;
let otherToken: string;

const subscription = (overrides: Record<string, unknown> = {}, channel = {}) =>
  subscriptionResource(
    'https://epr.trust-a.example/fhir-notify',
    { header: ['Authorization: Bearer receiver-secret'], ...channel },
    { status: 'requested', reason: 'File new messages in the ward record', ...overrides },
  );
const create = (body: unknown, bearer: string | null = token) =>
  fhirJson(t.app, bearer, 'POST', 'Subscription', body);
const subscriptionRows = () =>
  queryRows<{ id: string }>(t.db, sql`select id from fhir_subscriptions order by created_at`);

beforeAll(async () => {
  t = await buildTestApp();
  world = await createIntegrationWorld(t.app, t.db);
  token = await tokenFor(t.app, await connectSystem(world.coordinatorA, world.trustA.id));
  // A second system of the same organisation: it has its own subscriptions, not the first's.
  const other = await connectSystem(world.coordinatorA, world.trustA.id, undefined, 'Lab system');
  otherToken = await tokenFor(t.app, other);
});
afterAll(() => t.close());

describe('FHIR Subscription: a connected system asks to be told of new messages', () => {
  it('creates an active rest-hook subscription, with its address, and hides header values', async () => {
    const response = await create(subscription());
    expect(response.statusCode, response.body).toBe(201);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    const body = response.json<{ id: string }>();
    expect(response.headers.location).toBe(
      `${t.deps.config.publicUrl}/fhir/R4/Subscription/${body.id}`,
    );
    expect(body).toEqual({
      resourceType: 'Subscription',
      id: body.id,
      status: 'active',
      reason: 'File new messages in the ward record',
      criteria: 'Communication',
      channel: {
        type: 'rest-hook',
        endpoint: 'https://epr.trust-a.example/fhir-notify',
        payload: 'application/fhir+json',
        header: ['Authorization: (hidden)'],
      },
    });
    expect(JSON.stringify(body)).not.toContain('receiver-secret');
    // Read back, and found by the search of the system's own subscriptions.
    const read = await fhirJson(t.app, token, 'GET', `Subscription/${body.id}`);
    expect(read.json()).toEqual(body);
    const search = await fhirJson(t.app, token, 'GET', 'Subscription');
    const ids = search
      .json<{ entry: { resource: { id: string } }[] }>()
      .entry.map((e) => e.resource.id);
    expect(ids).toContain(body.id);
  });

  it('audits the creation and the deletion in the organisation’s chain, by the system’s name', async () => {
    const { id } = (await create(subscription())).json<{ id: string }>();
    const deleted = await fhirJson(t.app, token, 'DELETE', `Subscription/${id}`);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    const rows = await queryRows<{ action: string; actor_label: string; chain_key: string }>(
      t.db,
      sql`select action, actor_label, chain_key from audit_events where entity_id = ${id} order by id`,
    );
    expect(rows).toEqual([
      {
        action: 'fhir_subscription.created',
        actor_label: SYSTEM_LABEL,
        chain_key: `organisation:${world.trustA.id}`,
      },
      {
        action: 'fhir_subscription.deleted',
        actor_label: SYSTEM_LABEL,
        chain_key: `organisation:${world.trustA.id}`,
      },
    ]);
    expectOutcome(await fhirJson(t.app, token, 'GET', `Subscription/${id}`), 404, 'fhir.not_found');
    expectOutcome(
      await fhirJson(t.app, token, 'DELETE', `Subscription/${id}`),
      404,
      'fhir.not_found',
    );
  });

  it('keeps each system to its own subscriptions: another system cannot see or delete them', async () => {
    const { id } = (await create(subscription())).json<{ id: string }>();
    expectOutcome(
      await fhirJson(t.app, otherToken, 'GET', `Subscription/${id}`),
      404,
      'fhir.not_found',
    );
    expectOutcome(
      await fhirJson(t.app, otherToken, 'DELETE', `Subscription/${id}`),
      404,
      'fhir.not_found',
    );
    const theirs = await fhirJson(t.app, otherToken, 'GET', 'Subscription');
    expect(theirs.json<{ entry: unknown[] }>().entry).toEqual([]);
    expect((await fhirJson(t.app, token, 'GET', `Subscription/${id}`)).statusCode).toBe(200);
  });

  it('takes a ping subscription (no payload) and an end in the future', async () => {
    const end = new Date(t.clock.now().getTime() + 86_400_000).toISOString();
    const response = await create(subscription({ end }, { payload: undefined, header: undefined }));
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ end, channel: { type: 'rest-hook' } });
    expect(response.json<{ channel: object }>().channel).not.toHaveProperty('payload');
  });

  it.each([
    [
      'criteria other than Communication',
      subscription({ criteria: 'Patient' }),
      'fhir.subscription_criteria_unsupported',
    ],
    [
      'a search in the criteria',
      subscription({ criteria: 'Communication?patient=Patient/1' }),
      'fhir.subscription_criteria_unsupported',
    ],
    [
      'a channel other than rest-hook',
      subscription({}, { type: 'websocket' }),
      'fhir.subscription_channel_unsupported',
    ],
    [
      'a payload of whole resources in XML',
      subscription({}, { payload: 'application/fhir+xml' }),
      'fhir.subscription_payload_unsupported',
    ],
    [
      'no endpoint',
      subscription({}, { endpoint: undefined }),
      'fhir.subscription_endpoint_invalid',
    ],
    [
      'plain http to another machine',
      subscription({}, { endpoint: 'http://epr.example/notify' }),
      'fhir.subscription_endpoint_invalid',
    ],
    [
      'a password in the endpoint',
      subscription({}, { endpoint: 'https://u:p@epr.example/' }),
      'fhir.subscription_endpoint_invalid',
    ],
    [
      'an endpoint that is not an address',
      subscription({}, { endpoint: 'epr notify' }),
      'fhir.subscription_endpoint_invalid',
    ],
    [
      'a header whose value is not plain ASCII',
      subscription({}, { header: ['X-Key: €uro'] }),
      'fhir.subscription_header_invalid',
    ],
    [
      'a header with a control character',
      subscription({}, { header: ['X-Key: a\u0001b'] }),
      'fhir.subscription_header_invalid',
    ],
    [
      'a header that changes how the request is sent',
      subscription({}, { header: ['Expect: 100-continue'] }),
      'fhir.subscription_header_invalid',
    ],
    [
      'a header meant for a proxy',
      subscription({}, { header: ['Proxy-Authorization: Basic eA=='] }),
      'fhir.subscription_header_invalid',
    ],
    [
      'the same header twice',
      subscription({}, { header: ['X-Key: 1', 'x-key: 2'] }),
      'fhir.subscription_header_invalid',
    ],
    [
      'a header without a name',
      subscription({}, { header: ['no colon here'] }),
      'fhir.subscription_header_invalid',
    ],
    [
      'a header that sets Host',
      subscription({}, { header: ['Host: elsewhere.example'] }),
      'fhir.subscription_header_invalid',
    ],
    [
      'a header that splits the request',
      subscription({}, { header: ['X-A: 1\r\nX-B: 2'] }),
      'fhir.subscription_header_invalid',
    ],
    [
      'an end in the past',
      subscription({ end: '2020-01-01T00:00:00Z' }),
      'fhir.subscription_end_invalid',
    ],
    ['an end without a time', subscription({ end: '2030-01-01' }), 'fhir.subscription_end_invalid'],
    [
      'an end on a day that does not exist',
      subscription({ end: '2099-02-30T00:00:00Z' }),
      'fhir.subscription_end_invalid',
    ],
    [
      'an end without its zone',
      subscription({ end: '2030-01-01T09:00:00' }),
      'fhir.subscription_end_invalid',
    ],
    ['status off', subscription({ status: 'off' }), 'fhir.subscription_status_invalid'],
  ])('refuses %s with a stable code, and makes nothing (422)', async (_what, body, code) => {
    const before = await subscriptionRows();
    expectOutcome(await create(body), 422, code);
    expect(await subscriptionRows()).toEqual(before);
  });

  it.each([
    ['an unknown field', subscription({ channelType: 'rest-hook' }), 'request.invalid'],
    ['a modifier extension', subscription({ modifierExtension: [{}] }), 'request.invalid'],
    ['another resource type', subscription({ resourceType: 'Patient' }), 'request.invalid'],
    ['no reason', subscription({ reason: undefined }), 'request.invalid'],
  ])('refuses %s as an invalid resource (400), and makes nothing', async (_what, body, code) => {
    const before = await subscriptionRows();
    expectOutcome(await create(body), 400, code);
    expect(await subscriptionRows()).toEqual(before);
  });

  it('refuses a body that is not FHIR JSON (415) and JSON that does not parse (400)', async () => {
    const form = await t.app.inject({
      method: 'POST',
      url: '/fhir/R4/Subscription',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      payload: 'criteria=Communication',
    });
    expectOutcome(form, 415, 'fhir.unsupported_media_type');
    const broken = await t.app.inject({
      method: 'POST',
      url: '/fhir/R4/Subscription',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
      payload: '{"resourceType":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json<{ resourceType: string }>().resourceType).toBe('OperationOutcome');
  });

  it('takes the Subscriptions Backport’s payload extension, and ignores it', async () => {
    const response = await create(
      subscription(
        {},
        {
          _payload: {
            extension: [
              {
                url: 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content',
                valueCode: 'id-only',
              },
            ],
          },
        },
      ),
    );
    expect(response.statusCode, response.body).toBe(201);
  });

  it('refuses a system that may not read messages: it may not be told of them either (403)', async () => {
    const notifyOnly = await tokenFor(
      t.app,
      await connectSystem(world.coordinatorA, world.trustA.id, ['system/Subscription.*']),
    );
    const before = await subscriptionRows();
    expectOutcome(await create(subscription(), notifyOnly), 403, 'fhir.subscription_scope_missing');
    expect(await subscriptionRows()).toEqual(before);
    // The client's own scopes count, not the token's: a token asking for fewer may still subscribe.
    const narrow = await tokenFor(
      t.app,
      await connectSystem(world.coordinatorA, world.trustA.id),
      'system/Subscription.*',
    );
    expect((await create(subscription(), narrow)).statusCode).toBe(201);
  });

  it('in production, takes https to hospital networks but not to this machine or link-local addresses', () => {
    const now = new Date('2026-11-25T09:00:00Z');
    const input = (endpoint: string) => ({
      resourceType: 'Subscription' as const,
      reason: 'File new messages',
      criteria: 'Communication',
      channel: { type: 'rest-hook', endpoint },
    });
    expect(newSubscriptionOf(input('https://10.20.30.40/notify'), now, false).endpoint).toBe(
      'https://10.20.30.40/notify',
    );
    expect(newSubscriptionOf(input('https://epr.trust-a.nhs.uk/notify'), now, false).endpoint).toBe(
      'https://epr.trust-a.nhs.uk/notify',
    );
    for (const endpoint of [
      'https://localhost/notify',
      'https://127.0.0.1/notify',
      'https://127.1.2.3/notify',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/notify',
      'https://[fe80::1]/notify',
      'https://[::ffff:127.0.0.1]/notify',
      'https://[::ffff:169.254.169.254]/notify',
      'https://[::127.0.0.1]/notify',
      'https://[64:ff9b::169.254.169.254]/notify',
      'https://localhost./notify',
      'https://0.0.0.0/notify',
      'http://127.0.0.1/notify',
    ]) {
      expect(() => newSubscriptionOf(input(endpoint), now, false), endpoint).toThrow(
        expect.objectContaining({ code: 'fhir.subscription_endpoint_invalid' }),
      );
    }
  });

  it('needs a token (401) with the Subscription scope (403)', async () => {
    expectOutcome(await create(subscription(), null), 401, 'fhir.invalid_token');
    const readOnly = await tokenFor(
      t.app,
      await connectSystem(world.coordinatorA, world.trustA.id, ['system/Communication.read']),
    );
    expectOutcome(await create(subscription(), readOnly), 403, 'fhir.scope_missing');
    expectOutcome(
      await fhirJson(t.app, readOnly, 'GET', 'Subscription'),
      403,
      'fhir.scope_missing',
    );
  });

  it(`holds at most ${MAX_SUBSCRIPTIONS_PER_CLIENT} subscriptions per system`, async () => {
    const credentials = await connectSystem(world.coordinatorB, world.trustB.id);
    const own = await tokenFor(t.app, credentials);
    for (let i = 0; i < MAX_SUBSCRIPTIONS_PER_CLIENT; i++) {
      expect((await create(subscription(), own)).statusCode).toBe(201);
    }
    expectOutcome(await create(subscription(), own), 422, 'fhir.subscription_limit');
    const listed = await fhirJson(t.app, own, 'GET', 'Subscription');
    expect(listed.json<{ entry: unknown[] }>().entry).toHaveLength(MAX_SUBSCRIPTIONS_PER_CLIENT);
  });

  it('is in the CapabilityStatement with create, read, update, search and delete', async () => {
    const metadata = await fhirJson(t.app, null, 'GET', 'metadata');
    const resources = metadata.json<{
      rest: { resource: { type: string; interaction: { code: string }[] }[] }[];
    }>().rest[0]?.resource;
    expect(resources?.find((r) => r.type === 'Subscription')?.interaction).toEqual([
      { code: 'create' },
      { code: 'read' },
      { code: 'update' },
      { code: 'search-type' },
      { code: 'delete' },
    ]);
  });
});
