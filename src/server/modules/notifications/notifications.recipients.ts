import { and, eq, inArray } from 'drizzle-orm';
import type { Database, Tx } from '../../platform/db/database';
import { enqueue, type OutboxItem } from '../../platform/outbox/outbox';
import { professionals, teamMemberships, teams } from '../directory/directory.schema';
import { users } from '../identity/identity.schema';
import { notificationPreferences } from './notifications.schema';

export interface NewMessageFacts {
  conversationId: string;
  messageId: string;
  patientId: string;
  authorUserId: string;
  authorKind: 'patient' | 'professional' | 'carer';
  /** The team the author wrote for, when staff wrote through a team. */
  authorTeamId: string | null;
  activeTeamIds: readonly string[];
  activeProfessionalIds: readonly string[];
  /** The patient's own user, when they have one. */
  patientUserId: string | null;
  /**
   * Carers who hear what the patient hears (N1, C1): consent in force now, and the
   * conversation not private from them. The caller has these from the conversation's access.
   */
  carerUserIds: readonly string[];
}

interface Recipient {
  userId: string;
  teamId: string | null;
}

/**
 * Who hears about a new message (N1): every member of each participating team who takes
 * notifications immediately, each individual professional participant, and — when staff
 * write — the patient and their carers with consent in force. Never the author. A team where
 * nobody would hear has its managers told instead (N3). One notification per person per
 * message.
 */
export async function newMessageRecipients(tx: Tx, facts: NewMessageFacts): Promise<Recipient[]> {
  const recipients = new Map<string, Recipient>();
  const add = (userId: string, teamId: string | null) => {
    if (userId !== facts.authorUserId && !recipients.has(userId))
      recipients.set(userId, { userId, teamId });
  };

  const listeners = await teamListeners(tx, facts.activeTeamIds, facts.authorUserId);
  for (const teamId of facts.activeTeamIds) {
    for (const userId of listeners.get(teamId) ?? []) add(userId, teamId);
  }

  if (facts.activeProfessionalIds.length > 0) {
    const people = await tx
      .select({ userId: users.id })
      .from(users)
      .innerJoin(
        professionals,
        and(eq(professionals.id, users.professionalId), eq(professionals.active, true)),
      )
      .where(inArray(users.professionalId, [...facts.activeProfessionalIds]));
    for (const person of people) add(person.userId, facts.authorTeamId);
  }

  if (facts.authorKind === 'professional') {
    const teamId = facts.authorTeamId ?? facts.activeTeamIds[0] ?? null;
    if (facts.patientUserId) add(facts.patientUserId, teamId);
    for (const userId of facts.carerUserIds) add(userId, teamId);
  }
  return [...recipients.values()];
}

/**
 * For each team, the users who hear about a message in it by email now (N1, N3): its active
 * members who take notifications immediately, or — when none does — its managers. Never the
 * author. Asked when a message is sent, and again when each email about it goes out, so a
 * setting changed in between is honoured.
 */
export async function teamListeners(
  db: Database | Tx,
  teamIds: readonly string[],
  authorUserId: string,
): Promise<Map<string, string[]>> {
  const listeners = new Map<string, string[]>();
  if (teamIds.length === 0) return listeners;
  const members = await db
    .select({
      teamId: teamMemberships.teamId,
      role: teamMemberships.role,
      userId: users.id,
      mode: notificationPreferences.mode,
    })
    .from(teamMemberships)
    .innerJoin(teams, and(eq(teams.id, teamMemberships.teamId), eq(teams.active, true)))
    .innerJoin(
      professionals,
      and(eq(professionals.id, teamMemberships.professionalId), eq(professionals.active, true)),
    )
    .innerJoin(users, eq(users.professionalId, professionals.id))
    .leftJoin(
      notificationPreferences,
      and(
        eq(notificationPreferences.professionalId, professionals.id),
        eq(notificationPreferences.teamId, teamMemberships.teamId),
      ),
    )
    .where(inArray(teamMemberships.teamId, [...teamIds]));
  for (const teamId of teamIds) {
    const team = members.filter((m) => m.teamId === teamId && m.userId !== authorUserId);
    const immediate = team.filter((m) => (m.mode ?? 'immediate') === 'immediate');
    const chosen = immediate.length > 0 ? immediate : team.filter((m) => m.role === 'manager');
    listeners.set(
      teamId,
      chosen.map((m) => m.userId),
    );
  }
  return listeners;
}

/** Queues the "new secure message" emails for a message, in the sending transaction (N4). */
export async function notifyNewMessage(tx: Tx, facts: NewMessageFacts, now: Date): Promise<void> {
  const recipients = await newMessageRecipients(tx, facts);
  const items: OutboxItem[] = recipients.map((r) => ({
    kind: 'message.notify',
    eventKey: `message:${facts.messageId}`,
    recipientUserId: r.userId,
    payload: {
      conversationId: facts.conversationId,
      messageId: facts.messageId,
      ...(r.teamId ? { teamId: r.teamId } : {}),
    },
  }));
  await enqueue(tx, items, now);
}
