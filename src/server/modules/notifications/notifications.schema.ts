import { sql } from 'drizzle-orm';
import { check, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { professionals, teams } from '../directory/directory.schema';

export const NOTIFICATION_MODES = ['immediate', 'digest', 'off'] as const;
export type NotificationMode = (typeof NOTIFICATION_MODES)[number];

/** How a professional hears about a team's messages. No row means immediately. */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    professionalId: uuid('professional_id')
      .notNull()
      .references(() => professionals.id),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id),
    mode: text('mode', { enum: NOTIFICATION_MODES }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.professionalId, t.teamId] }),
    check('notification_preferences_mode_check', sql`${t.mode} in ('immediate', 'digest', 'off')`),
  ],
);
