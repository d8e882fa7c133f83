import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database';
import { professionals, teams } from '../directory/directory.schema';
import type { ParticipantRow } from './conversations.facts';
import { conversationParticipants } from './conversations.schema';

/**
 * Professionals a patient, or a carer writing for them, chose by name when they wrote (M1).
 * The patient already knows who they wrote to, so these are named to the patient's side from
 * the start; other staff only once they have written (issue 3 §6). Staff add people later
 * (M2), so "added by the patient's side" is "addressed when the patient's side started it".
 */
export function addressedByPatientSide(
  participant: ParticipantRow,
  participants: ParticipantRow[],
): boolean {
  if (participant.kind !== 'professional') return false;
  return participants.some(
    (p) =>
      (p.kind === 'patient' || p.kind === 'carer') &&
      p.userId !== null &&
      p.userId === participant.addedByUserId,
  );
}

/**
 * For a page of conversations: conversation id → the professionals addressed who still take
 * part (as the teams beside them are those still taking part).
 */
export async function addressedProfessionals(
  tx: Tx,
  conversationIds: string[],
): Promise<Map<string, { id: string; name: string }[]>> {
  const result = new Map<string, { id: string; name: string }[]>();
  if (conversationIds.length === 0) return result;
  const p = conversationParticipants;
  const rows = await tx
    .select({ conversationId: p.conversationId, id: professionals.id, name: professionals.name })
    .from(p)
    .innerJoin(professionals, eq(professionals.id, p.professionalId))
    .where(
      and(
        inArray(p.conversationId, conversationIds),
        isNull(p.leftAt),
        sql`${p.addedByUserId} in (select side.user_id from conversation_participants side
                                  where side.conversation_id = ${p.conversationId}
                                    and side.kind in ('patient', 'carer'))`,
      ),
    )
    .orderBy(professionals.name);
  for (const { conversationId, id, name } of rows) {
    result.set(conversationId, [...(result.get(conversationId) ?? []), { id, name }]);
  }
  return result;
}

/** The teams taking part now in each of the conversations, by conversation id. */
export async function participatingTeams(
  tx: Tx,
  conversationIds: string[],
): Promise<Map<string, { id: string; name: string }[]>> {
  const result = new Map<string, { id: string; name: string }[]>();
  if (conversationIds.length === 0) return result;
  const rows = await tx
    .select({
      conversationId: conversationParticipants.conversationId,
      id: teams.id,
      name: teams.name,
    })
    .from(conversationParticipants)
    .innerJoin(teams, eq(teams.id, conversationParticipants.teamId))
    .where(
      and(
        inArray(conversationParticipants.conversationId, conversationIds),
        isNull(conversationParticipants.leftAt),
      ),
    );
  for (const { conversationId, id, name } of rows) {
    result.set(conversationId, [...(result.get(conversationId) ?? []), { id, name }]);
  }
  return result;
}
