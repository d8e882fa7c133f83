import { randomUUID } from 'node:crypto';
import type { fhirSubscriptionEvents, fhirSubscriptions } from './subscriptions.schema';

type SubscriptionRow = typeof fhirSubscriptions.$inferSelect;

/** An event as it goes out: what changed, when, and its number for this subscription. */
export type NumberedEvent = Pick<
  typeof fhirSubscriptionEvents.$inferSelect,
  'id' | 'focus' | 'createdAt'
> & {
  number: number;
};

/** Where the Subscriptions Backport's profiles live: receivers that know it key on them. */
const BACKPORT = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';
/** How long a receiver has to answer before the attempt counts as failed. */
export const DELIVERY_TIMEOUT_MS = 10_000;

export interface Notification {
  subscription: Pick<SubscriptionRow, 'id' | 'endpoint' | 'payload' | 'headers'>;
  events: NumberedEvent[];
  /** How many events the subscription has had since it started, those still waiting included. */
  eventsSinceStart: number;
}

/** POSTs one notification; null when the receiver took it (2xx), else why not, in safe words. */
export async function postNotification(
  notification: Notification,
  fhirBase: string,
  now: Date,
  timeoutMs = DELIVERY_TIMEOUT_MS,
): Promise<string | null> {
  const { subscription } = notification;
  try {
    const headers = new Headers();
    for (const line of subscription.headers) {
      const colon = line.indexOf(':');
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    }
    let body: string | undefined;
    if (subscription.payload !== null) {
      headers.set('content-type', 'application/fhir+json; charset=utf-8');
      body = JSON.stringify(notificationBundle(notification, fhirBase, now));
    }
    const response = await fetch(subscription.endpoint, {
      method: 'POST',
      headers,
      body,
      // A redirect could lead anywhere: the endpoint the coordinator's system gave is the one.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return response.ok ? null : `the endpoint answered HTTP ${response.status}`;
  } catch (error) {
    return describeNetworkFailure(error);
  }
}

/** A network failure's code only: messages can quote addresses and are never kept. */
function describeNetworkFailure(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return 'the endpoint did not answer in time';
  }
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : 'unknown';
  return `the endpoint could not be reached (${code.replace(/[^A-Z0-9_]/g, '')})`;
}

/**
 * An id-only notification, in the shape of the FHIR R4 Subscriptions Backport: a `history`
 * Bundle whose first entry is the subscription's status (a Parameters resource) with one
 * `notification-event` per event, then one entry per changed resource, by reference only.
 * Each event keeps its number on every retry, so a receiver can tell a repeat and a gap.
 */
export function notificationBundle(
  { subscription, events, eventsSinceStart }: Notification,
  fhirBase: string,
  now: Date,
) {
  return {
    resourceType: 'Bundle' as const,
    meta: { profile: [`${BACKPORT}/backport-subscription-notification-r4`] },
    type: 'history' as const,
    timestamp: now.toISOString(),
    entry: [
      {
        fullUrl: `urn:uuid:${randomUUID()}`,
        resource: {
          resourceType: 'Parameters' as const,
          meta: { profile: [`${BACKPORT}/backport-subscription-status-r4`] },
          parameter: [
            {
              name: 'subscription',
              valueReference: { reference: `${fhirBase}/Subscription/${subscription.id}` },
            },
            { name: 'status', valueCode: 'active' },
            { name: 'type', valueCode: 'event-notification' },
            { name: 'events-since-subscription-start', valueString: String(eventsSinceStart) },
            ...events.map((event) => ({
              name: 'notification-event',
              part: [
                { name: 'event-number', valueString: String(event.number) },
                { name: 'timestamp', valueInstant: event.createdAt.toISOString() },
                { name: 'focus', valueReference: { reference: `${fhirBase}/${event.focus}` } },
              ],
            })),
          ],
        },
        request: { method: 'GET', url: `Subscription/${subscription.id}/$status` },
        response: { status: '200' },
      },
      ...events.map((event) => ({
        fullUrl: `${fhirBase}/${event.focus}`,
        request: { method: 'POST', url: event.focus.split('/')[0] ?? '' },
        response: { status: '201' },
      })),
    ],
  };
}
