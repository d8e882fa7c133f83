import { sql } from 'drizzle-orm';
import {
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
