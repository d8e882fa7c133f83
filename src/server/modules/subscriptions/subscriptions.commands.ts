import { and, asc, count, eq } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import { type Database, type Tx, withTransaction } from '../../platform/db/database';
import type { RequestFacts } from '../identity/actor';
import { integrationClients } from '../integrations/integrations.schema';
import { type IntegrationActor, integrationAudit } from '../integrations/integrations.tokens';
import { MESSAGES_SCOPE } from './subscriptions.events';
import {
  fhirSubscriptionEvents,
  fhirSubscriptions,
  type SubscriptionCriteria,
} from './subscriptions.schema';

export type SubscriptionRow = typeof fhirSubscriptions.$inferSelect;

/** The most subscriptions one connected system may hold, ended ones included. */
export const MAX_SUBSCRIPTIONS_PER_CLIENT = 20;

export interface NewSubscription {
  criteria: SubscriptionCriteria;
  reason: string;
  endpoint: string;
  payload: 'application/fhir+json' | null;
  headers: string[];
  endsAt: Date | null;
}

/** A subscription as its system replaces it (FHIR update): on (`active`) or `off`. */
export interface SubscriptionReplacement extends NewSubscription {
  status: 'active' | 'off';
}

export class SubscriptionLimitReached extends Error {}
/** The system may not read messages, so it may not be told of them either. */
export class MessagesScopeMissing extends Error {}

/**
 * Makes an active subscription for the system, audited in its organisation's chain, if the
 * system may read messages. The client's row is locked while its subscriptions are counted,
 * so two at once cannot both pass the limit.
 */
export async function createSubscription(
  db: Database,
  client: IntegrationActor,
  input: NewSubscription,
  request: RequestFacts,
  now: Date,
): Promise<SubscriptionRow> {
  return withTransaction(db, async (tx) => {
    await lockClientToBeTold(tx, client, 'update');
    const [held] = await tx
      .select({ n: count() })
      .from(fhirSubscriptions)
      .where(eq(fhirSubscriptions.clientId, client.clientId));
    if ((held?.n ?? 0) >= MAX_SUBSCRIPTIONS_PER_CLIENT) throw new SubscriptionLimitReached();
    const [row] = await tx
      .insert(fhirSubscriptions)
      .values({
        ...input,
        clientId: client.clientId,
        organisationId: client.organisationId,
        status: 'active',
        createdAt: now,
        nextAttemptAt: now,
      })
      .returning();
    if (!row) throw new Error('subscription insert returned nothing');
    await recordAudit(tx, integrationAudit(client, request, now), {
      action: 'fhir_subscription.created',
      entityType: 'fhir_subscription',
      entityId: row.id,
      organisationId: client.organisationId,
      details: { criteria: row.criteria, clientId: client.clientId },
    });
    return row;
  });
}

/**
 * Locks the system's row (`update` to count its subscriptions; `share` to change one, which
 * still waits for a disconnection under way) and checks that it may be told of messages: its
 * own scopes, not this token's, since they are what every event is checked against. Says
 * whether it has been disconnected since its token was checked.
 */
async function lockClientToBeTold(
  tx: Tx,
  client: IntegrationActor,
  lock: 'update' | 'share',
): Promise<{ disconnected: boolean }> {
  const [own] = await tx
    .select({ scopes: integrationClients.scopes, revokedAt: integrationClients.revokedAt })
    .from(integrationClients)
    .where(eq(integrationClients.id, client.clientId))
    .for(lock);
  if (!own?.scopes.includes(MESSAGES_SCOPE)) throw new MessagesScopeMissing();
  return { disconnected: own.revokedAt !== null };
}

/** The system's own subscriptions, oldest first; no system sees another's. */
export function subscriptionsOf(db: Database, clientId: string): Promise<SubscriptionRow[]> {
  return db
    .select()
    .from(fhirSubscriptions)
    .where(eq(fhirSubscriptions.clientId, clientId))
    .orderBy(asc(fhirSubscriptions.createdAt), asc(fhirSubscriptions.id));
}

export async function subscriptionOf(
  db: Database,
  clientId: string,
  id: string,
): Promise<SubscriptionRow | null> {
  const [row] = await db
    .select()
    .from(fhirSubscriptions)
    .where(and(eq(fhirSubscriptions.id, id), eq(fhirSubscriptions.clientId, clientId)));
  return row ?? null;
}

/** Deletes one of the system's subscriptions and its undelivered events; false if none such. */
export async function deleteSubscription(
  db: Database,
  client: IntegrationActor,
  id: string,
  request: RequestFacts,
  now: Date,
): Promise<boolean> {
  return withTransaction(db, async (tx) => {
    const [row] = await tx
      .delete(fhirSubscriptions)
      .where(and(eq(fhirSubscriptions.id, id), eq(fhirSubscriptions.clientId, client.clientId)))
      .returning({ id: fhirSubscriptions.id });
    if (!row) return false;
    // What a message sending at this moment adds after this, the worker clears.
    await tx
      .delete(fhirSubscriptionEvents)
      .where(eq(fhirSubscriptionEvents.subscriptionId, row.id));
    await recordAudit(tx, integrationAudit(client, request, now), {
      action: 'fhir_subscription.deleted',
      entityType: 'fhir_subscription',
      entityId: row.id,
      organisationId: client.organisationId,
      details: { clientId: client.clientId },
    });
    return true;
  });
}

/** What an update may change, by FHIR's names for it: what its audit event lists. */
type ChangedElement =
  'status' | 'reason' | 'end' | 'channel.endpoint' | 'channel.payload' | 'channel.header';

/**
 * Replaces one of the system's subscriptions with what it sent (FHIR update), audited; null if
 * it has none such. While it stays on, what waits for it and the numbers given so far are
 * kept, so a receiver whose credentials or address changed sees no gap. Turned on again after
 * an error or an end (reactivated) it starts afresh: no failures counted, tried at once, and
 * what still waited from before is dropped, as the worker would have dropped it (numbering
 * goes on, so the receiver can tell what was lost). Turned off, what waits for it is dropped.
 */
export async function updateSubscription(
  db: Database,
  client: IntegrationActor,
  id: string,
  input: SubscriptionReplacement,
  request: RequestFacts,
  now: Date,
): Promise<SubscriptionRow | null> {
  return withTransaction(db, async (tx) => {
    const { disconnected } = await lockClientToBeTold(tx, client, 'share');
    // Disconnected since its token was checked: its subscriptions have ended for good.
    if (disconnected) return null;
    const s = fhirSubscriptions;
    // The lock the worker's claim takes (FOR NO KEY UPDATE): an update and a claim of this
    // subscription run one after the other, never interleaved, and a claim skips it meanwhile.
    const [old] = await tx
      .select()
      .from(s)
      .where(and(eq(s.id, id), eq(s.clientId, client.clientId)))
      .for('no key update');
    if (!old) return null;
    const wasOn = old.status === 'active' && (old.endsAt === null || old.endsAt > now);
    const wasStatus = wasOn ? 'active' : old.status === 'error' ? 'error' : 'off';
    const changed = changesOf(old, input, wasStatus);
    const reactivated = input.status === 'active' && !wasOn;
    // The worker posts outside any transaction, holding only its lease (`lockedUntil`), and
    // records how it went only if the lease is still the one it took (`leaseHeld`). Starting
    // afresh takes the lease over: a lease still out is moved on by a millisecond (no claim
    // can give that value: the next one starts after it), an ended one cleared. So a
    // notification in flight as this commits (sent before the reactivation, or to the old
    // address with the old headers) records nothing: no failure, nor an `error` from a last
    // attempt, over the fresh start, and no deletion of what it sent, which goes again with
    // the same numbers where the system now says (at least once). Clearing a lease still out
    // would let a second delivery of this subscription start beside it; this way the next
    // waits until the lease ends (two minutes at most, and only if one was out just then).
    // A change of reason or end alone leaves delivery as it was: its failures still count.
    const afresh =
      reactivated ||
      (input.status === 'active' && changed.some((name) => name.startsWith('channel.')));
    const leaseOut = old.lockedUntil !== null && old.lockedUntil > now ? old.lockedUntil : null;
    const lockedUntil = leaseOut && new Date(leaseOut.getTime() + 1);
    const [row] = await tx
      .update(s)
      .set({
        status: input.status,
        reason: input.reason,
        endpoint: input.endpoint,
        payload: input.payload,
        headers: input.headers,
        endsAt: input.endsAt,
        error: null,
        ...(afresh ? { attempts: 0, lastError: null, nextAttemptAt: now, lockedUntil } : {}),
      })
      .where(eq(s.id, old.id))
      .returning();
    if (!row) throw new Error('subscription update returned nothing');
    if (reactivated || input.status === 'off') {
      await tx
        .delete(fhirSubscriptionEvents)
        .where(eq(fhirSubscriptionEvents.subscriptionId, row.id));
    }
    await recordAudit(tx, integrationAudit(client, request, now), {
      action: 'fhir_subscription.updated',
      entityType: 'fhir_subscription',
      entityId: row.id,
      organisationId: client.organisationId,
      // Names only: a header's value, or the endpoint's path or query, may be the receiver's key.
      details: {
        clientId: client.clientId,
        changed,
        status: { from: wasStatus, to: input.status },
      },
    });
    return row;
  });
}

function changesOf(
  old: SubscriptionRow,
  input: SubscriptionReplacement,
  wasStatus: SubscriptionRow['status'],
): ChangedElement[] {
  const time = (date: Date | null) => date?.getTime() ?? null;
  const differs: Record<ChangedElement, boolean> = {
    status: wasStatus !== input.status,
    reason: old.reason !== input.reason,
    end: time(old.endsAt) !== time(input.endsAt),
    'channel.endpoint': old.endpoint !== input.endpoint,
    'channel.payload': old.payload !== input.payload,
    'channel.header': old.headers.join('\n') !== input.headers.join('\n'),
  };
  return (Object.keys(differs) as ChangedElement[]).filter((name) => differs[name]);
}
