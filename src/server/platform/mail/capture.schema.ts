import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Emails received by the demo capture (the embedded SMTP server used when no SMTP_URL is
 * set), shown by the development mailbox. In the database so every app instance, and every
 * restart, sees the same mailbox. They hold no patient data: emails never do (DESIGN N2).
 */
export const capturedEmails = pgTable(
  'captured_emails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    messageId: text('message_id').notNull(),
    fromAddress: text('from_address').notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('captured_emails_received_idx').on(t.receivedAt.desc(), t.id.desc())],
);

export type CapturedEmail = typeof capturedEmails.$inferSelect;
