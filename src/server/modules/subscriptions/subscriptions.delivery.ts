import { and, asc, eq, exists, inArray, isNull, lte, notExists, or, sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/database';
import { LEASE_MS, retryDelayMs } from '../../platform/outbox/outbox';
import { type Polling, startPolling } from '../../platform/outbox/polling';
import { readableBy } from './subscriptions.events';
import { type Notification, postNotification } from './subscriptions.notification';
import { fhirSubscriptionEvents, fhirSubscriptions } from './subscriptions.schema';

type SubscriptionRow = typeof fhirSubscriptions.$inferSelect;

/** The most events one notification carries; the rest follow in the next. */
export const EVENTS_PER_NOTIFICATION = 100;
/**
 * Failures in a row before a subscription stops. The outbox's backoff doubles from 30 s to its
 * cap of an hour, so this is about a day of trying: a receiver down overnight is still told.
 */
export const MAX_SUBSCRIPTION_ATTEMPTS = 30;
/**
 * Subscriptions one pass delivers to at once, so an endpoint that takes its full timeout does
 * not hold up the others claimed with it (the next pass waits for it). Each is claimed on its
 * own (SKIP LOCKED and a lease), so two deliveries at once are always to different
 * subscriptions, and each subscription keeps its order.
 */
export const SUBSCRIPTIONS_AT_ONCE = 4;

export interface SubscriptionDeliveryOptions {
  db: Database;
  clock: () => Date;
  /** The FHIR base the references in notifications are under (…/fhir/R4). */
  fhirBase: string;
  /**
   * Production: connect to no address of this machine or link-local, whatever the endpoint's
   * name resolves to when it is sent (the route refuses them written as such; main.ts decides
   * both from NODE_ENV). Development and tests deliver to receivers on loopback.
   */
  refuseLocalAddresses: boolean;
  timeoutMs?: number;
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * The FHIR subscription worker: tells each subscribed system, at its endpoint, of the events
 * waiting for it (at least once, in order, many at a time), and retries with the outbox's
 * backoff until MAX_SUBSCRIPTION_ATTEMPTS failures in a row put the subscription in `error`.
 */
export function startSubscriptionDelivery(options: SubscriptionDeliveryOptions): Polling {
  return startPolling({
    intervalMs: options.intervalMs ?? 5_000,
    onError: options.onError,
    pass: () => deliverNext(options),
  });
}

/**
 * One pass: claims due subscriptions one after another, up to SUBSCRIPTIONS_AT_ONCE, each
 * delivery starting as soon as its claim is made, and ends when all of them have; how many
 * subscriptions it handled (0: nothing was due). Claims made one at a time do not contend
 * with each other; other workers' claims skip what this one holds.
 */
export async function deliverNext(options: SubscriptionDeliveryOptions): Promise<number> {
  // A delivery's failure is caught as it happens (left unhandled while the next claim runs, it
  // would end the process) and thrown once every delivery of the pass has ended.
  const deliveries: Promise<{ failed: unknown } | null>[] = [];
  let claimFailed: { failed: unknown } | null = null;
  try {
    while (deliveries.length < SUBSCRIPTIONS_AT_ONCE) {
      const claimed = await claim(options.db, options.clock());
      if (!claimed) break;
      deliveries.push(
        deliver(options, claimed).then(
          () => null,
          (failed: unknown) => ({ failed }),
        ),
      );
    }
  } catch (failed) {
    claimFailed = { failed };
  }
  // The pass ends only when its deliveries have, so the next pass never adds to them.
  const outcomes = await Promise.all(deliveries);
  const failure = claimFailed ?? outcomes.find((outcome) => outcome !== null);
  if (failure) throw failure.failed;
  return deliveries.length;
}

/** Sends a claimed subscription its notification and records how that went, under its lease. */
async function deliver(options: SubscriptionDeliveryOptions, claimed: Claimed): Promise<void> {
  const { db, clock } = options;
  const { subscription, notification } = claimed;
  const s = fhirSubscriptions;
  const e = fhirSubscriptionEvents;
  // A worker whose lease ran out records nothing over the one that took the subscription over.
  const leaseHeld = and(eq(s.id, subscription.id), eq(s.lockedUntil, subscription.lockedUntil!));
  if (notification.events.length === 0) {
    // What waited was in records the system may no longer read: nothing was tried.
    await db
      .update(s)
      .set({ lockedUntil: null, attempts: sql`${s.attempts} - 1` })
      .where(leaseHeld);
    return;
  }
  const failure = await postNotification(notification, options.fhirBase, clock(), {
    timeoutMs: options.timeoutMs,
    refuseLocalAddresses: options.refuseLocalAddresses,
  });
  const now = clock();
  await db.transaction(async (tx) => {
    if (failure === null) {
      const [held] = await tx
        .update(s)
        .set({ attempts: 0, lastError: null, lockedUntil: null, nextAttemptAt: now })
        .where(leaseHeld)
        .returning({ id: s.id });
      // The events sent, by id: one with a lower id may have committed since they were read.
      // Without the lease they stay, to be sent again with the same numbers (at least once).
      const sent = notification.events.map((event) => event.id);
      if (held) await tx.delete(e).where(inArray(e.id, sent));
      return;
    }
    const stop = subscription.attempts >= MAX_SUBSCRIPTION_ATTEMPTS;
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
}

interface Claimed {
  subscription: SubscriptionRow;
  notification: Notification;
}

/**
 * Claims the active subscription whose waiting events have been due longest (SKIP LOCKED and
 * a lease, as the outbox does) with its first events, in the order they were numbered, then
 * written. Of those it drops any in a record its system may no longer read (N4), and numbers
 * the rest that have none yet. First it turns off subscriptions whose end has passed and
 * clears what waits for any subscription not active. Nothing waiting for an active
 * subscription: one small read, no transaction.
 */
async function claim(db: Database, now: Date): Promise<Claimed | null> {
  const s = fhirSubscriptions;
  const e = fhirSubscriptionEvents;
  const [anything] = await db
    .select({ one: sql`1` })
    .from(e)
    .innerJoin(s, and(eq(s.id, e.subscriptionId), eq(s.status, 'active')))
    .limit(1);
  if (!anything) return null;
  return db.transaction(async (tx) => {
    await tx
      .update(s)
      .set({ status: 'off' })
      .where(and(eq(s.status, 'active'), lte(s.endsAt, now)));
    const active = and(eq(s.id, e.subscriptionId), eq(s.status, 'active'));
    await tx.delete(e).where(
      notExists(
        tx
          .select({ one: sql`1` })
          .from(s)
          .where(active),
      ),
    );
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
    const rows = await tx
      .select({
        event: e,
        waiting: sql<number>`count(*) over ()`.mapWith(Number),
        readable: sql<boolean>`exists (select 1 from ${s}
          where ${s.id} = ${e.subscriptionId} and ${readableBy(e.patientId, now)})`,
      })
      .from(e)
      .where(eq(e.subscriptionId, due.id))
      .orderBy(sql`${e.number} asc nulls last`, asc(e.id))
      .limit(EVENTS_PER_NOTIFICATION);
    const unreadable = rows.filter((row) => !row.readable).map((row) => row.event.id);
    if (unreadable.length > 0) await tx.delete(e).where(inArray(e.id, unreadable));
    // Numbers are given once, in order, to events sent for the first time, and kept.
    let numbered = subscription.numberedCount;
    const fresh: { id: number; number: number }[] = [];
    const events = rows
      .filter((row) => row.readable)
      .map(({ event }) => {
        if (event.number !== null) return { ...event, number: event.number };
        const given = { ...event, number: ++numbered };
        fresh.push(given);
        return given;
      });
    if (fresh.length > 0) {
      const values = fresh.map((event) => sql`(${event.id}::bigint, ${event.number}::bigint)`);
      await tx.execute(sql`update ${e} set number = given.number
        from (values ${sql.join(values, sql`, `)}) as given(id, number)
        where ${e.id} = given.id`);
      await tx.update(s).set({ numberedCount: numbered }).where(eq(s.id, due.id));
    }
    // Beyond this notification every waiting event is new: numbered ones come first.
    const eventsSinceStart = numbered + (rows[0]?.waiting ?? 0) - rows.length;
    return { subscription, notification: { subscription, events, eventsSinceStart } };
  });
}
