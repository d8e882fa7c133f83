import { and, asc, count, eq } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import { type Database, withTransaction } from '../../platform/db/database';
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
    const [own] = await tx
      .select({ scopes: integrationClients.scopes })
      .from(integrationClients)
      .where(eq(integrationClients.id, client.clientId))
      .for('update');
    // The client's own scopes, not this token's: they are what every event is checked against.
    if (!own?.scopes.includes(MESSAGES_SCOPE)) throw new MessagesScopeMissing();
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
