import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database';
import { integrationClients } from '../integrations/integrations.schema';
import { fhirSubscriptionEvents, fhirSubscriptions } from './subscriptions.schema';

/**
 * What the connected systems' own module asks of their subscriptions: how each system's
 * notifications are going, for its coordinator, and an end to them when it is disconnected.
 */

/** How a subscription's notifications are going, as its coordinator sees it. */
export type NotificationState = 'working' | 'retrying' | 'stopped' | 'ended';

export interface NotificationTarget {
  subscriptionId: string;
  /** The endpoint's host only: its path or query may hold the receiver's own keys. */
  host: string;
  state: NotificationState;
  /** Why the last notifications failed (a status or an error code); null when none did. */
  problem: string | null;
}

/** Each system's subscriptions, by client id, oldest first: where it is told, and how that goes. */
export async function notificationTargetsOf(
  tx: Tx,
  clientIds: string[],
  now: Date,
): Promise<Map<string, NotificationTarget[]>> {
  const targets = new Map<string, NotificationTarget[]>();
  if (clientIds.length === 0) return targets;
  const rows = await tx
    .select({ subscription: fhirSubscriptions, revokedAt: integrationClients.revokedAt })
    .from(fhirSubscriptions)
    .innerJoin(integrationClients, eq(integrationClients.id, fhirSubscriptions.clientId))
    .where(inArray(fhirSubscriptions.clientId, clientIds))
    .orderBy(asc(fhirSubscriptions.createdAt), asc(fhirSubscriptions.id));
  for (const { subscription: row, revokedAt } of rows) {
    const list = targets.get(row.clientId) ?? [];
    list.push({
      subscriptionId: row.id,
      host: URL.canParse(row.endpoint) ? new URL(row.endpoint).host : '',
      ...stateOf(row, revokedAt !== null, now),
    });
    targets.set(row.clientId, list);
  }
  return targets;
}

/** A disconnected system's subscriptions have ended, whatever they were doing before. */
function stateOf(
  row: typeof fhirSubscriptions.$inferSelect,
  disconnected: boolean,
  now: Date,
): Pick<NotificationTarget, 'state' | 'problem'> {
  if (disconnected) return { state: 'ended', problem: null };
  if (row.status === 'error') return { state: 'stopped', problem: row.error };
  if (row.status === 'off' || (row.endsAt !== null && row.endsAt <= now)) {
    return { state: 'ended', problem: null };
  }
  return { state: row.lastError === null ? 'working' : 'retrying', problem: row.lastError };
}

/** A disconnected system is told nothing more: its subscriptions end and their events go. */
export async function endSubscriptionsOf(tx: Tx, clientId: string): Promise<void> {
  const s = fhirSubscriptions;
  await tx
    .update(s)
    .set({ status: 'off', lockedUntil: null })
    .where(and(eq(s.clientId, clientId), eq(s.status, 'active')));
  const theirs = tx.select({ id: s.id }).from(s).where(eq(s.clientId, clientId));
  await tx
    .delete(fhirSubscriptionEvents)
    .where(inArray(fhirSubscriptionEvents.subscriptionId, theirs));
}
