import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { conversations } from '../conversations/conversations.schema';
import { organisations, professionals, teams } from '../directory/directory.schema';
import { users } from '../identity/identity.schema';
import { patients } from '../patients/patients.schema';

/** What a carer may do: read the patient's conversations, or read and write in them (C1). */
export const CARER_LEVELS = ['view', 'message'] as const;
export type CarerLevel = (typeof CARER_LEVELS)[number];

export const INVITATION_STATUSES = ['pending', 'accepted', 'cancelled'] as const;

/**
 * A patient's invitation to a carer. The code the patient hands to the carer is stored only
 * as its SHA-256; the invitation itself lapses at `expires_at` if nobody accepts it.
 */
export const carerInvitations = pgTable(
  'carer_invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    /** Where the "you have been invited" notice goes; never shown to anyone but the patient. */
    email: text('email').notNull(),
    level: text('level', { enum: CARER_LEVELS }).notNull(),
    /** When the consent will end once accepted; null: until revoked. */
    consentEndsAt: timestamp('consent_ends_at', { withTimezone: true }),
    tokenHash: text('token_hash').notNull(),
    status: text('status', { enum: INVITATION_STATUSES }).notNull().default('pending'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    invitedByUserId: uuid('invited_by_user_id')
      .notNull()
      .references(() => users.id),
    /** Set when staff recorded the patient's consent from a witnessed paper form. */
    recordedByProfessionalId: uuid('recorded_by_professional_id').references(
      () => professionals.id,
    ),
    witnessedBy: text('witnessed_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('carer_invitations_token_hash_key').on(t.tokenHash),
    index('carer_invitations_patient_idx').on(t.patientId, t.createdAt),
    check('carer_invitations_level_check', sql`${t.level} in ('view', 'message')`),
  ],
);

/**
 * A patient's consent to a carer (C1): active from `starts_at` until `ends_at` (if any) or
 * `revoked_at`, whichever comes first. Checked against the request's clock on every request.
 */
export const carerConsents = pgTable(
  'carer_consents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    /** The carer's own account and record: a carer is a patient user too. */
    carerUserId: uuid('carer_user_id')
      .notNull()
      .references(() => users.id),
    carerPatientId: uuid('carer_patient_id')
      .notNull()
      .references(() => patients.id),
    level: text('level', { enum: CARER_LEVELS }).notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedByUserId: uuid('revoked_by_user_id').references(() => users.id),
    invitationId: uuid('invitation_id').references(() => carerInvitations.id),
    recordedByProfessionalId: uuid('recorded_by_professional_id').references(
      () => professionals.id,
    ),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // One consent per patient and carer that has not been revoked; a new one replaces it.
    uniqueIndex('carer_consents_open_key')
      .on(t.patientId, t.carerUserId)
      .where(sql`${t.revokedAt} is null`),
    index('carer_consents_carer_idx').on(t.carerUserId),
    index('carer_consents_patient_idx').on(t.patientId),
    check('carer_consents_level_check', sql`${t.level} in ('view', 'message')`),
    check('carer_consents_period_check', sql`${t.endsAt} is null or ${t.endsAt} > ${t.startsAt}`),
  ],
);

/** Conversations the patient has marked private from carers (C1). A row means private. */
export const privateConversations = pgTable('private_conversations', {
  conversationId: uuid('conversation_id')
    .primaryKey()
    .references(() => conversations.id),
  patientId: uuid('patient_id').notNull(),
  markedByUserId: uuid('marked_by_user_id')
    .notNull()
    .references(() => users.id),
  markedAt: timestamp('marked_at', { withTimezone: true }).notNull(),
});

/** A patient's time-limited grant of record access to a team (C2), e.g. PALS for 7 days. */
export const recordAccessGrants = pgTable(
  'record_access_grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    /** The conversation the patient shared from, when they did. */
    conversationId: uuid('conversation_id').references(() => conversations.id),
    grantedByUserId: uuid('granted_by_user_id')
      .notNull()
      .references(() => users.id),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedByUserId: uuid('revoked_by_user_id').references(() => users.id),
  },
  (t) => [
    index('record_access_grants_patient_idx').on(t.patientId, t.expiresAt),
    check('record_access_grants_period_check', sql`${t.expiresAt} > ${t.startsAt}`),
  ],
);

export const BREAK_GLASS_REASONS = [
  'emergency_care',
  'urgent_clinical_query',
  'safeguarding',
  'patient_asked_in_person',
  'other',
] as const;
export type BreakGlassReason = (typeof BREAK_GLASS_REASONS)[number];

/**
 * A professional's emergency access to a record they have no other access to: until
 * `expires_at` (at most four hours, never past the session) and only while the session it
 * was opened in lasts. Reviewed afterwards by a coordinator of the organisation.
 */
export const breakGlassSessions = pgTable(
  'break_glass_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    professionalId: uuid('professional_id')
      .notNull()
      .references(() => professionals.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    /** The sign-in session (its token hash): signing out ends the access. */
    sessionTokenHash: text('session_token_hash').notNull(),
    reason: text('reason', { enum: BREAK_GLASS_REASONS }).notNull(),
    detail: text('detail').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewedByProfessionalId: uuid('reviewed_by_professional_id').references(
      () => professionals.id,
    ),
  },
  (t) => [
    index('break_glass_sessions_patient_idx').on(t.patientId, t.expiresAt),
    index('break_glass_sessions_organisation_idx').on(t.organisationId, t.startedAt),
    check(
      'break_glass_sessions_period_check',
      sql`${t.expiresAt} > ${t.startedAt} and ${t.expiresAt} <= ${t.startedAt} + interval '4 hours'`,
    ),
  ],
);
