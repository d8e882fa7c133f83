import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { organisations, professionals } from '../directory/directory.schema';
import { sessions } from '../identity/identity.schema';

export const STAFF_SSO_PROVIDERS = ['cis2', 'entra'] as const;
export type StaffSsoProvider = (typeof STAFF_SSO_PROVIDERS)[number];
export const OIDC_PROVIDERS = ['nhs_login', ...STAFF_SSO_PROVIDERS] as const;
export type OidcProvider = (typeof OIDC_PROVIDERS)[number];

/**
 * An organisation's staff single sign-on (DESIGN C5). Secrets never live here: `key_name`
 * names the environment variable `OIDC_KEY_<key_name>` that holds the private key.
 */
export const organisationSignInProviders = pgTable(
  'organisation_sign_in_providers',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    provider: text('provider', { enum: STAFF_SSO_PROVIDERS }).notNull(),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    keyName: text('key_name').notNull(),
    /** Sent as the `kid` (and for Entra the `x5t`) of our client assertions. */
    keyId: text('key_id'),
    /** CIS2: the organisation's ODS code, matched against each role's `org_code`. */
    odsCode: text('ods_code'),
    /** Entra: the tenants (`tid`) whose users may sign in. */
    tenantAllowlist: text('tenant_allowlist')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.provider] }),
    uniqueIndex('organisation_sign_in_providers_ods_code_key')
      .on(t.odsCode)
      .where(sql`${t.odsCode} is not null`),
    check('organisation_sign_in_providers_provider_check', sql`${t.provider} in ('cis2', 'entra')`),
  ],
);

/** One CIS2 role offered to a professional who holds several. */
export interface OfferedRole {
  roleId: string;
  roleName: string;
  organisationId: string;
  organisationName: string;
}

/**
 * A sign-in in progress, bound to one browser: the cookie holds a random key, this row its
 * hash with the state, nonce and PKCE verifier. Consumed at the callback, or — for a CIS2
 * professional with several roles — kept until they choose one.
 */
export const oidcSignInFlows = pgTable(
  'oidc_sign_in_flows',
  {
    browserKeyHash: text('browser_key_hash').primaryKey(),
    provider: text('provider', { enum: OIDC_PROVIDERS }).notNull(),
    organisationId: uuid('organisation_id').references(() => organisations.id),
    state: text('state').notNull(),
    nonce: text('nonce').notNull(),
    codeVerifier: text('code_verifier').notNull(),
    returnTo: text('return_to'),
    professionalId: uuid('professional_id').references(() => professionals.id),
    roles: jsonb('roles').$type<OfferedRole[]>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('oidc_sign_in_flows_expires_idx').on(t.expiresAt)],
);

/**
 * The organisation a single sign-on session acts for: the chosen CIS2 role's, or the
 * organisation whose Entra tenant signed the person in. Ends with its session.
 */
export const sessionOrganisations = pgTable('session_organisations', {
  tokenHash: text('token_hash')
    .primaryKey()
    .references(() => sessions.tokenHash, { onDelete: 'cascade' }),
  organisationId: uuid('organisation_id')
    .notNull()
    .references(() => organisations.id),
  roleId: text('role_id'),
  roleName: text('role_name'),
});
