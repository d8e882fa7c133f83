import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const ROLES = ['member', 'manager', 'coordinator'] as const;
export type Role = (typeof ROLES)[number];

export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** One open period of a team's week; days with no entry are closed. */
export interface OpeningPeriod {
  day: Weekday;
  opens: string;
  closes: string;
}

export const organisations = pgTable('organisations', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const teams = pgTable(
  'teams',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    name: text('name').notNull(),
    /** Public address of the team's page: /t/<slug>. Unique across organisations. */
    slug: text('slug').notNull().unique(),
    description: text('description').notNull().default(''),
    contactable: boolean('contactable').notNull(),
    phone: text('phone'),
    openingHours: jsonb('opening_hours').$type<OpeningPeriod[]>().notNull().default([]),
    /** What the team's page promises: a reply within this many working days; null says nothing. */
    replyWithinWorkingDays: smallint('reply_within_working_days'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('teams_organisation_name_idx').on(t.organisationId, t.name, t.id),
    check(
      'teams_reply_within_working_days_check',
      sql`${t.replyWithinWorkingDays} between 1 and 20`,
    ),
  ],
);

export const professionals = pgTable(
  'professionals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The organisation that employs them; memberships may span organisations. */
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    name: text('name').notNull(),
    jobTitle: text('job_title').notNull(),
    email: text('email').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('professionals_email_key').on(sql`lower(${t.email})`),
    index('professionals_organisation_name_idx').on(t.organisationId, t.name, t.id),
  ],
);

export const teamMemberships = pgTable(
  'team_memberships',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    professionalId: uuid('professional_id')
      .notNull()
      .references(() => professionals.id),
    role: text('role', { enum: ROLES }).notNull(),
    /** Whether patients may address this professional directly. */
    contactable: boolean('contactable').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.professionalId] }),
    index('team_memberships_professional_idx').on(t.professionalId),
    check('team_memberships_role_check', sql`${t.role} in ('member', 'manager', 'coordinator')`),
  ],
);

export const escalationPathwaySteps = pgTable(
  'escalation_pathway_steps',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    position: smallint('position').notNull(),
    /** 2 = second line, 3 = third line. */
    line: smallint('line').notNull(),
    targetTeamId: uuid('target_team_id').references(() => teams.id),
    targetProfessionalId: uuid('target_professional_id').references(() => professionals.id),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.position] }),
    check('escalation_pathway_steps_line_check', sql`${t.line} in (2, 3)`),
    check(
      'escalation_pathway_steps_one_target_check',
      sql`(${t.targetTeamId} is null) <> (${t.targetProfessionalId} is null)`,
    ),
  ],
);
