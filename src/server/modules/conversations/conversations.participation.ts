import { and, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import type { Tx } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { conflict, forbidden, notFound } from '../../platform/http/problem';
import { publish } from '../../platform/realtime/events';
import {
  inTransaction,
  type Actor,
  type RequestFacts,
  type SignedInActor,
} from '../identity/actor';
import { requireVerifiedActor } from '../identity/verification';
import { releaseAssignments } from '../inbox/inbox.commands';
import { authorise } from './conversations.access';
import type { RecipientInput } from './conversations.contracts';
import { type LoadedConversation, loadConversation } from './conversations.facts';
import { presentConversation } from './conversations.presenters';
import { checkActiveRecipient } from './conversations.recipients';
import { conversationParticipants, conversationTeamStates } from './conversations.schema';

/** Brings another team or professional into the conversation; they see the whole history (M3). */
export async function addParticipant(
  deps: AppDeps,
  actor: Actor,
  conversationId: string,
  recipient: RecipientInput,
  request: RequestFacts,
) {
  const author = requireVerifiedActor(actor);
  return inTransaction(deps, author, request, async (tx, audit) => {
    const loaded = await authorise(tx, author, conversationId, 'conversation.addParticipant', {
      at: audit.now,
      lock: true,
    });
    await checkActiveRecipient(tx, recipient, 'body');
    const already =
      'teamId' in recipient
        ? loaded.facts.activeTeamIds.includes(recipient.teamId)
        : loaded.facts.activeProfessionalIds.includes(recipient.professionalId);
    if (already)
      throw conflict(
        'conversation.already_participant',
        'They are already part of this conversation.',
      );
    await addParticipantRow(tx, loaded, author, recipient, audit.now);
    await publish(tx, { type: 'conversation.changed', conversationId });
    await recordAudit(tx, audit, {
      action: 'conversation.participant_added',
      entityType: 'conversation',
      entityId: conversationId,
      patientId: loaded.conversation.patientId,
      details:
        'teamId' in recipient
          ? { teamId: recipient.teamId }
          : { professionalId: recipient.professionalId },
    });
    return presentConversation(
      tx,
      author,
      await loadConversation(tx, conversationId, false, audit.now),
    );
  });
}

async function addParticipantRow(
  tx: Tx,
  loaded: LoadedConversation,
  actor: SignedInActor,
  recipient: RecipientInput,
  now: Date,
) {
  const { conversation } = loaded;
  const base = {
    conversationId: conversation.id,
    patientId: conversation.patientId,
    addedByUserId: actor.userId,
    joinedAt: now,
  };
  if ('teamId' in recipient) {
    await tx
      .insert(conversationParticipants)
      .values({ ...base, kind: 'team', teamId: recipient.teamId });
    // A team brought in has been asked to help: it starts in Unassigned, waiting.
    await tx
      .insert(conversationTeamStates)
      .values({
        conversationId: conversation.id,
        teamId: recipient.teamId,
        patientId: conversation.patientId,
        waitingSince: now,
        lastOutsideMessageAt: now,
        lastActivityAt: now,
        roundStartedAt: now,
      })
      .onConflictDoUpdate({
        target: [conversationTeamStates.conversationId, conversationTeamStates.teamId],
        set: {
          archivedAt: null,
          assigneeProfessionalId: null,
          assignedAt: null,
          waitingSince: now,
          lastActivityAt: now,
          roundStartedAt: now,
        },
      });
  } else {
    await tx
      .insert(conversationParticipants)
      .values({ ...base, kind: 'professional', professionalId: recipient.professionalId });
  }
}

/** A professional with record access (or a former participant) joins as themselves (C3). */
export async function joinConversation(
  deps: AppDeps,
  actor: Actor,
  conversationId: string,
  request: RequestFacts,
) {
  const author = requireVerifiedActor(actor);
  if (author.kind !== 'professional')
    throw forbidden('conversation.join_forbidden', 'Only staff join conversations.');
  return inTransaction(deps, author, request, async (tx, audit) => {
    const loaded = await authorise(tx, author, conversationId, 'conversation.join', {
      at: audit.now,
      lock: true,
    });
    await addParticipantRow(
      tx,
      loaded,
      author,
      { professionalId: author.professionalId },
      audit.now,
    );
    await publish(tx, { type: 'conversation.changed', conversationId });
    await recordAudit(tx, audit, {
      action: 'conversation.joined',
      entityType: 'conversation',
      entityId: conversationId,
      patientId: loaded.conversation.patientId,
    });
    return presentConversation(
      tx,
      author,
      await loadConversation(tx, conversationId, false, audit.now),
    );
  });
}

/**
 * Leaves as an individual, or takes one of the actor's teams out. Leavers keep what they saw
 * up to now (M3); assignments the leaver held here clear (W3).
 */
export async function leaveConversation(
  deps: AppDeps,
  actor: Actor,
  conversationId: string,
  input: { teamId?: string },
  request: RequestFacts,
) {
  const author = requireVerifiedActor(actor);
  if (author.kind !== 'professional')
    throw forbidden(
      'conversation.leave_forbidden',
      'Patients cannot leave their own conversations.',
    );
  await inTransaction(deps, author, request, async (tx, audit) => {
    const loaded = await authorise(tx, author, conversationId, 'conversation.leave', {
      at: audit.now,
      lock: true,
    });
    const { conversation } = loaded;
    const ending = { leftAt: audit.now, leftSeq: conversation.lastMessageSeq };
    const active = and(
      eq(conversationParticipants.conversationId, conversationId),
      isNull(conversationParticipants.leftAt),
    );
    // W5: someone on the staff side must remain, or the patient's next message would reach
    // no inbox and no one.
    const { activeTeamIds, activeProfessionalIds } = loaded.facts;
    const remaining = input.teamId
      ? activeTeamIds.filter((id) => id !== input.teamId).length + activeProfessionalIds.length
      : activeTeamIds.length +
        activeProfessionalIds.filter((id) => id !== author.professionalId).length;
    if (remaining === 0) {
      throw conflict(
        'conversation.last_staff_participant',
        'Someone on the staff side must stay in the conversation. Add another team or person first.',
      );
    }
    if (input.teamId) {
      const teamId = input.teamId;
      if (
        !author.memberships.some((m) => m.teamId === teamId) ||
        !loaded.facts.activeTeamIds.includes(teamId)
      ) {
        throw notFound(
          'conversation.team_not_participating',
          'That team of yours is not in this conversation.',
        );
      }
      await tx
        .update(conversationParticipants)
        .set(ending)
        .where(and(active, eq(conversationParticipants.teamId, teamId)));
      await tx
        .delete(conversationTeamStates)
        .where(
          and(
            eq(conversationTeamStates.conversationId, conversationId),
            eq(conversationTeamStates.teamId, teamId),
          ),
        );
    } else {
      const ended = await tx
        .update(conversationParticipants)
        .set(ending)
        .where(and(active, eq(conversationParticipants.professionalId, author.professionalId)))
        .returning({ id: conversationParticipants.id });
      const released = await releaseAssignments(tx, {
        professionalId: author.professionalId,
        conversationId,
      });
      if (ended.length === 0 && released === 0) {
        throw conflict(
          'conversation.not_individual_participant',
          'You take part through your team. Choose the team to take it out of the conversation.',
        );
      }
    }
    await publish(tx, { type: 'conversation.changed', conversationId });
    // The team taken out hears of it too: its members no longer take part (live.routes.ts).
    if (input.teamId)
      await publish(tx, { type: 'conversation.changed', conversationId, teamId: input.teamId });
    await recordAudit(tx, audit, {
      action: 'conversation.left',
      entityType: 'conversation',
      entityId: conversationId,
      patientId: conversation.patientId,
      details: input.teamId ? { teamId: input.teamId } : {},
    });
  });
}
