import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../src/server/platform/db/database';
import { createSmtpMailer, type SmtpMailer } from '../src/server/platform/mail/mailer';
import {
  type ReceivedEmail,
  type SmtpReceiver,
  startSmtpReceiver,
} from '../src/server/platform/mail/receiver';
import {
  type NotificationWorker,
  startNotificationWorker,
} from '../src/server/modules/notifications/notifications.worker';
import type { TestApp } from './test-app';

/**
 * Helpers for notification tests: a real SMTP receiver on loopback with a real mailer
 * pointed at it, the notification worker on the test clock, and the outbox as stored.
 */

export interface Mailbox {
  /** Every email the receiver accepted, in order, duplicates included. */
  emails: ReceivedEmail[];
  mailer: SmtpMailer;
  receiver: SmtpReceiver;
  port: number;
  /** Emails addressed to one address. */
  to(address: string): ReceivedEmail[];
  /** Stops the receiver: the port then refuses connections. */
  stop(): Promise<void>;
  /** Starts the receiver again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startMailbox(mailFrom: string): Promise<Mailbox> {
  const emails: ReceivedEmail[] = [];
  const onMessage = async (email: ReceivedEmail) => {
    emails.push(email);
  };
  let receiver: SmtpReceiver | null = await startSmtpReceiver({ onMessage });
  const port = receiver.port;
  const mailer = createSmtpMailer({
    smtpUrl: receiver.url,
    mailFrom,
    // A refused or dead server fails a send quickly, so retries are tested, not waited for.
    timeouts: { connection: 2_000, greeting: 2_000, socket: 5_000 },
  });
  const box: Mailbox = {
    emails,
    mailer,
    get receiver() {
      if (!receiver) throw new Error('the receiver is stopped');
      return receiver;
    },
    port,
    to: (address) => emails.filter((e) => e.to.toLowerCase() === address.toLowerCase()),
    stop: async () => {
      await receiver?.close();
      receiver = null;
    },
    restart: async () => {
      receiver ??= await startSmtpReceiver({ onMessage, port });
    },
    close: async () => {
      mailer.close();
      await receiver?.close();
      receiver = null;
    },
  };
  return box;
}

/** The notification worker on the app's database and test clock, sending through `mailer`. */
export function worker(t: TestApp, mailer: SmtpMailer): NotificationWorker {
  return startNotificationWorker({
    db: t.db,
    clock: t.clock.now,
    mailer,
    publicUrl: t.deps.config.publicUrl,
    mailFrom: t.deps.config.mailFrom,
  });
}

export interface StoredOutboxRow {
  id: number;
  kind: string;
  event_key: string;
  recipient_user_id: string;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  dropped_reason: string | null;
  payload: Record<string, string>;
}

/** Outbox rows as stored, optionally for one message's notifications. */
export async function outboxRows(
  db: Database,
  filter: { messageId?: string; kind?: string } = {},
): Promise<StoredOutboxRow[]> {
  const rows = await queryRows<StoredOutboxRow>(
    db,
    sql`select id, kind, event_key, recipient_user_id, status, attempts, next_attempt_at,
               last_error, dropped_reason, payload
          from outbox
         where (${filter.messageId ?? null}::text is null or payload ->> 'messageId' = ${filter.messageId ?? null}::text)
           and (${filter.kind ?? null}::text is null or kind = ${filter.kind ?? null}::text)
         order by id`,
  );
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    attempts: Number(r.attempts),
    next_attempt_at: new Date(r.next_attempt_at),
  }));
}

export async function outboxCount(db: Database): Promise<number> {
  const rows = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from outbox`);
  return Number(rows[0]?.n ?? 0);
}

/** The user id behind a professional or patient (the outbox's recipient). */
export async function userIdOf(
  db: Database,
  who: { professionalId: string } | { patientId: string },
): Promise<string> {
  const rows = await queryRows<{ id: string }>(
    db,
    'professionalId' in who
      ? sql`select id from users where professional_id = ${who.professionalId}`
      : sql`select id from users where patient_id = ${who.patientId}`,
  );
  const id = rows[0]?.id;
  if (!id) throw new Error('no user');
  return id;
}

/** The newest message of a conversation, as stored. */
export async function latestMessage(
  db: Database,
  conversationId: string,
): Promise<{ id: string; seq: number }> {
  const rows = await queryRows<{ id: string; seq: number }>(
    db,
    sql`select id, seq from messages where conversation_id = ${conversationId}
         order by seq desc limit 1`,
  );
  const row = rows[0];
  if (!row) throw new Error('no message');
  return { id: row.id, seq: Number(row.seq) };
}

/** Waits until `check` passes or the bound runs out, then fails with `what`. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what: string,
  boundMs = 2_000,
): Promise<T> {
  const until = Date.now() + boundMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`not within ${boundMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
