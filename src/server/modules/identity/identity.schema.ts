import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { organisations, professionals } from '../directory/directory.schema';
import { patients } from '../patients/patients.schema';

/**
 * A person who signs in. One user may have several sign-in methods (a password today;
 * NHS login and staff single sign-on later) and is either a professional or a patient.
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    professionalId: uuid('professional_id')
      .unique()
      .references(() => professionals.id),
    patientId: uuid('patient_id')
      .unique()
      .references(() => patients.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      'users_exactly_one_identity_check',
      sql`(${t.professionalId} is null) <> (${t.patientId} is null)`,
    ),
  ],
);

export const SIGN_IN_PROVIDERS = ['password', 'nhs_login', 'cis2', 'entra'] as const;

/** How a user proves who they are: (provider, subject) names exactly one user. */
export const signInMethods = pgTable(
  'sign_in_methods',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    provider: text('provider', { enum: SIGN_IN_PROVIDERS }).notNull(),
    /** For passwords the lower-cased email; for identity providers their stable subject. */
    subject: text('subject').notNull(),
    passwordHash: text('password_hash'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sign_in_methods_provider_subject_key').on(t.provider, t.subject),
    index('sign_in_methods_user_idx').on(t.userId),
  ],
);

/** Server-side browser sessions. The cookie holds a random token; only its hash is stored. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** How it was opened: 'password' for local accounts; null for other sign-in methods. */
    signInMethod: text('sign_in_method'),
    /**
     * The user must set up an authenticator app before this session may do anything else:
     * their organisation requires it and they signed in with a password (DESIGN C5).
     */
    totpSetupRequired: boolean('totp_setup_required').notNull().default(false),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/**
 * Sign-in attempts, for rate limiting across app instances. The account is stored as a
 * keyed hash of the email so the table holds no address.
 */
export const signInAttempts = pgTable(
  'sign_in_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountKey: text('account_key').notNull(),
    clientAddress: text('client_address').notNull(),
    succeeded: boolean('succeeded').notNull(),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('sign_in_attempts_account_idx').on(t.accountKey, t.attemptedAt),
    index('sign_in_attempts_address_idx').on(t.clientAddress, t.attemptedAt),
  ],
);

/**
 * A user's authenticator app (TOTP, RFC 6238). The shared secret is encrypted at rest; the
 * row is pending until a code proves the user holds it. `lastUsedStep` refuses replays.
 */
export const totpCredentials = pgTable('totp_credentials', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  secretCiphertext: text('secret_ciphertext').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  lastUsedStep: bigint('last_used_step', { mode: 'number' }),
});

/** Single-use recovery codes for a user with an authenticator app; only keyed hashes are kept. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    codeHash: text('code_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('recovery_codes_user_code_key').on(t.userId, t.codeHash)],
);

/**
 * A sign-in half done: the password was right and the second factor is due. The browser
 * holds a random token in a short-lived cookie; only its hash is stored.
 */
export const signInChallenges = pgTable(
  'sign_in_challenges',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sign_in_challenges_user_idx').on(t.userId)],
);

/** How an organisation's staff may sign in; set by its coordinators. No row: no requirement. */
export const organisationSignInPolicies = pgTable('organisation_sign_in_policies', {
  organisationId: uuid('organisation_id')
    .primaryKey()
    .references(() => organisations.id),
  /** Staff who sign in with a password must also use an authenticator app. */
  requireTotp: boolean('require_totp').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});
