import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  connectSystem,
  expectOutcome,
  fhirJson,
  type IntegrationWorld,
  SYSTEM_LABEL,
  tokenFor,
} from '../../../../test/integration-world';
import {
  createSubscription,
  deliverAll,
  eventNumbers,
  eventsSinceStart,
  foci,
  HOURS_2,
  notificationAt,
  patientWrites,
  resetDelivery,
  startSubscriptionWorld,
  stopSubscriptionWorld,
  subscriptionResource,
} from '../../../../test/subscription-world';
import type { TestApp, TestClock } from '../../../../test/test-app';
import type { WebhookReceiver } from '../../../../test/webhook-receiver';
import { queryRows } from '../../platform/db/database';
import { LEASE_MS } from '../../platform/outbox/outbox';
import {
  MAX_SUBSCRIPTION_ATTEMPTS,
  type SubscriptionDeliveryOptions,
} from '../subscriptions/subscriptions.delivery';

let t: TestApp;
let world: IntegrationWorld;
let receiver: WebhookReceiver;
let token: string;
let delivery: SubscriptionDeliveryOptions;
/** The worker's own clock, moved on to reach retries. */
let worker: TestClock;

const base = () => delivery.fhirBase;

/** A whole Subscription as a system sends it, to create one or (with its id) to replace it. */
const subscription = (overrides: Record<string, unknown> = {}, channel = {}) =>
  subscriptionResource(
    receiver.url(),
    { header: ['Authorization: Bearer old-secret'], ...channel },
    { status: 'active', ...overrides },
  );

const subscribe = (bearer = token) => createSubscription(t.app, bearer, subscription());

const update = (id: string, body: Record<string, unknown>, bearer: string | null = token) =>
  fhirJson(t.app, bearer, 'PUT', `Subscription/${id}`, { ...body, id: body.id ?? id });

/** The subscription's whole row and what waits for it: what a refusal must leave as it was. */
const stateOf = async (id: string) => ({
  row: await queryRows(t.db, sql`select * from fhir_subscriptions where id = ${id}`),
  waiting: await queryRows<{ id: string; number: number | null }>(
    t.db,
    sql`select id::text, number::int from fhir_subscription_events
         where subscription_id = ${id} order by id`,
  ),
});

beforeAll(async () => {
  const started = await startSubscriptionWorld();
  ({ t, world, receiver } = started);
  token = await tokenFor(t.app, started.credentials);
});
beforeEach(async () => {
  ({ worker, delivery } = await resetDelivery(t, receiver));
  await t.db.execute(sql`delete from fhir_subscription_events`);
});
afterAll(() => stopSubscriptionWorld(t, receiver));

describe('FHIR Subscription update: a system changes its own subscription in place', () => {
  it('rotates the receiver’s credentials and moves it: what waited goes there, numbered on without a gap', async () => {
    const id = await subscribe();
    const first = await patientWrites(world);
    await deliverAll(delivery);
    // The receiver has moved on to new credentials: the old ones are refused.
    receiver.answerWith(401);
    const second = await patientWrites(world);
    await deliverAll(delivery);
    const third = await patientWrites(world);
    expect((await stateOf(id)).waiting.map((e) => e.number)).toEqual([2, null]);

    const response = await update(
      id,
      subscription({}, { endpoint: receiver.url('/moved'), header: ['Authorization: Bearer new'] }),
    );
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<Record<string, unknown>>();
    expect(body).toEqual({
      resourceType: 'Subscription',
      id,
      status: 'active',
      reason: 'File new messages',
      criteria: 'Communication',
      channel: {
        type: 'rest-hook',
        endpoint: receiver.url('/moved'),
        payload: 'application/fhir+json',
        header: ['Authorization: (hidden)'],
      },
    });
    expect((await fhirJson(t.app, token, 'GET', `Subscription/${id}`)).json()).toEqual(body);
    // Tried again at once, though the failure's backoff had not run out.
    await deliverAll(delivery);
    expect(receiver.received.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/notify', 'Bearer old-secret'],
      ['/notify', 'Bearer old-secret'],
      ['/moved', 'Bearer new'],
    ]);
    expect(eventNumbers(notificationAt(receiver, 0))).toEqual(['1']);
    expect(foci(notificationAt(receiver, 0))).toEqual([`${base()}/Communication/${first}`]);
    expect(eventNumbers(notificationAt(receiver, 2))).toEqual(['2', '3']);
    expect(eventsSinceStart(notificationAt(receiver, 2))).toBe('3');
    expect(foci(notificationAt(receiver, 2))).toEqual([
      `${base()}/Communication/${second}`,
      `${base()}/Communication/${third}`,
    ]);
    expect((await stateOf(id)).waiting).toEqual([]);
  });

  it(`reactivates a subscription stopped after ${MAX_SUBSCRIPTION_ATTEMPTS} failures, which is told again`, async () => {
    const id = await subscribe();
    await patientWrites(world);
    receiver.answerWith(...Array.from({ length: MAX_SUBSCRIPTION_ATTEMPTS }, () => 500));
    for (let i = 0; i < MAX_SUBSCRIPTION_ATTEMPTS + 1; i++) {
      await deliverAll(delivery);
      worker.advance(HOURS_2);
    }
    expect((await fhirJson(t.app, token, 'GET', `Subscription/${id}`)).json()).toMatchObject({
      status: 'error',
    });

    const response = await update(id, subscription({ status: 'requested' }));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ status: 'active' });
    expect(response.json()).not.toHaveProperty('error');
    const [row] = (await stateOf(id)).row as {
      status: string;
      attempts: number;
      error: string | null;
      last_error: string | null;
      numbered_count: number | string;
    }[];
    expect(row).toMatchObject({ status: 'active', attempts: 0, error: null, last_error: null });
    expect(Number(row?.numbered_count)).toBe(1);

    receiver.received.length = 0;
    const messageId = await patientWrites(world);
    await deliverAll(delivery);
    expect(receiver.received).toHaveLength(1);
    expect(foci(notificationAt(receiver, 0))).toEqual([`${base()}/Communication/${messageId}`]);
    // The event dropped when it stopped kept its number: the gap says something was lost.
    expect(eventNumbers(notificationAt(receiver, 0))).toEqual(['2']);
  });

  it('turns a subscription off, dropping what waited, and on again', async () => {
    const id = await subscribe();
    await patientWrites(world);
    const off = await update(id, subscription({ status: 'off' }));
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ status: 'off' });
    expect((await stateOf(id)).waiting).toEqual([]);
    await patientWrites(world);
    await deliverAll(delivery);
    expect(receiver.received).toEqual([]);

    const on = await update(id, subscription());
    expect(on.json()).toMatchObject({ status: 'active' });
    await patientWrites(world);
    await deliverAll(delivery);
    expect(receiver.received).toHaveLength(1);
  });

  it('lets no notification in flight as it commits record its failure, nor start another beside it', async () => {
    const id = await subscribe();
    await patientWrites(world);
    // The notification about to go out is the last attempt before the subscription stops.
    await t.db.execute(
      sql`update fhir_subscriptions set attempts = ${MAX_SUBSCRIPTION_ATTEMPTS - 1} where id = ${id}`,
    );
    receiver.answerWith(500);
    receiver.whileAnswering(async () => {
      const response = await update(
        id,
        subscription({}, { header: ['Authorization: Bearer new'] }),
      );
      expect(response.statusCode, response.body).toBe(200);
    });
    await deliverAll(delivery);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.headers.authorization).toBe('Bearer old-secret');
    const after = await stateOf(id);
    expect(after.row[0]).toMatchObject({
      status: 'active',
      error: null,
      last_error: null,
      attempts: 0,
    });
    expect(after.waiting.map((e) => e.number)).toEqual([1]);
    // Once the lease the update took over has run out, what the refused notification carried
    // goes again, with its number, with the new header.
    worker.advance(LEASE_MS + 1_000);
    await deliverAll(delivery);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]?.headers.authorization).toBe('Bearer new');
    expect(eventNumbers(notificationAt(receiver, 1))).toEqual(['1']);
    expect((await stateOf(id)).waiting).toEqual([]);
  });

  it('audits what changed, by name, never a header’s value or the endpoint’s path or query', async () => {
    const id = await subscribe();
    const response = await update(
      id,
      subscription(
        { reason: 'File new messages in the ward record' },
        {
          endpoint: `${receiver.url('/hook-path-secret')}?key=query-secret`,
          header: ['Authorization: Bearer header-secret'],
        },
      ),
    );
    expect(response.statusCode, response.body).toBe(200);
    const rows = await queryRows<{
      action: string;
      actor_label: string;
      chain_key: string;
      details: unknown;
    }>(
      t.db,
      sql`select action, actor_label, chain_key, details from audit_events
           where entity_id = ${id} and action = 'fhir_subscription.updated'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_label: SYSTEM_LABEL,
      chain_key: `organisation:${world.trustA.id}`,
      details: {
        changed: ['reason', 'channel.endpoint', 'channel.header'],
        status: { from: 'active', to: 'active' },
      },
    });
    const details = JSON.stringify(rows[0]?.details);
    for (const secret of ['header-secret', 'hook-path-secret', 'query-secret', 'old-secret']) {
      expect(details).not.toContain(secret);
    }
  });

  it('is the same 404 as a read for another system’s subscription or one that is not there', async () => {
    const id = await subscribe();
    const lab = await tokenFor(
      t.app,
      await connectSystem(world.coordinatorA, world.trustA.id, undefined, 'Lab system'),
    );
    const before = await stateOf(id);
    expectOutcome(await update(id, subscription(), lab), 404, 'fhir.not_found');
    expect(await stateOf(id)).toEqual(before);
    const unknown = '00000000-0000-4000-8000-0000000000aa';
    expectOutcome(await update(unknown, subscription()), 404, 'fhir.not_found');
  });

  it.each([
    ['no id', () => subscription({ id: undefined }), 400, 'fhir.subscription_id_mismatch'],
    [
      'another id than the address’s',
      () => subscription({ id: '00000000-0000-4000-8000-0000000000bb' }),
      400,
      'fhir.subscription_id_mismatch',
    ],
    ['an unknown field', () => subscription({ channelType: 'rest-hook' }), 400, 'request.invalid'],
    [
      'plain http to another machine',
      () => subscription({}, { endpoint: 'http://epr.example/notify' }),
      422,
      'fhir.subscription_endpoint_invalid',
    ],
    [
      'a password in the endpoint',
      () => subscription({}, { endpoint: 'https://u:p@epr.example/' }),
      422,
      'fhir.subscription_endpoint_invalid',
    ],
    [
      'a header that sets Host',
      () => subscription({}, { header: ['Host: elsewhere.example'] }),
      422,
      'fhir.subscription_header_invalid',
    ],
    [
      'criteria other than Communication',
      () => subscription({ criteria: 'Patient' }),
      422,
      'fhir.subscription_criteria_unsupported',
    ],
    [
      'an end in the past',
      () => subscription({ end: '2020-01-01T00:00:00Z' }),
      422,
      'fhir.subscription_end_invalid',
    ],
    [
      'status error',
      () => subscription({ status: 'error' }),
      422,
      'fhir.subscription_status_invalid',
    ],
  ])('refuses %s with a stable code, and changes nothing', async (_what, bodyOf, status, code) => {
    const id = await subscribe();
    await patientWrites(world);
    const before = await stateOf(id);
    // Sent as it is, but with the address's id where the body has no id key at all.
    const body = bodyOf();
    const sent = { ...body, id: 'id' in body ? body.id : id };
    const response = await fhirJson(t.app, token, 'PUT', `Subscription/${id}`, sent);
    expectOutcome(response, status, code);
    expect(await stateOf(id)).toEqual(before);
  });

  it('needs the Subscription scope (403), and a system that may read messages', async () => {
    const id = await subscribe();
    const before = await stateOf(id);
    const readOnly = await tokenFor(
      t.app,
      await connectSystem(world.coordinatorA, world.trustA.id, ['system/Communication.read']),
    );
    expectOutcome(await update(id, subscription(), readOnly), 403, 'fhir.scope_missing');
    const notifyOnly = await tokenFor(
      t.app,
      await connectSystem(world.coordinatorA, world.trustA.id, ['system/Subscription.*']),
    );
    expectOutcome(
      await update(id, subscription(), notifyOnly),
      403,
      'fhir.subscription_scope_missing',
    );
    expectOutcome(await update(id, subscription(), null), 401, 'fhir.invalid_token');
    expect(await stateOf(id)).toEqual(before);
  });

  it('is listed in the CapabilityStatement', async () => {
    const metadata = await fhirJson(t.app, null, 'GET', 'metadata');
    const resources = metadata.json<{
      rest: { resource: { type: string; interaction: { code: string }[] }[] }[];
    }>().rest[0]?.resource;
    const codes = resources?.find((r) => r.type === 'Subscription')?.interaction.map((i) => i.code);
    expect(codes).toContain('update');
  });
});
