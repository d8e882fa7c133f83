import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { auditEvents } from '../../platform/audit/audit.schema';
import type { Database } from '../../platform/db/database';
import { decodeCursor, encodeCursor, invalidCursor } from '../../platform/http/cursor';
import type { PatientActor } from '../identity/actor';

/** Audit actions a patient sees on "Who has seen my record", in plain words. */
const PLAIN_WORDS: Record<string, string> = {
  'patient.read': 'Looked at your details',
  'record.conversations_listed': 'Looked at the list of your conversations',
  'conversation.read': 'Read a conversation',
  'conversation.joined': 'Joined a conversation',
  'conversation.participant_added': 'Brought someone into a conversation',
  'patient.created': 'Registered you',
  'care_relationship.set': 'Gave a team access to your record',
  'care_relationship.ended': 'Ended a team’s access to your record',
};

/**
 * Who else read or opened the patient's record, newest first. Team workflow (who is
 * assigned) is not shown: that is for the team only (W2).
 */
export async function getAccessLog(
  db: Database,
  patient: PatientActor,
  page: { cursor?: string; limit: number },
) {
  const after = decodeCursor(page.cursor, 2);
  if (page.cursor !== undefined && (after === null || !/^\d+$/.test(after[0] ?? ''))) {
    throw invalidCursor();
  }
  const rows = await db
    .select({
      id: auditEvents.id,
      at: auditEvents.occurredAt,
      who: auditEvents.actorLabel,
      action: auditEvents.action,
    })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.patientId, patient.patientId),
        eq(auditEvents.outcome, 'success'),
        inArray(auditEvents.action, Object.keys(PLAIN_WORDS)),
        sql`${auditEvents.actorUserId} is distinct from ${patient.userId}`,
        after ? sql`${auditEvents.id} < ${Number(after[0])}` : undefined,
      ),
    )
    .orderBy(desc(auditEvents.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return {
    items: items.map((row) => ({
      at: row.at.toISOString(),
      who: row.who,
      what: PLAIN_WORDS[row.action] ?? row.action,
    })),
    nextCursor:
      rows.length > page.limit && last ? encodeCursor([String(last.id), patient.patientId]) : null,
  };
}
