import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { conversations } from '../conversations/conversations.schema';
import { organisations, professionals, teams } from '../directory/directory.schema';
import { users } from '../identity/identity.schema';
import { patients } from '../patients/patients.schema';

/** An appointment's status (a subset of FHIR Appointment.status). */
export const APPOINTMENT_STATUSES = ['booked', 'cancelled', 'fulfilled', 'noshow'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** The longest cut-off an organisation may set: 30 days (the contract and the database agree). */
export const MAX_CHANGE_CUTOFF_HOURS = 720;

/**
 * Per organisation: the nominated team that answers appointment conversations (Central
 * Appointments), or none (each clinic answers for its own appointments), and how long
 * before an appointment patients may still ask to change it. `version` counts the saves
 * (no row is version 0), so a save naming a stale one is refused rather than overwriting.
 */
export const appointmentSettings = pgTable(
  'appointment_settings',
  {
    organisationId: uuid('organisation_id')
      .primaryKey()
      .references(() => organisations.id),
    appointmentsTeamId: uuid('appointments_team_id').references(() => teams.id),
    changeCutoffHours: smallint('change_cutoff_hours').notNull().default(72),
    /** A row is there because something saved it, so rows written before versions are 1. */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    check(
      'appointment_settings_change_cutoff_hours_check',
      sql`${t.changeCutoffHours} between 0 and ${sql.raw(String(MAX_CHANGE_CUTOFF_HOURS))}`,
    ),
  ],
);

/** An appointment in one patient's record, for a clinical team, booked by staff or an API client. */
export const appointments = pgTable(
  'appointments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    /** The clinical team the appointment is with. */
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    clinicianProfessionalId: uuid('clinician_professional_id').references(() => professionals.id),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    durationMinutes: smallint('duration_minutes').notNull(),
    location: text('location').notNull(),
    preparation: text('preparation').notNull().default(''),
    status: text('status', { enum: APPOINTMENT_STATUSES }).notNull(),
    /** The appointment's own conversation, started by the first question about it. */
    conversationId: uuid('conversation_id').references(() => conversations.id),
    /** Bumped by every change; updates name the version they change (optimistic concurrency). */
    version: integer('version').notNull().default(1),
    bookedByUserId: uuid('booked_by_user_id')
      .notNull()
      .references(() => users.id),
    /** The team that booked it (Central Appointments acting for the clinical team), if staff. */
    bookedByTeamId: uuid('booked_by_team_id').references(() => teams.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('appointments_patient_idx').on(t.patientId, t.startsAt, t.id),
    index('appointments_team_idx').on(t.teamId, t.startsAt, t.id),
    uniqueIndex('appointments_conversation_key')
      .on(t.conversationId)
      .where(sql`${t.conversationId} is not null`),
    check(
      'appointments_status_check',
      sql`${t.status} in ('booked', 'cancelled', 'fulfilled', 'noshow')`,
    ),
    check('appointments_duration_check', sql`${t.durationMinutes} between 5 and 720`),
  ],
);

/** Every change to an appointment, oldest first: its status history. */
export const appointmentEvents = pgTable(
  'appointment_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    appointmentId: uuid('appointment_id')
      .notNull()
      .references(() => appointments.id),
    patientId: uuid('patient_id').notNull(),
    /** created, rescheduled, updated, cancelled, fulfilled, noshow, change_requested, cancel_requested. */
    kind: text('kind').notNull(),
    /** The fields that changed, before and after. */
    changes: jsonb('changes').$type<Record<string, { from: unknown; to: unknown }>>(),
    reason: text('reason'),
    changedByUserId: uuid('changed_by_user_id').references(() => users.id),
    /** The team staff acted for: what patients and carers are shown instead of a name. */
    changedByTeamId: uuid('changed_by_team_id').references(() => teams.id),
    /** Who changed it as shown then: a name and team, or the integration's name. */
    changedByLabel: text('changed_by_label').notNull(),
    version: integer('version').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('appointment_events_version_key').on(t.appointmentId, t.version)],
);
