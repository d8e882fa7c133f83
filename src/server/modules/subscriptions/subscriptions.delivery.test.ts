import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { open, send, startConversation } from '../../../../test/conversation-world';
import { signIn } from '../../../../test/http';
import {
  connectSystem,
  fhir,
  fhirJson,
  type IntegrationWorld,
  type SystemCredentials,
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
  notificationsOf,
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
  MAX_SUBSCRIPTION_ATTEMPTS,
  type SubscriptionDeliveryOptions,
} from './subscriptions.delivery';

let t: TestApp;
let world: IntegrationWorld;
let receiver: WebhookReceiver;
let credentials: SystemCredentials;
let delivery: SubscriptionDeliveryOptions;
/** The worker's own clock, moved on by hours to reach retries. */
let worker: TestClock;

const base = () => delivery.fhirBase;
const token = () => tokenFor(t.app, credentials);

async function subscribe(
  channel: Record<string, unknown> = {},
  bearer?: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const resource = subscriptionResource(
    receiver.url(),
    { header: ['Authorization: Bearer receiver-secret'], ...channel },
    extra,
  );
  return createSubscription(t.app, bearer ?? (await token()), resource);
}

/** How the coordinator's Connected systems list shows the first system's notifications. */
async function targets(): Promise<{ state: string; problem: string | null }[]> {
  const response = await world.coordinatorA.request({
    method: 'GET',
    url: `/api/v1/organisations/${world.trustA.id}/integration-clients`,
  });
  const items = response.json<{
    items: { clientId: string; notifications: { state: string; problem: string | null }[] }[];
  }>().items;
  const mine = items.find((item) => item.clientId === credentials.clientId);
  return (mine?.notifications ?? []).map(({ state, problem }) => ({ state, problem }));
}

beforeAll(async () => {
  ({ t, world, credentials, receiver } = await startSubscriptionWorld());
});
beforeEach(async () => {
  ({ worker, delivery } = await resetDelivery(t, receiver));
});
afterAll(() => stopSubscriptionWorld(t, receiver));

describe('FHIR subscription notifications (rest-hook, id-only)', () => {
  it('tells the system of a new message by reference, which it then reads with its token (C4)', async () => {
    const subscriptionId = await subscribe();
    const messageId = await patientWrites(world, 'I get chest pain when I climb stairs.');
    await deliverAll(delivery);

    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/notify');
    expect(request?.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(request?.headers.authorization).toBe('Bearer receiver-secret');
    // References only: no text of the message, nothing of the patient (N2's spirit).
    expect(request?.body).not.toContain('chest pain');
    expect(request?.body).not.toContain(world.patient.id);
    const [notification] = notificationsOf(receiver);
    expect(notification).toMatchObject({ resourceType: 'Bundle', type: 'history' });
    expect(notification?.entry[0]?.resource?.parameter.slice(0, 4)).toEqual([
      {
        name: 'subscription',
        valueReference: { reference: `${base()}/Subscription/${subscriptionId}` },
      },
      { name: 'status', valueCode: 'active' },
      { name: 'type', valueCode: 'event-notification' },
      { name: 'events-since-subscription-start', valueString: '1' },
    ]);
    expect(eventNumbers(notification!)).toEqual(['1']);
    expect(foci(notification!)).toEqual([`${base()}/Communication/${messageId}`]);

    const read = await fhir(t.app, await token(), 'GET', `Communication/${messageId}`);
    expect(read.statusCode).toBe(200);
    expect(JSON.stringify(read.json())).toContain('I get chest pain when I climb stairs.');
    const audited = await queryRows<{ actor_label: string }>(
      t.db,
      sql`select actor_label from audit_events
           where patient_id = ${world.patient.id} and details ->> 'messageId' = ${messageId}`,
    );
    expect(audited).toEqual([{ actor_label: SYSTEM_LABEL }]);
  });

  it('sends what waited in one notification, in order, numbering on from the last', async () => {
    await subscribe();
    const first = await patientWrites(world);
    await deliverAll(delivery);
    const conversation = await startConversation(world.patientClient, [
      { teamId: world.cardiology.id },
    ]);
    expect((await send(world.nurseA, conversation, 'Please come in on Monday.')).statusCode).toBe(
      201,
    );
    const view = (await open(world.nurseA, conversation)) as unknown as {
      messages: { id: string }[];
    };
    await deliverAll(delivery);
    const [one, two] = notificationsOf(receiver);
    expect(foci(one!)).toEqual([`${base()}/Communication/${first}`]);
    // Staff replies count too: anything new in the record the system may read.
    expect(foci(two!)).toEqual(view.messages.map((m) => `${base()}/Communication/${m.id}`));
    expect(eventNumbers(two!)).toEqual(['2', '3']);
    expect(
      await queryRows(t.db, sql`select id from fhir_subscription_events`),
      'delivered events are not kept',
    ).toEqual([]);
  });

  it('sends an empty POST to a subscription without a payload (a ping)', async () => {
    await subscribe({ payload: undefined, header: undefined });
    await patientWrites(world);
    await deliverAll(delivery);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.body).toBe('');
    expect(receiver.received[0]?.headers['content-type']).toBeUndefined();
  });

  it('retries a refused notification later with the same events, at least once, never early', async () => {
    const id = await subscribe();
    const messageId = await patientWrites(world);
    receiver.answerWith(503, 302);
    await deliverAll(delivery);
    expect(receiver.received).toHaveLength(1);
    expect(await targets()).toEqual([
      { state: 'retrying', problem: 'the endpoint answered HTTP 503' },
    ]);
    await deliverAll(delivery);
    expect(receiver.received, 'not before its next attempt is due').toHaveLength(1);
    worker.advance(HOURS_2);
    await deliverAll(delivery);
    // A redirect is not followed: it counts as a failure too.
    expect(receiver.received).toHaveLength(2);
    worker.advance(HOURS_2);
    await deliverAll(delivery);
    expect(receiver.received).toHaveLength(3);
    expect(notificationsOf(receiver).map(foci)).toEqual(
      Array.from({ length: 3 }, () => [`${base()}/Communication/${messageId}`]),
    );
    expect(notificationsOf(receiver).map(eventNumbers)).toEqual([['1'], ['1'], ['1']]);
    const read = await fhirJson(t.app, await token(), 'GET', `Subscription/${id}`);
    expect(read.json()).toMatchObject({ status: 'active' });
    expect(await targets()).toEqual([{ state: 'working', problem: null }]);
  });

  it(`stops after ${MAX_SUBSCRIPTION_ATTEMPTS} failures in a row and says why on the Subscription`, async () => {
    const id = await subscribe();
    await patientWrites(world);
    receiver.answerWith(...Array.from({ length: MAX_SUBSCRIPTION_ATTEMPTS }, () => 500));
    for (let i = 0; i < MAX_SUBSCRIPTION_ATTEMPTS + 2; i++) {
      await deliverAll(delivery);
      worker.advance(HOURS_2);
    }
    expect(receiver.received).toHaveLength(MAX_SUBSCRIPTION_ATTEMPTS);
    const read = await fhirJson(t.app, await token(), 'GET', `Subscription/${id}`);
    expect(read.json()).toMatchObject({
      status: 'error',
      error: `Notifications failed ${MAX_SUBSCRIPTION_ATTEMPTS} times in a row; the last: the endpoint answered HTTP 500.`,
    });
    expect(await targets()).toEqual([
      {
        state: 'stopped',
        problem: `Notifications failed ${MAX_SUBSCRIPTION_ATTEMPTS} times in a row; the last: the endpoint answered HTTP 500.`,
      },
    ]);
    await patientWrites(world);
    await deliverAll(delivery);
    expect(receiver.received, 'a subscription in error is told nothing more').toHaveLength(
      MAX_SUBSCRIPTION_ATTEMPTS,
    );
  });

  it('says so when the endpoint cannot be reached, without its address', async () => {
    const closed = await startWebhookReceiver();
    const endpoint = closed.url();
    await closed.close();
    const id = await subscribe({ endpoint });
    await patientWrites(world);
    await deliverAll(delivery);
    const rows = await queryRows<{ last_error: string }>(
      t.db,
      sql`select last_error from fhir_subscriptions where id = ${id}`,
    );
    expect(rows).toEqual([{ last_error: 'the endpoint could not be reached (ECONNREFUSED)' }]);
  });

  it('tells a system only of records its organisation looks after (C2)', async () => {
    await subscribe();
    const otherSystem = await tokenFor(
      t.app,
      await connectSystem(world.coordinatorB, world.trustB.id),
    );
    await subscribe({ endpoint: receiver.url('/trust-b') }, otherSystem);
    // Registered with Trust A, but no team of it looks after them: no care relationship.
    const stranger = await startConversation(await signIn(t.app, world.registeredOnly.email), [
      { teamId: world.cardiology.id },
    ]);
    expect(stranger).toBeTruthy();
    await deliverAll(delivery);
    expect(receiver.received).toEqual([]);
    await patientWrites(world);
    await deliverAll(delivery);
    expect(receiver.received.map((r) => r.path)).toEqual(['/notify']);
  });

  it('tells nothing once the system is disconnected, the subscription ended or deleted', async () => {
    const ended = await subscribe({ endpoint: receiver.url('/ended') }, undefined, {
      end: new Date(t.clock.now().getTime() + 60_000).toISOString(),
    });
    const deleted = await subscribe({ endpoint: receiver.url('/deleted') });
    await patientWrites(world);
    expect(
      (await fhirJson(t.app, await token(), 'DELETE', `Subscription/${deleted}`)).statusCode,
    ).toBe(204);
    worker.advance(120_000);
    await deliverAll(delivery);
    expect(receiver.received).toEqual([]);
    expect(
      (await fhirJson(t.app, await token(), 'GET', `Subscription/${ended}`)).json(),
    ).toMatchObject({
      status: 'off',
    });
    expect(await targets()).toEqual([{ state: 'ended', problem: null }]);

    const lab = await connectSystem(world.coordinatorA, world.trustA.id, undefined, 'Lab system');
    await subscribe({ endpoint: receiver.url('/lab') }, await tokenFor(t.app, lab));
    await patientWrites(world);
    const disconnected = await world.coordinatorA.request({
      method: 'DELETE',
      url: `/api/v1/integration-clients/${lab.clientId}`,
    });
    expect(disconnected.statusCode, disconnected.body).toBe(204);
    await deliverAll(delivery);
    expect(receiver.received).toEqual([]);
    const labs = await queryRows<{ status: string; waiting: number }>(
      t.db,
      sql`select status, (select count(*)::int from fhir_subscription_events e
           where e.subscription_id = s.id) as waiting
          from fhir_subscriptions s where client_id = ${lab.clientId}`,
    );
    expect(labs, 'ended with the system, with what waited for it').toEqual([
      { status: 'off', waiting: 0 },
    ]);
  });

  it('checks again at delivery that the system may still read the record (N4)', async () => {
    await subscribe();
    await patientWrites(world);
    const relationship = `/api/v1/teams/${world.cardiology.id}/care-relationships/${world.patient.id}`;
    expect(
      (await world.coordinatorA.request({ method: 'DELETE', url: relationship })).statusCode,
    ).toBe(204);
    try {
      await deliverAll(delivery);
      expect(receiver.received).toEqual([]);
      expect(await queryRows(t.db, sql`select id from fhir_subscription_events`)).toEqual([]);
    } finally {
      expect(
        (await world.coordinatorA.request({ method: 'PUT', url: relationship })).statusCode,
      ).toBe(204);
    }
  });

  it('sends at most 100 events at once; the rest follow, numbered on, the total said each time', async () => {
    const id = await subscribe();
    await t.db
      .execute(sql`insert into fhir_subscription_events (subscription_id, focus, patient_id, created_at)
      select ${id}, 'Communication/' || gen_random_uuid(), ${world.patient.id}, ${t.clock.now()}
      from generate_series(1, 120)`);
    await deliverAll(delivery);
    const [first, second] = notificationsOf(receiver);
    expect(foci(first!)).toHaveLength(100);
    expect(eventNumbers(first!)).toEqual(Array.from({ length: 100 }, (_, i) => String(i + 1)));
    expect(eventsSinceStart(first!)).toBe('120');
    expect(eventNumbers(second!)).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 101)));
    expect(eventsSinceStart(second!)).toBe('120');
  });

  it('keeps each event’s number on a retry, whatever arrived in between', async () => {
    const id = await subscribe();
    const messageId = await patientWrites(world);
    receiver.answerWith(503);
    await deliverAll(delivery);
    // An event with a lower id commits between the attempts (ids are taken before commit).
    const [{ low } = { low: 0 }] = await queryRows<{ low: number }>(
      t.db,
      sql`select min(id)::int - 1 as low from fhir_subscription_events`,
    );
    const late = 'Communication/00000000-0000-4000-8000-000000000002';
    await t.db
      .execute(sql`insert into fhir_subscription_events (id, subscription_id, focus, patient_id, created_at)
      values (${low}, ${id}, ${late}, ${world.patient.id}, ${t.clock.now()})`);
    worker.advance(HOURS_2);
    await deliverAll(delivery);
    const [first, retry] = notificationsOf(receiver);
    expect(foci(first!)).toEqual([`${base()}/Communication/${messageId}`]);
    expect(eventNumbers(first!)).toEqual(['1']);
    expect(foci(retry!)).toEqual([`${base()}/Communication/${messageId}`, `${base()}/${late}`]);
    expect(eventNumbers(retry!)).toEqual(['1', '2']);
  });

  it('keeps an event that committed while a notification was out, though its id is lower', async () => {
    const id = await subscribe();
    await patientWrites(world);
    const [{ low } = { low: 0 }] = await queryRows<{ low: number }>(
      t.db,
      sql`select min(id)::int - 1 as low from fhir_subscription_events`,
    );
    receiver.whileAnswering(async () => {
      await t.db
        .execute(sql`insert into fhir_subscription_events (id, subscription_id, focus, patient_id, created_at)
        values (${low}, ${id}, 'Communication/00000000-0000-4000-8000-000000000001', ${world.patient.id}, ${t.clock.now()})`);
    });
    await deliverAll(delivery);
    expect(receiver.received).toHaveLength(2);
    expect(foci(notificationsOf(receiver)[1]!)).toEqual([
      `${base()}/Communication/00000000-0000-4000-8000-000000000001`,
    ]);
    expect(eventNumbers(notificationsOf(receiver)[1]!)).toEqual(['2']);
  });
});
