import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations, professionals } from '../directory/directory.schema';

/**
 * What a connected system may read through the FHIR API, in SMART's "system" form: one
 * scope per resource type, read only. A client is given some of these by its coordinator and
 * may ask for fewer in each token.
 */
export const INTEGRATION_SCOPES = [
  'system/Patient.read',
  'system/Communication.read',
  'system/Task.read',
  'system/Appointment.read',
  'system/RelatedPerson.read',
  'system/Consent.read',
  'system/CareTeam.read',
  'system/DocumentReference.read',
  'system/AuditEvent.read',
  'system/Subscription.*',
] as const;
export type IntegrationScope = (typeof INTEGRATION_SCOPES)[number];

/**
 * A hospital system (an electronic patient record, a patient administration system) that
 * reads the FHIR API for one organisation. Its id is the OAuth client_id; only a hash of its
 * secret is kept. Revoked clients stay, for the audit trail's sake, and can do nothing.
 */
export const integrationClients = pgTable(
  'integration_clients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    name: text('name').notNull(),
    secretHash: text('secret_hash').notNull(),
    scopes: text('scopes').array().$type<IntegrationScope[]>().notNull(),
    createdByProfessionalId: uuid('created_by_professional_id').references(() => professionals.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('integration_clients_organisation_idx').on(t.organisationId)],
);

/** Short-lived bearer tokens (OAuth 2 client credentials); only their hash is kept. */
export const integrationTokens = pgTable(
  'integration_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => integrationClients.id),
    scopes: text('scopes').array().$type<IntegrationScope[]>().notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('integration_tokens_client_idx').on(t.clientId)],
);
