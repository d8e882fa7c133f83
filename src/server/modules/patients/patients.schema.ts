import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { organisations, professionals, teams } from '../directory/directory.schema';
import { integrationClients } from '../integrations/integrations.schema';

export const IDENTITY_LEVELS = ['P5', 'P9'] as const;
export type IdentityLevel = (typeof IDENTITY_LEVELS)[number];

export const patients = pgTable(
  'patients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    nhsNumber: text('nhs_number').notNull().unique(),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    dateOfBirth: date('date_of_birth', { mode: 'string' }).notNull(),
    email: text('email'),
    identityLevel: text('identity_level', { enum: IDENTITY_LEVELS }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('patients_identity_level_check', sql`${t.identityLevel} in ('P5', 'P9')`),
    check('patients_nhs_number_format_check', sql`${t.nhsNumber} ~ '^[0-9]{10}$'`),
  ],
);

/** The organisations a patient is registered with: whose contactable teams they may write to. */
export const patientRegistrations = pgTable(
  'patient_registrations',
  {
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.patientId, t.organisationId] })],
);

/** A team's standing right to read a patient's record (DESIGN C2), set by coordinators. */
export const careRelationships = pgTable(
  'care_relationships',
  {
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    createdByProfessionalId: uuid('created_by_professional_id').references(() => professionals.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.patientId] }),
    // Every conversation read and write asks which teams have access to its patient.
    index('care_relationships_patient_idx').on(t.patientId),
  ],
);

/** What a lookup by NHS number found, without the number: who asked, when, and the outcome. */
export const PATIENT_LOOKUP_OUTCOMES = ['found', 'refused', 'none'] as const;

/**
 * Every lookup by NHS number, by a person (findPatientByNhsNumber) or a connected system (FHIR
 * Patient search), kept so that lookups can be limited per person and per system, and so that
 * one that finds nothing does some of the work of one that finds a record (the two still
 * differ by the audit event written for a record). It holds no NHS number and no patient;
 * rows older than the window are deleted as the looker makes the next lookup.
 */
export const patientLookups = pgTable(
  'patient_lookups',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    professionalId: uuid('professional_id').references(() => professionals.id),
    integrationClientId: uuid('integration_client_id').references(() => integrationClients.id),
    lookedUpAt: timestamp('looked_up_at', { withTimezone: true }).notNull(),
    outcome: text('outcome', { enum: PATIENT_LOOKUP_OUTCOMES }).notNull(),
  },
  (t) => [
    index('patient_lookups_professional_idx').on(t.professionalId, t.lookedUpAt),
    index('patient_lookups_integration_client_idx').on(t.integrationClientId, t.lookedUpAt),
    check(
      'patient_lookups_one_looker_check',
      sql`(${t.professionalId} is null) <> (${t.integrationClientId} is null)`,
    ),
    check('patient_lookups_outcome_check', sql`${t.outcome} in ('found', 'refused', 'none')`),
  ],
);
