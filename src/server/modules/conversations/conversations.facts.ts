import { eq } from 'drizzle-orm';
import type { Database, Tx } from '../../platform/db/database';
import { notFound } from '../../platform/http/problem';
import { careRelationships } from '../patients/patients.schema';
import type { ConversationFacts } from './conversations.policy';
import { conversationParticipants, conversations } from './conversations.schema';

type Reader = Database | Tx;

export type ConversationRow = typeof conversations.$inferSelect;
export type ParticipantRow = typeof conversationParticipants.$inferSelect;

export interface LoadedConversation {
  conversation: ConversationRow;
  participants: ParticipantRow[];
  facts: ConversationFacts;
}

export const conversationNotFound = () =>
  notFound('conversation.not_found', 'Conversation not found');

/**
 * A conversation with its participants and the facts its policy needs. `lock` takes the
 * conversation row FOR UPDATE: changes to one conversation then happen one at a time, which
 * is what keeps message sequences strictly increasing (M6).
 */
export async function loadConversation(
  db: Reader,
  conversationId: string,
  lock = false,
): Promise<LoadedConversation> {
  const query = db.select().from(conversations).where(eq(conversations.id, conversationId));
  const [conversation] = lock ? await query.for('update') : await query;
  if (!conversation) throw conversationNotFound();
  const participants = await db
    .select()
    .from(conversationParticipants)
    .where(eq(conversationParticipants.conversationId, conversationId));
  const careTeams = await db
    .select({ teamId: careRelationships.teamId })
    .from(careRelationships)
    .where(eq(careRelationships.patientId, conversation.patientId));
  return {
    conversation,
    participants,
    facts: factsOf(
      conversation,
      participants,
      careTeams.map((c) => c.teamId),
    ),
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
