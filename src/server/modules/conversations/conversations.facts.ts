import { eq, sql, type SQL } from 'drizzle-orm';
import { type Database, queryRows, type Tx } from '../../platform/db/database';
import { conflict, notFound } from '../../platform/http/problem';
import { professionals, teams } from '../directory/directory.schema';
import { careRelationships } from '../patients/patients.schema';
import { users } from '../identity/identity.schema';
import { accessColumns, accessFactsOf } from '../consent/consent.facts';
import type { ConversationFacts } from './conversations.policy';
import { conversationParticipants, conversations } from './conversations.schema';

type Reader = Database | Tx;

export type ConversationRow = typeof conversations.$inferSelect;
export type ParticipantRow = typeof conversationParticipants.$inferSelect;

export interface LoadedConversation {
  conversation: ConversationRow;
  participants: ParticipantRow[];
  facts: ConversationFacts;
  /** The patient's own user, when they have one: who hears of staff replies (N1). */
  patientUserId: string | null;
}

export const conversationNotFound = () =>
  notFound('conversation.not_found', 'Conversation not found');

/**
 * A conversation with its participants and the facts its policy needs. `lock` takes the
 * conversation row FOR UPDATE: changes to one conversation then happen one at a time, which
 * is what keeps message sequences strictly increasing (M6). `at` (the request's clock) also
 * loads the time-limited access — carers, grants, break-glass — judged against it (C1, C2);
 * without it only standing relations count.
 */
export async function loadConversation(
  db: Reader,
  conversationId: string,
  lock = false,
  at?: Date,
): Promise<LoadedConversation> {
  // One round trip: the header, its participants and the patient's care teams. The outer
  // columns are written out in full: Drizzle leaves them unqualified in a one-table select.
  const query = db
    .select({
      conversation: conversations,
      participants: sql<ParticipantJson[] | null>`(
        select json_agg(p) from ${conversationParticipants} p where p.conversation_id = "conversations"."id")`,
      careTeamIds: sql<string[] | null>`(
        select array_agg(cr.team_id::text) from ${careRelationships} cr where cr.patient_id = "conversations"."patient_id")`,
      access: accessColumns(at),
      patientUserId: sql<string | null>`(
        select u.id from ${users} u where u.patient_id = "conversations"."patient_id")`,
    })
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  const [row] = lock ? await query.for('update', { of: conversations }) : await query;
  if (!row) throw conversationNotFound();
  const participants = (row.participants ?? []).map(participantOf);
  return {
    conversation: row.conversation,
    participants,
    patientUserId: row.patientUserId,
    facts: {
      ...factsOf(row.conversation, participants, row.careTeamIds ?? []),
      ...(at ? accessFactsOf(row.access, at) : {}),
    },
  };
}

/** A participant row as json_agg gives it: snake_case keys, timestamps as text. */
interface ParticipantJson {
  id: string;
  conversation_id: string;
  patient_id: string;
  kind: ParticipantRow['kind'];
  team_id: string | null;
  professional_id: string | null;
  user_id: string | null;
  added_by_user_id: string | null;
  joined_at: string;
  left_at: string | null;
  left_seq: number | null;
}

function participantOf(p: ParticipantJson): ParticipantRow {
  return {
    id: p.id,
    conversationId: p.conversation_id,
    patientId: p.patient_id,
    kind: p.kind,
    teamId: p.team_id,
    professionalId: p.professional_id,
    userId: p.user_id,
    addedByUserId: p.added_by_user_id,
    joinedAt: new Date(p.joined_at),
    leftAt: p.left_at === null ? null : new Date(p.left_at),
    leftSeq: p.left_seq,
  };
}

export function factsOf(
  conversation: ConversationRow,
  participants: ParticipantRow[],
  careTeamIds: string[],
): ConversationFacts {
  const active = participants.filter((p) => p.leftAt === null);
  const former = participants.filter((p) => p.leftAt !== null);
  const ids = (rows: ParticipantRow[], key: 'teamId' | 'professionalId') =>
    rows.flatMap((p) => (p[key] ? [p[key]] : []));
  return {
    patientId: conversation.patientId,
    activeTeamIds: ids(active, 'teamId'),
    activeProfessionalIds: ids(active, 'professionalId'),
    formerTeamIds: ids(former, 'teamId'),
    formerProfessionalIds: ids(former, 'professionalId'),
    careTeamIds,
  };
}

/**
 * Whether someone on the staff side still takes part: a team or professional that has not
 * left and is still active. Without one nobody reads what the patient writes, since an
 * inactive team's members no longer see its conversations (W5: no message silently lost).
 * With `lock`, the active team or professional found is read FOR SHARE, which a change of
 * its `active` flag (an UPDATE) must wait for, and which waits for one in flight and then
 * judges the row as that change left it. FOR KEY SHARE would not: an UPDATE of a non-key
 * column does not conflict with it.
 */
export function staffTakePart(
  conversationId: SQL | string,
  { lock = false }: { lock?: boolean } = {},
): SQL<boolean> {
  const staying = (column: 'team_id' | 'professional_id') =>
    sql`select sp.${sql.raw(column)} from ${conversationParticipants} sp
         where sp.conversation_id = ${conversationId} and sp.left_at is null`;
  const share = (alias: string) => (lock ? sql.raw(` limit 1 for share of ${alias}`) : sql``);
  return sql<boolean>`(
    exists (select 1 from ${teams} st
             where st.active and st.id in (${staying('team_id')})${share('st')})
    or exists (select 1 from ${professionals} spr
                where spr.active and spr.id in (${staying('professional_id')})${share('spr')}))`;
}

/**
 * Refuses a patient's or carer's message that nobody on the staff side would read. The
 * team (or professional) that will read it is locked until the message is committed, so
 * making it inactive at the same moment waits for the message, or the message sees the
 * change and is refused (W5). Staff replies never come here, so they take no such lock.
 * Lock order: the conversation (locked by the caller), then team or professional rows.
 */
export async function requireStaffToRead(tx: Tx, conversationId: string): Promise<void> {
  const [row] = await queryRows<{ ok: boolean }>(
    tx,
    sql`select ${staffTakePart(conversationId, { lock: true })} as ok`,
  );
  if (row?.ok) return;
  throw conflict(
    'conversation.nobody_to_read',
    'Nobody can read new messages in this conversation any more. Send a new message instead.',
  );
}
