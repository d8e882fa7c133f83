import { randomUUID } from 'node:crypto';
import { and, asc, eq, exists, inArray, isNull, lte, notExists, or, sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/database';
import { LEASE_MS, MAX_ATTEMPTS, retryDelayMs } from '../../platform/outbox/outbox';
import { type Polling, startPolling } from '../../platform/outbox/polling';
import { readableBy } from './subscriptions.events';
import { fhirSubscriptionEvents, fhirSubscriptions } from './subscriptions.schema';

type SubscriptionRow = typeof fhirSubscriptions.$inferSelect;
type EventRow = typeof fhirSubscriptionEvents.$inferSelect;

/** The most events one notification carries; the rest follow in the next. */
export const EVENTS_PER_NOTIFICATION = 100;
/** Where the Subscriptions Backport's profiles live: receivers that know it key on them. */
const BACKPORT = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';
/** How long a receiver has to answer before the attempt counts as failed. */
export const DELIVERY_TIMEOUT_MS = 10_000;

export interface SubscriptionDeliveryOptions {
  db: Database;
  clock: () => Date;
  /** The FHIR base the references in notifications are under (…/fhir/R4). */
  fhirBase: string;
  timeoutMs?: number;
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * The FHIR subscription worker: tells each subscribed system, at its endpoint, of the events
 * waiting for it (at least once, in order, many at a time), and retries with the outbox's
 * backoff until MAX_ATTEMPTS failures in a row put the subscription in `error`.
 */
export function startSubscriptionDelivery(options: SubscriptionDeliveryOptions): Polling {
  return startPolling({
    intervalMs: options.intervalMs ?? 5_000,
    onError: options.onError,
    pass: () => deliverNext(options),
  });
}

/** Delivers one subscription's waiting events, if any is due; how many subscriptions (0 or 1). */
export async function deliverNext(options: SubscriptionDeliveryOptions): Promise<number> {
  const { db, clock } = options;
  const claimed = await claim(db, clock());
  if (!claimed) return 0;
  const { subscription, events } = claimed;
  const failure = events.length === 0 ? null : await post(subscription, claimed, options);
  const now = clock();
  const s = fhirSubscriptions;
  const e = fhirSubscriptionEvents;
  // A worker whose lease ran out records nothing over the one that took the subscription over.
  const leaseHeld = and(eq(s.id, subscription.id), eq(s.lockedUntil, subscription.lockedUntil!));
  await db.transaction(async (tx) => {
    if (failure === null) {
      // The events sent, by id: one with a lower id may have committed since they were read.
      const sent = events.map((event) => event.id);
      const deleted =
        sent.length === 0
          ? []
          : await tx.delete(e).where(inArray(e.id, sent)).returning({ id: e.id });
      await tx
        .update(s)
        .set({
          deliveredCount: sql`${s.deliveredCount} + ${deleted.length}`,
          attempts: 0,
          lastError: null,
          lockedUntil: null,
          nextAttemptAt: now,
        })
        .where(leaseHeld);
      return;
    }
    const stop = subscription.attempts >= MAX_ATTEMPTS;
    const [failed] = await tx
      .update(s)
      .set({
        lastError: failure,
        lockedUntil: null,
        nextAttemptAt: new Date(now.getTime() + retryDelayMs(subscription.attempts)),
        ...(stop
          ? {
              status: 'error' as const,
              error: `Notifications failed ${subscription.attempts} times in a row; the last: ${failure}.`,
            }
          : {}),
      })
      .where(and(leaseHeld, eq(s.status, 'active')))
      .returning({ id: s.id });
    // Nothing will send what waits for a subscription in error; a new one starts afresh.
    if (stop && failed) await tx.delete(e).where(eq(e.subscriptionId, subscription.id));
  });
  return 1;
}

interface Claimed {
  subscription: SubscriptionRow;
  events: EventRow[];
  /** Events waiting for it in all, those beyond this notification's included. */
  waiting: number;
}

/**
 * Claims the active subscription whose waiting events have been due longest (SKIP LOCKED and
 * a lease, as the outbox does), with its first events. Before it reads them it drops any in
 * a record its system may no longer read (N4), and it turns off subscriptions whose end has
 * passed, with what waited for them. Nothing waiting for any active subscription: no
 * transaction at all.
 */
async function claim(db: Database, now: Date): Promise<Claimed | null> {
  const s = fhirSubscriptions;
  const e = fhirSubscriptionEvents;
  const active = and(eq(s.status, 'active'), eq(s.id, e.subscriptionId));
  const [anything] = await db
    .select({ one: sql`1` })
    .from(e)
    .innerJoin(s, active)
    .limit(1);
  if (!anything) return null;
  return db.transaction(async (tx) => {
    const ended = await tx
      .update(s)
      .set({ status: 'off' })
      .where(and(eq(s.status, 'active'), lte(s.endsAt, now)))
      .returning({ id: s.id });
    if (ended.length > 0) {
      await tx.delete(e).where(
        inArray(
          e.subscriptionId,
          ended.map((row) => row.id),
        ),
      );
    }
    const [due] = await tx
      .select({ id: s.id })
      .from(s)
      .where(
        and(
          eq(s.status, 'active'),
          lte(s.nextAttemptAt, now),
          or(isNull(s.lockedUntil), lte(s.lockedUntil, now)),
          exists(
            tx
              .select({ one: sql`1` })
              .from(e)
              .where(eq(e.subscriptionId, s.id)),
          ),
        ),
      )
      .orderBy(asc(s.nextAttemptAt))
      .limit(1)
      // Not FOR UPDATE: that would wait on every message whose event names this subscription.
      .for('no key update', { skipLocked: true });
    if (!due) return null;
    const [subscription] = await tx
      .update(s)
      .set({ lockedUntil: new Date(now.getTime() + LEASE_MS), attempts: sql`${s.attempts} + 1` })
      .where(eq(s.id, due.id))
      .returning();
    if (!subscription) return null;
    await tx.delete(e).where(
      and(
        eq(e.subscriptionId, due.id),
        notExists(
          tx
            .select({ one: sql`1` })
            .from(s)
            .where(and(eq(s.id, due.id), readableBy(e.patientId, now))),
        ),
      ),
    );
    const rows = await tx
      .select({ event: e, waiting: sql<number>`count(*) over ()`.mapWith(Number) })
      .from(e)
      .where(eq(e.subscriptionId, due.id))
      .orderBy(asc(e.id))
      .limit(EVENTS_PER_NOTIFICATION);
    return {
      subscription,
      events: rows.map((row) => row.event),
      waiting: rows[0]?.waiting ?? 0,
    };
  });
}

/** POSTs one notification; null when the receiver took it (2xx), else why not, in safe words. */
async function post(
  subscription: SubscriptionRow,
  claimed: Claimed,
  options: SubscriptionDeliveryOptions,
): Promise<string | null> {
  try {
    const headers = new Headers();
    for (const line of subscription.headers) {
      const colon = line.indexOf(':');
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    }
    let body: string | undefined;
    if (subscription.payload !== null) {
      headers.set('content-type', 'application/fhir+json; charset=utf-8');
      const bundle = notificationBundle(claimed, options.fhirBase, options.clock());
      body = JSON.stringify(bundle);
    }
    const response = await fetch(subscription.endpoint, {
      method: 'POST',
      headers,
      body,
      // A redirect could lead anywhere: the endpoint the coordinator's system gave is the one.
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? DELIVERY_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.ok ? null : `the endpoint answered HTTP ${response.status}`;
  } catch (error) {
    return describeNetworkFailure(error);
  }
}

/** A network failure's code only: messages can quote addresses and are never kept. */
function describeNetworkFailure(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError')
    return 'the endpoint did not answer in time';
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : 'unknown';
  return `the endpoint could not be reached (${code.replace(/[^A-Z0-9_]/g, '')})`;
}

/**
 * An id-only notification, in the shape of the FHIR R4 Subscriptions Backport: a `history`
 * Bundle whose first entry is the subscription's status (a Parameters resource) with one
 * `notification-event` per event, then one entry per changed resource, by reference only.
 * Event numbers count from the subscription's first event, so a receiver can tell a gap.
 */
export function notificationBundle(
  { subscription, events, waiting }: Pick<Claimed, 'subscription' | 'events' | 'waiting'>,
  fhirBase: string,
  now: Date,
) {
  const first = subscription.deliveredCount + 1;
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
            {
              name: 'events-since-subscription-start',
              valueString: String(subscription.deliveredCount + waiting),
            },
            ...events.map((event, i) => ({
              name: 'notification-event',
              part: [
                { name: 'event-number', valueString: String(first + i) },
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
