import { eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database';
import { executeTogether } from '../../platform/db/statements';
import { publish } from '../../platform/realtime/events';
import type { SignedInActor } from '../identity/actor';
import { notifyNewMessage } from '../notifications/notifications.recipients';
import { queueMessageEvent } from '../subscriptions/subscriptions.events';
import { type LoadedConversation, requireStaffToRead } from './conversations.facts';
import type { ConversationFacts } from './conversations.policy';
import {
  conversationReads,
  conversations,
  conversationTeamStates,
  messages,
} from './conversations.schema';

export type MessageRow = typeof messages.$inferSelect;
/** The teams an author writes for in this conversation: their memberships among its teams. */
export function authorTeamIds(actor: SignedInActor, activeTeamIds: readonly string[]): string[] {
  if (actor.kind !== 'professional') return [];
  return actor.memberships.map((m) => m.teamId).filter((id) => activeTeamIds.includes(id));
}

/** A patient writing in someone else's record is their carer, shown as themselves (C1). */
export function authorKindOf(actor: SignedInActor, patientId: string) {
  return actor.kind === 'patient' && actor.patientId !== patientId
    ? ('carer' as const)
    : actor.kind;
}

/** How a person is named in a conversation: a professional with the team they act for. */
export function authorLabel(actor: SignedInActor, teamIds: string[], kind: string): string {
  if (kind === 'carer') return `${actor.name} (carer)`;
  if (actor.kind !== 'professional') return actor.name;
  const team = actor.memberships.find((m) => m.teamId === teamIds[0]);
  return team ? `${actor.name}, ${team.teamName}` : actor.name;
}

/**
 * Appends a message to a conversation locked by the caller: the next sequence number (M6),
 * the conversation's newest-message marks, every participating team's workflow (W5), the
 * notifications it causes (N1, queued in this transaction), the connected systems' FHIR
 * subscription events, and the author's own read state. A patient's or carer's message
 * where no active team or professional takes part is refused (`conversation.nobody_to_read`).
 */
export async function appendMessage(
  tx: Tx,
  loaded: LoadedConversation,
  actor: SignedInActor,
  body: string,
  now: Date,
): Promise<MessageRow> {
  const { conversation, facts } = loaded;
  // W5: what a patient or carer writes must reach someone on the staff side.
  if (actor.kind === 'patient') await requireStaffToRead(tx, conversation.id);
  const seq = conversation.lastMessageSeq + 1;
  const insideTeamIds = authorTeamIds(actor, facts.activeTeamIds);
  const authorKind = authorKindOf(actor, conversation.patientId);
  const [message] = await tx
    .insert(messages)
    .values({
      conversationId: conversation.id,
      patientId: conversation.patientId,
      seq,
      authorUserId: actor.userId,
      authorKind,
      authorProfessionalId: actor.kind === 'professional' ? actor.professionalId : null,
      authorLabel: authorLabel(actor, insideTeamIds, authorKind),
      body,
      createdAt: now,
    })
    .returning();
  if (!message) throw new Error('message insert returned nothing');
  await notifyNewMessage(
    tx,
    {
      conversationId: conversation.id,
      messageId: message.id,
      patientId: conversation.patientId,
      authorUserId: actor.userId,
      authorKind,
      authorTeamId: insideTeamIds[0] ?? null,
      activeTeamIds: facts.activeTeamIds,
      activeProfessionalIds: facts.activeProfessionalIds,
      patientUserId: loaded.patientUserId,
      carerUserIds: carersWhoHear(facts),
    },
    now,
  );
  await queueMessageEvent(tx, { messageId: message.id, patientId: conversation.patientId }, now);
  // The conversation's newest-message marks, the teams' work and the author's read mark are
  // separate rows of separate tables: one statement.
  const ids = { conversationId: conversation.id, patientId: conversation.patientId };
  await executeTogether(tx, [
    tx
      .update(conversations)
      .set({ lastMessageSeq: seq, lastMessageAt: now })
      .where(eq(conversations.id, conversation.id)),
    teamWorkAfterMessage(tx, conversation.id, insideTeamIds, now),
    readMarkUpTo(tx, { ...ids, userId: actor.userId }, seq, now),
  ]);
  conversation.lastMessageSeq = seq;
  conversation.lastMessageAt = now;
  await publish(tx, { type: 'conversation.changed', conversationId: conversation.id });
  return message;
}

/** Carers with consent in force, unless the conversation is private from them (N1, C1). */
function carersWhoHear(facts: ConversationFacts): string[] {
  if (!facts.at) throw new Error('a message needs its conversation loaded with its access');
  if (facts.privateFromCarers) return [];
  return [...new Set((facts.carerConsents ?? []).map((c) => c.carerUserId))];
}

/**
 * For the author's own teams a message is a reply: they are no longer waiting. For every
 * other participating team it is an outside message (W5): it reopens an archived
 * conversation into Unassigned and starts the wait if none is running.
 */
function teamWorkAfterMessage(tx: Tx, conversationId: string, insideTeamIds: string[], now: Date) {
  const s = conversationTeamStates;
  const inside = insideTeamIds.length > 0 ? inArray(s.teamId, insideTeamIds) : sql`false`;
  return tx
    .update(s)
    .set({
      lastActivityAt: now,
      lastOutsideMessageAt: sql`case when ${inside} then ${s.lastOutsideMessageAt} else ${now} end`,
      waitingSince: sql`case when ${inside} then null
        when ${s.archivedAt} is not null then ${now}
        else coalesce(${s.waitingSince}, ${now}) end`,
      assigneeProfessionalId: sql`case when ${inside} or ${s.archivedAt} is null then ${s.assigneeProfessionalId} else null end`,
      assignedAt: sql`case when ${inside} or ${s.archivedAt} is null then ${s.assignedAt} else null end`,
      roundStartedAt: sql`case when ${inside} or ${s.archivedAt} is null then ${s.roundStartedAt} else ${now} end`,
      archivedAt: sql`case when ${inside} then ${s.archivedAt} else null end`,
    })
    .where(eq(s.conversationId, conversationId));
}

/** Moves a person's read mark forward (never back). Reading never touches workflow (W6). */
export async function markRead(
  tx: Tx,
  ids: { conversationId: string; patientId: string; userId: string },
  seq: number,
  now: Date,
): Promise<void> {
  await readMarkUpTo(tx, ids, seq, now);
}

function readMarkUpTo(
  tx: Tx,
  ids: { conversationId: string; patientId: string; userId: string },
  seq: number,
  now: Date,
) {
  return tx
    .insert(conversationReads)
    .values({ ...ids, lastReadSeq: seq, readAt: now })
    .onConflictDoUpdate({
      target: [conversationReads.userId, conversationReads.conversationId],
      set: {
        lastReadSeq: sql`greatest(${conversationReads.lastReadSeq}, excluded.last_read_seq)`,
        readAt: sql`case when excluded.last_read_seq > ${conversationReads.lastReadSeq} then excluded.read_at else ${conversationReads.readAt} end`,
      },
    });
}
