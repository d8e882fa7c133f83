import { sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/database';
import { ukDate, ukParts } from '../../platform/time/uk-time';

/** Default wait before the one reminder for an unread message (N3): a day. */
export const REMINDER_DELAY_MS = 24 * 60 * 60 * 1000;
/**
 * Daily digests go out from this hour on, UK time (Europe/London): 07:00 GMT in winter and
 * 07:00 BST in summer, which is 06:00 UTC. Staff read the clock on the wall, not UTC.
 */
export const DIGEST_HOUR_UK = 7;
/** Reminders are not created for notifications older than this: a restart after a long outage sends no flood. */
const REMINDER_HORIZON_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Queues one reminder for each sent notification whose message is still unread after the
 * delay (N3). The outbox's unique (kind, event, recipient) key makes it never more than one.
 */
export async function scheduleReminders(
  db: Database,
  now: Date,
  delayMs = REMINDER_DELAY_MS,
): Promise<void> {
  const due = new Date(now.getTime() - delayMs);
  const horizon = new Date(due.getTime() - REMINDER_HORIZON_MS);
  await db.execute(sql`
    insert into outbox (kind, event_key, recipient_user_id, payload, status, attempts, next_attempt_at, created_at)
    select 'message.reminder', o.event_key, o.recipient_user_id, o.payload, 'pending', 0, ${now}, ${now}
      from outbox o
      join messages m on m.id = (o.payload ->> 'messageId')::uuid
      left join conversation_reads r
             on r.user_id = o.recipient_user_id and r.conversation_id = m.conversation_id
     where o.kind = 'message.notify' and o.status = 'sent'
       and o.sent_at <= ${due} and o.sent_at > ${horizon}
       and coalesce(r.last_read_seq, 0) < m.seq
    on conflict do nothing`);
}

/**
 * Queues today's digest for everyone who chose a daily digest for any team, once a UK day:
 * the key is the UK date, so the hour between midnight UTC and midnight BST (or the other
 * way round) never makes a second digest or skips one.
 */
export async function scheduleDigests(db: Database, now: Date): Promise<void> {
  if (ukHour(now) < DIGEST_HOUR_UK) return;
  const day = ukDate(now);
  await db.execute(sql`
    insert into outbox (kind, event_key, recipient_user_id, payload, status, attempts, next_attempt_at, created_at)
    select distinct 'digest', ${`digest:${day}`}, u.id, '{}'::jsonb, 'pending', 0, ${now}::timestamptz, ${now}::timestamptz
      from notification_preferences np
      join users u on u.professional_id = np.professional_id
     where np.mode = 'digest'
    on conflict do nothing`);
}

function ukHour(instant: Date): number {
  return Number(ukParts(instant).time.slice(0, 2));
}
