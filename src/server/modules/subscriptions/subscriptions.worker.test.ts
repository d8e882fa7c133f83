import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type IntegrationWorld,
  type SystemCredentials,
  tokenFor,
} from '../../../../test/integration-world';
import {
  createSubscription,
  HOURS_2,
  patientWrites,
  resetDelivery,
  startSubscriptionWorld,
  stopSubscriptionWorld,
  subscriptionResource,
} from '../../../../test/subscription-world';
import type { TestApp, TestClock } from '../../../../test/test-app';
import { startWebhookReceiver, type WebhookReceiver } from '../../../../test/webhook-receiver';
import { queryRows } from '../../platform/db/database';
import {
  deliverNext,
  SUBSCRIPTIONS_AT_ONCE,
  type SubscriptionDeliveryOptions,
} from './subscriptions.delivery';
import { LOCAL_ADDRESS_REFUSED } from './subscriptions.notification';

let t: TestApp;
let world: IntegrationWorld;
let receiver: WebhookReceiver;
let credentials: SystemCredentials;
/** The worker as tests and the demo run it: receivers on loopback are allowed. */
let delivery: SubscriptionDeliveryOptions;
/** The worker as production runs it. */
let production: SubscriptionDeliveryOptions;
let worker: TestClock;

const subscribe = async (endpoint: string) =>
  createSubscription(t.app, await tokenFor(t.app, credentials), subscriptionResource(endpoint));

async function subscriptionRow(id: string) {
  const [row] = await queryRows<{ status: string; attempts: number; last_error: string | null }>(
    t.db,
    sql`select status, attempts, last_error from fhir_subscriptions where id = ${id}`,
  );
  return row;
}

const waiting = async () =>
  (await queryRows(t.db, sql`select id from fhir_subscription_events`)).length;

beforeAll(async () => {
  ({ t, world, credentials, receiver } = await startSubscriptionWorld());
});
beforeEach(async () => {
  ({ worker, delivery } = await resetDelivery(t, receiver));
  production = { ...delivery, refuseLocalAddresses: true };
});
afterAll(() => stopSubscriptionWorld(t, receiver));

describe('where a notification may connect (production)', () => {
  it('refuses a name that resolves to this machine when sending, and retries', async () => {
    // Allowed when it was made (outside production); the name is looked up only when sending.
    const id = await subscribe(receiver.url('/notify', 'localhost'));
    const messageId = await patientWrites(world);
    expect(await deliverNext(production)).toBe(1);
    expect(receiver.received, 'no connection was made').toEqual([]);
    expect(await subscriptionRow(id)).toEqual({
      status: 'active',
      attempts: 1,
      last_error: LOCAL_ADDRESS_REFUSED,
    });
    expect(LOCAL_ADDRESS_REFUSED).not.toMatch(/localhost|127\.0\.0\.1|::1/);
    expect(await deliverNext(production), 'not before its next attempt is due').toBe(0);
    expect(await waiting(), 'what waited is kept for the next attempt').toBe(1);

    // The same delivery where loopback is allowed (development, tests, the demo) goes.
    worker.advance(HOURS_2);
    expect(await deliverNext(delivery)).toBe(1);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.body).toContain(`Communication/${messageId}`);
    expect(await subscriptionRow(id)).toEqual({ status: 'active', attempts: 0, last_error: null });
  });

  it('refuses this machine written as an address, which connects without a lookup', async () => {
    const id = await subscribe(receiver.url());
    await patientWrites(world);
    await deliverNext(production);
    expect(receiver.received).toEqual([]);
    expect((await subscriptionRow(id))?.last_error).toBe(LOCAL_ADDRESS_REFUSED);
  });
});

describe('several subscriptions at once', () => {
  it('tells one system while another endpoint is slow to answer', async () => {
    const slow = await startWebhookReceiver();
    try {
      const slowId = await subscribe(slow.url('/slow'));
      await subscribe(receiver.url('/fast'));
      // The slow one is due first, so it is claimed first: one at a time, the other would wait.
      await t.db.execute(sql`update fhir_subscriptions
        set next_attempt_at = next_attempt_at - interval '1 minute' where id = ${slowId}`);
      await patientWrites(world);
      let toldWhileSlowWaited = 0;
      slow.whileAnswering(async () => {
        await vi
          .waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 5_000 })
          .catch(() => undefined);
        toldWhileSlowWaited = receiver.received.length;
      });

      expect(await deliverNext(delivery)).toBe(2);
      expect(toldWhileSlowWaited).toBe(1);
      expect(slow.received.map((r) => r.path)).toEqual(['/slow']);
      expect(receiver.received.map((r) => r.path)).toEqual(['/fast']);
      expect(await waiting(), 'both delivered, both done').toBe(0);
    } finally {
      await slow.close();
    }
  });

  it(`takes up to ${SUBSCRIPTIONS_AT_ONCE} subscriptions in a pass, each once`, async () => {
    const paths = Array.from({ length: SUBSCRIPTIONS_AT_ONCE + 1 }, (_, i) => `/system-${i}`);
    for (const path of paths) await subscribe(receiver.url(path));
    await patientWrites(world);
    expect(await deliverNext(delivery)).toBe(SUBSCRIPTIONS_AT_ONCE);
    expect(await deliverNext(delivery)).toBe(1);
    expect(await deliverNext(delivery)).toBe(0);
    expect(receiver.received.map((r) => r.path).sort()).toEqual(paths.sort());
  });
});

describe('one notification', () => {
  it('gives up on an endpoint that does not answer in time, as a failure to retry', async () => {
    const id = await subscribe(receiver.url());
    await patientWrites(world);
    receiver.whileAnswering(() => new Promise((resolve) => setTimeout(resolve, 1_000)));
    expect(await deliverNext({ ...delivery, timeoutMs: 100 })).toBe(1);
    expect(await subscriptionRow(id)).toEqual({
      status: 'active',
      attempts: 1,
      last_error: 'the endpoint did not answer in time',
    });
    expect(await waiting()).toBe(1);
  });
});
