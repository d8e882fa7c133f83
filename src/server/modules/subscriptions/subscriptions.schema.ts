import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { organisations } from '../directory/directory.schema';
import { integrationClients } from '../integrations/integrations.schema';

/** What a subscription can be told about: new messages in records the organisation looks after. */
export const SUBSCRIPTION_CRITERIA = ['Communication'] as const;
export type SubscriptionCriteria = (typeof SUBSCRIPTION_CRITERIA)[number];

/** R4's Subscription.status, less `requested`: a subscription is active as soon as it is made. */
export const SUBSCRIPTION_STATUSES = ['active', 'error', 'off'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/**
 * A connected system's FHIR Subscription (rest-hook): where to tell it that something it may
 * read has happened. Notifications carry references only, never a resource (decision 0023), so
 * every read of what changed is the system's own, audited read. The delivery state lives on
 * the row: the events not yet delivered go together in one notification, in order.
 */
export const fhirSubscriptions = pgTable(
  'fhir_subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => integrationClients.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    criteria: text('criteria', { enum: SUBSCRIPTION_CRITERIA }).notNull(),
    reason: text('reason').notNull(),
    endpoint: text('endpoint').notNull(),
    /** `application/fhir+json` for a notification Bundle; null for an empty POST (a ping). */
    payload: text('payload'),
    /** "Name: value" lines sent with every notification (the receiver's own credentials). */
    headers: text('headers').array().notNull(),
    status: text('status', { enum: SUBSCRIPTION_STATUSES }).notNull(),
    /** Why delivery stopped, in words safe to show: a status code or a network error's code. */
    error: text('error'),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** Events numbered so far (R4 backport event-number): the next one's number is one more. */
    numberedCount: bigint('numbered_count', { mode: 'number' }).notNull().default(0),
    /** Failed attempts since the last delivery. */
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    /** While a worker delivers: others skip the subscription until then (a lease). */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
  },
  (t) => [
    index('fhir_subscriptions_client_idx').on(t.clientId),
    index('fhir_subscriptions_active_idx')
      .on(t.organisationId)
      .where(sql`${t.status} = 'active'`),
  ],
);

/**
 * Events waiting to be delivered, written in the transaction of the change they tell of, so
 * none is lost; a delivered event is deleted. No foreign keys: checking one would lock the
 * subscription's row in every message's transaction (and fail the message if a system
 * deleted its subscription at that moment). The worker clears events whose subscription is
 * gone or no longer active.
 */
export const fhirSubscriptionEvents = pgTable(
  'fhir_subscription_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    subscriptionId: uuid('subscription_id').notNull(),
    /** What changed, as a FHIR reference: `Communication/<message id>`. */
    focus: text('focus').notNull(),
    /** Whose record it is in: delivery checks again that the system may still read it (N4). */
    patientId: uuid('patient_id').notNull(),
    /** Its number, given when it is first sent and kept for every retry, so repeats show. */
    number: bigint('number', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('fhir_subscription_events_subscription_idx').on(t.subscriptionId, t.id)],
);
