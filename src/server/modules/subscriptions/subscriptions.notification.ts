import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import {
  isLocalAddress,
  LocalAddressRefused,
  lookupRefusingLocal,
} from '../../platform/net/local-addresses';
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

/** How a notification may go out. */
export interface PostOptions {
  timeoutMs?: number;
  /** In production: no connection to this machine or a link-local address, by name or not. */
  refuseLocalAddresses: boolean;
}

/** Why a notification did not go: said of every endpoint the same way, never naming it. */
export const LOCAL_ADDRESS_REFUSED =
  "the endpoint's address is not allowed (this machine or link-local)";

/** POSTs one notification; null when the receiver took it (2xx), else why not, in safe words. */
export async function postNotification(
  notification: Notification,
  fhirBase: string,
  now: Date,
  { timeoutMs = DELIVERY_TIMEOUT_MS, refuseLocalAddresses }: PostOptions,
): Promise<string | null> {
  const { subscription } = notification;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const url = new URL(subscription.endpoint);
    // A literal address connects without a lookup, so it is checked here; a name, by the lookup.
    if (refuseLocalAddresses && isLocalAddress(url.hostname.replace(/^\[|\]$/g, ''))) {
      return LOCAL_ADDRESS_REFUSED;
    }
    const headers: Record<string, string> = {};
    for (const line of subscription.headers) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
    let body: Buffer | undefined;
    if (subscription.payload !== null) {
      headers['content-type'] = 'application/fhir+json; charset=utf-8';
      body = Buffer.from(JSON.stringify(notificationBundle(notification, fhirBase, now)), 'utf8');
    }
    headers['content-length'] = String(body?.length ?? 0);
    const status = await post(url, headers, body, signal, refuseLocalAddresses);
    // A redirect is not followed (node:http never does): the endpoint given is the one.
    return status >= 200 && status < 300 ? null : `the endpoint answered HTTP ${status}`;
  } catch (error) {
    if (signal.aborted) return 'the endpoint did not answer in time';
    if (error instanceof LocalAddressRefused) return LOCAL_ADDRESS_REFUSED;
    return describeNetworkFailure(error);
  }
}

/**
 * One POST on a connection of its own (no pool: every connection is made, and its name
 * looked up, under this notification's rules); the status once the answer's head arrives.
 * The answer's body is not read.
 */
function post(
  url: URL,
  headers: Record<string, string>,
  body: Buffer | undefined,
  signal: AbortSignal,
  refuseLocalAddresses: boolean,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      url,
      {
        method: 'POST',
        headers,
        signal,
        agent: false,
        ...(refuseLocalAddresses ? { lookup: lookupRefusingLocal } : {}),
      },
      (response) => {
        resolve(response.statusCode ?? 0);
        response.destroy();
      },
    );
    // After the answer, an error (the connection closing under the discarded body) changes nothing.
    request.on('error', reject);
    request.end(body);
  });
}

/** A network failure's code only: messages can quote addresses and are never kept. */
function describeNetworkFailure(error: unknown): string {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
  const known = typeof code === 'string' ? code : cause?.code;
  const safe = typeof known === 'string' ? known.replace(/[^A-Z0-9_]/g, '') : '';
  return `the endpoint could not be reached (${safe || 'unknown'})`;
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
