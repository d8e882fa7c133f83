import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { auditEvents } from '../../platform/audit/audit.schema';
import type { Database } from '../../platform/db/database';
import { encodeCursor, readCursor } from '../../platform/http/cursor';
import { toCsv } from '../../platform/http/csv';
import { UUID_PATTERN } from '../../platform/http/routes';
import { conversations } from '../conversations/conversations.schema';
import { teams } from '../directory/directory.schema';
import type { PatientActor } from '../identity/actor';

/** Reads by others, in plain words: "Who has seen my record" (C4). */
export const READS: Record<string, string> = {
  'patient.read': 'Looked at your details',
  'patient.looked_up': 'Found your record by your NHS number',
  'record.conversations_listed': 'Looked at the list of your conversations',
  'conversation.read': 'Read a conversation',
  'conversation.joined': 'Joined a conversation',
  'conversation.participant_added': 'Brought someone into a conversation',
  'record.documents_listed': 'Looked at the list of your documents',
  'document.read': 'Looked at a document',
  'document.downloaded': 'Opened or downloaded a document',
  'appointment.listed': 'Looked at the list of your appointments',
  'appointment.read': 'Looked at an appointment',
  'record.carers_listed': 'Looked at who your carers are',
  'carer.read': 'Looked at one of your carers',
  'record.carer_consents_listed': 'Looked at what your carers may do',
  'record.carers_and_invitations_listed':
    'Looked at who your carers are and your carer invitations from paper forms',
  'carer.consent_read': 'Looked at what one of your carers may do',
  'record.care_teams_listed': 'Looked at which teams look after you',
  'care_team.read': 'Looked at one of the teams that look after you',
  'record.audit_read': 'Looked at who has seen your record',
};

/** Every consent and access change, whoever made it — the patient included. */
export const CHANGES: Record<string, string> = {
  'patient.created': 'Registered you',
  'care_relationship.set': 'Gave a team access to your record',
  'care_relationship.ended': 'Ended a team’s access to your record',
  'carer.invited': 'Invited a carer',
  'carer.invitation_cancelled': 'Cancelled a carer invitation',
  'carer.consent_given': 'Became your carer',
  'carer.consent_revoked': 'Ended a carer’s consent',
  'record_access.granted': 'Shared your record with a team',
  'record_access.revoked': 'Stopped sharing your record with a team',
  'record.break_glass': 'Used emergency access to your record',
  'record.break_glass_reviewed': 'Reviewed an emergency access to your record',
  'conversation.made_private': 'Made a conversation private from carers',
  'conversation.shared_with_carers': 'Shared a conversation with carers again',
  'conversation.carer_copied_in': 'Copied a carer into a conversation',
  'document.upload_completed': 'Added a document to your record',
  'document.attached': 'Sent a document with a message',
  'document.entered_in_error': 'Removed a document that was added in error',
  'message.entered_in_error': 'Removed a message that was sent in error',
  'appointment.created': 'Booked an appointment',
  'appointment.updated': 'Changed an appointment',
  'appointment.cancelled': 'Cancelled an appointment',
};

export const BASIS: Record<string, string> = {
  care_relationship: 'Their team looks after you (care relationship)',
  record_grant: 'You shared your record with their team',
  break_glass: 'Emergency access (break-glass)',
  carer_consent: 'You agreed to them being your carer',
  participant: 'Their team takes part in the conversation',
  former_participant: 'Their team took part in the conversation',
  coordinator: 'They run an organisation you are registered with',
  connected_system: 'A computer system of an organisation whose team looks after you',
};

export const BREAK_GLASS_REASON_WORDS: Record<string, string> = {
  emergency_care: 'emergency care',
  urgent_clinical_query: 'an urgent clinical question',
  safeguarding: 'safeguarding',
  patient_asked_in_person: 'you asked in person',
  other: 'another reason',
};

export interface AccessLogEntry {
  at: string;
  who: string;
  team: string | null;
  what: string;
  why: string;
  /** The conversation it was about, by its subject: the patient's own words, shown to them. */
  subject: string | null;
}

function whyOf(details: Record<string, unknown>): string {
  const wordsFor = (words: Record<string, string>, key: unknown) =>
    typeof key === 'string' && Object.hasOwn(words, key) ? words[key] : undefined;
  const basis = wordsFor(BASIS, details.basis);
  const reason = wordsFor(BREAK_GLASS_REASON_WORDS, details.reason);
  if (reason) return `${BASIS.break_glass}: ${reason}`;
  if (details.onBehalfOfPatient === true) {
    if (details.paperInvitationCancelled === true) {
      return 'Cancelled for you by staff: the invitation was recorded from your paper form';
    }
    if (typeof details.withdrawalWitnessedBy === 'string') {
      return `Recorded for you by staff when you asked, witnessed by ${details.withdrawalWitnessedBy}`;
    }
    const witness =
      typeof details.paperFormWitnessedBy === 'string'
        ? `, witnessed by ${details.paperFormWitnessedBy}`
        : '';
    return `Recorded for you by staff from a signed paper form${witness}`;
  }
  return basis ?? '';
}

/** The conversation an event was about: its entity, or the conversation named in its details. */
const aboutConversation = sql`coalesce(
  case when ${auditEvents.entityType} = 'conversation' then ${auditEvents.entityId} end,
  ${auditEvents.details} ->> 'conversationId')`;

/**
 * Who read or opened the patient's record and every change to its consents and access,
 * newest first: who (name, role, team), what, when and why. Team workflow (who is
 * assigned) is not shown: that is for the team only (W2).
 */
export async function getAccessLog(
  db: Database,
  patient: PatientActor,
  page: { cursor?: string; limit: number },
): Promise<{ items: AccessLogEntry[]; nextCursor: string | null }> {
  // An audit id: digits, and no more than a number holds (a longer one would reach the
  // database's bigint as a 500).
  const after = readCursor(
    page.cursor,
    2,
    ([id = '']) => /^\d+$/.test(id) && Number.isSafeInteger(Number(id)),
  );
  const rows = await db
    .select({
      id: auditEvents.id,
      at: auditEvents.occurredAt,
      who: auditEvents.actorLabel,
      actorUserId: auditEvents.actorUserId,
      action: auditEvents.action,
      details: auditEvents.details,
      teamName: teams.name,
      // One key lookup per row: compared as text, the join would scan every conversation.
      subject: sql<string | null>`(select ${conversations.subject} from ${conversations}
        where ${conversations.id} = case when ${aboutConversation} ~ ${UUID_PATTERN}
                                         then (${aboutConversation})::uuid end)`,
    })
    .from(auditEvents)
    .leftJoin(teams, sql`${teams.id}::text = ${auditEvents.details} ->> 'teamId'`)
    .where(
      and(
        eq(auditEvents.patientId, patient.patientId),
        eq(auditEvents.outcome, 'success'),
        or(
          and(
            inArray(auditEvents.action, Object.keys(READS)),
            sql`${auditEvents.actorUserId} is distinct from ${patient.userId}`,
          ),
          inArray(auditEvents.action, Object.keys(CHANGES)),
        ),
        // A file chosen for a message is not in the record until the message is sent.
        sql`(${auditEvents.details} ->> 'draft') is distinct from 'true'`,
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
      who: row.actorUserId === patient.userId ? 'You' : row.who,
      team: row.teamName,
      what: READS[row.action] ?? CHANGES[row.action] ?? row.action,
      why: whyOf(row.details),
      subject: row.subject,
    })),
    nextCursor:
      rows.length > page.limit && last ? encodeCursor([String(last.id), patient.patientId]) : null,
  };
}

/** At most this many rows go into one download. */
const CSV_MAX_ROWS = 10_000;

/** The whole log as CSV; cells a spreadsheet would run as formulas are made inert. */
export async function accessLogCsv(db: Database, patient: PatientActor): Promise<string> {
  const { items } = await getAccessLog(db, patient, { limit: CSV_MAX_ROWS });
  return toCsv([
    ['When', 'Who', 'Team', 'What', 'Conversation', 'Why'],
    ...items.map((i) => [i.at, i.who, i.team ?? '', i.what, i.subject ?? '', i.why]),
  ]);
}
