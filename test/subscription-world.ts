import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import {
  deliverNext,
  type SubscriptionDeliveryOptions,
} from '../src/server/modules/subscriptions/subscriptions.delivery';
import { open, startConversation } from './conversation-world';
import {
  connectSystem,
  createIntegrationWorld,
  fhirJson,
  type IntegrationWorld,
  type SystemCredentials,
} from './integration-world';
import { buildTestApp, TestClock, type TestApp } from './test-app';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

/**
 * Helpers for FHIR subscription tests: the integration world with a system connected for
 * Trust A, a real receiver on loopback standing in for its endpoint, the delivery worker run
 * by hand on a clock of its own, and the notifications as the receiver got them.
 */

export interface SubscriptionWorld {
  t: TestApp;
  world: IntegrationWorld;
  /** Trust A's Ward EPR, with every scope. */
  credentials: SystemCredentials;
  receiver: WebhookReceiver;
}

export async function startSubscriptionWorld(): Promise<SubscriptionWorld> {
  const t = await buildTestApp();
  const world = await createIntegrationWorld(t.app, t.db);
  const credentials = await connectSystem(world.coordinatorA, world.trustA.id);
  const receiver = await startWebhookReceiver();
  return { t, world, credentials, receiver };
}

export async function stopSubscriptionWorld(t: TestApp, receiver: WebhookReceiver): Promise<void> {
  await receiver.close();
  await t.close();
}

/** Longer than the outbox's longest backoff (an hour): the worker's clock moved on by it is due. */
export const HOURS_2 = 2 * 3_600_000;

/**
 * A start for each test: no subscriptions, nothing received, and the worker as tests and the
 * demo run it (receivers on loopback allowed) on a clock of its own. That clock is moved on to
 * reach retries while the app's stays put, so the people's sessions and the system's tokens
 * do not end under the tests.
 */
export async function resetDelivery(
  t: TestApp,
  receiver: WebhookReceiver,
): Promise<{ worker: TestClock; delivery: SubscriptionDeliveryOptions }> {
  await t.db.execute(sql`delete from fhir_subscriptions`);
  receiver.received.length = 0;
  const worker = new TestClock(t.clock.now());
  return {
    worker,
    delivery: {
      db: t.db,
      clock: worker.now,
      fhirBase: `${t.deps.config.publicUrl}/fhir/R4`,
      refuseLocalAddresses: false,
    },
  };
}

/** Runs the worker until nothing is due, as the timer and the outbox's NOTIFY would. */
export async function deliverAll(delivery: SubscriptionDeliveryOptions): Promise<void> {
  while ((await deliverNext(delivery)) > 0);
}

/**
 * A Subscription to new messages by rest-hook, as a system sends it: `channel` overrides the
 * channel's fields and `fields` the resource's (either set to `undefined` to leave one out).
 */
export const subscriptionResource = (
  endpoint: string,
  channel: Record<string, unknown> = {},
  fields: Record<string, unknown> = {},
) => ({
  resourceType: 'Subscription',
  reason: 'File new messages',
  criteria: 'Communication',
  channel: { type: 'rest-hook', endpoint, payload: 'application/fhir+json', ...channel },
  ...fields,
});

/** POSTs a Subscription with the system's token and insists it is made; its id. */
export async function createSubscription(
  app: FastifyInstance,
  token: string,
  resource: unknown,
): Promise<string> {
  const response = await fhirJson(app, token, 'POST', 'Subscription', resource);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

/**
 * The patient writes to Cardiology (which looks after them) and the nurse opens the
 * conversation; the new message's id.
 */
export async function patientWrites(
  world: IntegrationWorld,
  body = 'My ankles are swollen again.',
): Promise<string> {
  const id = await startConversation(world.patientClient, [{ teamId: world.cardiology.id }], {
    subject: 'Swelling',
    body,
  });
  const view = (await open(world.nurseA, id)) as unknown as { messages: { id: string }[] };
  return view.messages.at(-1)?.id ?? '';
}

/** A notification as the receiver got it: a history Bundle, its status first, then the foci. */
export interface Notification {
  resourceType: string;
  type: string;
  entry: {
    fullUrl: string;
    resource?: { parameter: { name: string; valueString?: string; part?: unknown[] }[] };
  }[];
}

/** Every notification the receiver got, in order. */
export const notificationsOf = (receiver: WebhookReceiver) =>
  receiver.received.map((r) => JSON.parse(r.body) as Notification);

/** The receiver's `index`th notification (an empty object where there is none). */
export const notificationAt = (receiver: WebhookReceiver, index: number) =>
  JSON.parse(receiver.received[index]?.body ?? '{}') as Notification;

/** The numbers of the events a notification carries, in order. */
export const eventNumbers = (n: Notification) =>
  (n.entry[0]?.resource?.parameter ?? [])
    .filter((p) => p.name === 'notification-event')
    .map((p) => (p.part as { name: string; valueString?: string }[])[0]?.valueString);

/** How many events there have been since the subscription started, as a notification says. */
export const eventsSinceStart = (n: Notification) =>
  n.entry[0]?.resource?.parameter.find((p) => p.name === 'events-since-subscription-start')
    ?.valueString;

/** The references a notification is about. */
export const foci = (n: Notification) => n.entry.slice(1).map((e) => e.fullUrl);
