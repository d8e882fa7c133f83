import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { professionals, teams } from '../directory/directory.schema';
import { users } from '../identity/identity.schema';
import { patients } from '../patients/patients.schema';

export const AUTHOR_KINDS = ['patient', 'professional', 'carer'] as const;
export type AuthorKind = (typeof AUTHOR_KINDS)[number];
export const PARTICIPANT_KINDS = ['patient', 'team', 'professional', 'carer'] as const;
export type ParticipantKind = (typeof PARTICIPANT_KINDS)[number];

/** A thread in exactly one patient's record (the header; messages point to it). */
export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    subject: text('subject').notNull(),
    createdByUserId: uuid('created_by_user_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** The sequence of the newest message; the next message takes this plus one (M6). */
    lastMessageSeq: integer('last_message_seq').notNull().default(0),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('conversations_patient_idx').on(t.patientId, t.lastMessageAt)],
);

/** Immutable messages (M3): there is no update or delete path. */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    patientId: uuid('patient_id').notNull(),
    seq: integer('seq').notNull(),
    authorUserId: uuid('author_user_id')
      .notNull()
      .references(() => users.id),
    authorKind: text('author_kind', { enum: AUTHOR_KINDS }).notNull(),
    authorProfessionalId: uuid('author_professional_id').references(() => professionals.id),
    /** The author's name and role as shown then. */
    authorLabel: text('author_label').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /**
     * When, and by whom (name and role as shown then), its author said it was sent in error:
     * from then on nobody reads its text; it stays for investigation (decision 0021).
     */
    enteredInErrorAt: timestamp('entered_in_error_at', { withTimezone: true }),
    enteredInErrorBy: text('entered_in_error_by'),
  },
  (t) => [uniqueIndex('messages_conversation_seq_key').on(t.conversationId, t.seq)],
);

/**
 * Who takes part. A row ends (left_at, left_seq) rather than disappearing, so a leaver keeps
 * what they saw up to leaving (M3); rejoining adds a new row.
 */
export const conversationParticipants = pgTable(
  'conversation_participants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    patientId: uuid('patient_id').notNull(),
    kind: text('kind', { enum: PARTICIPANT_KINDS }).notNull(),
    teamId: uuid('team_id').references(() => teams.id),
    professionalId: uuid('professional_id').references(() => professionals.id),
    userId: uuid('user_id').references(() => users.id),
    addedByUserId: uuid('added_by_user_id').references(() => users.id),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull(),
    leftAt: timestamp('left_at', { withTimezone: true }),
    /** The last message sequence the participant could see before leaving. */
    leftSeq: integer('left_seq'),
  },
  (t) => [
    index('conversation_participants_conversation_idx').on(t.conversationId),
    index('conversation_participants_professional_idx')
      .on(t.professionalId)
      .where(sql`${t.professionalId} is not null`),
    uniqueIndex('conversation_participants_active_team_key')
      .on(t.conversationId, t.teamId)
      .where(sql`${t.leftAt} is null and ${t.teamId} is not null`),
    uniqueIndex('conversation_participants_active_professional_key')
      .on(t.conversationId, t.professionalId)
      .where(sql`${t.leftAt} is null and ${t.professionalId} is not null`),
    check(
      'conversation_participants_kind_check',
      sql`(${t.kind} = 'team') = (${t.teamId} is not null) and (${t.kind} = 'professional') = (${t.professionalId} is not null)`,
    ),
  ],
);

/**
 * A participating team's work on a conversation (a FHIR Task): who holds it, whether it is
 * complete, and since when the patient has been waiting for this team. One row per
 * conversation and active participating team; it is the inbox's source of truth.
 */
export const conversationTeamStates = pgTable(
  'conversation_team_states',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    patientId: uuid('patient_id').notNull(),
    assigneeProfessionalId: uuid('assignee_professional_id').references(() => professionals.id),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    /** The newest message from outside the team (W5). */
    lastOutsideMessageAt: timestamp('last_outside_message_at', { withTimezone: true }),
    /** The oldest outside message the team has not yet answered; null when not waiting. */
    waitingSince: timestamp('waiting_since', { withTimezone: true }),
    /**
     * When the team's current round of work started, if not with the conversation: the team
     * was brought in (or back) later, or its work came back from Archived (W4, a reopen).
     * Completion times are measured from it (workload.measures.ts).
     */
    roundStartedAt: timestamp('round_started_at', { withTimezone: true }),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.teamId] }),
    // Unassigned view, oldest waiting first: the inbox's hottest query.
    index('conversation_team_states_unassigned_idx')
      .on(t.teamId, sql`coalesce(${t.waitingSince}, 'infinity'::timestamptz)`, t.conversationId)
      .where(sql`${t.archivedAt} is null and ${t.assigneeProfessionalId} is null`),
    index('conversation_team_states_assigned_idx')
      .on(t.teamId, t.assigneeProfessionalId, t.conversationId)
      .where(sql`${t.archivedAt} is null and ${t.assigneeProfessionalId} is not null`),
    index('conversation_team_states_team_activity_idx').on(t.teamId, t.lastActivityAt),
    index('conversation_team_states_archived_idx')
      .on(t.teamId, t.archivedAt)
      .where(sql`${t.archivedAt} is not null`),
  ],
);

/**
 * How many conversations each team has in each inbox bucket: `unassigned`, `archived`, or
 * the assignee's professional id for open, assigned work. Kept by a trigger on
 * `conversation_team_states` (migration 0006, `team_inbox_bucket`), so a team's counts are a
 * few rows to read instead of its whole open work to count.
 */
export const teamInboxCounts = pgTable(
  'team_inbox_counts',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    bucket: text('bucket').notNull(),
    conversations: integer('conversations').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.bucket] })],
);

/** Per-person read state (W6): how far each user has read each conversation. */
export const conversationReads = pgTable(
  'conversation_reads',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    patientId: uuid('patient_id').notNull(),
    lastReadSeq: integer('last_read_seq').notNull(),
    readAt: timestamp('read_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.conversationId] }),
    index('conversation_reads_conversation_idx').on(t.conversationId),
  ],
);
