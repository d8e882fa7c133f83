import { publish } from '../../platform/realtime/events';
import { and, eq, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import { type Tx, withTransaction } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { conflict, forbidden, notFound } from '../../platform/http/problem';
import { professionals, teamMemberships } from '../directory/directory.schema';
import {
  auditContextFor,
  type Actor,
  type RequestFacts,
  type SignedInActor,
} from '../identity/actor';
import { requireVerifiedActor } from '../identity/verification';
import { conversationNotFound, loadConversation } from '../conversations/conversations.facts';
import { can, canWork, type TeamWorkAction } from '../conversations/conversations.policy';
import { conversations, conversationTeamStates } from '../conversations/conversations.schema';

export interface Assignee {
  professionalId: string;
  name: string;
}

/** Loads one team's work on a conversation, locked, after checking the actor may act on it. */
async function loadWork(
  tx: Tx,
  actor: Actor,
  ids: { conversationId: string; teamId: string },
  action: TeamWorkAction,
) {
  const author = requireVerifiedActor(actor);
  const loaded = await loadConversation(tx, ids.conversationId);
  if (!can(author, 'conversation.read', loaded.facts)) throw conversationNotFound();
  if (author.kind !== 'professional' || !author.memberships.some((m) => m.teamId === ids.teamId)) {
    throw forbidden(
      'inbox.not_team_member',
      'Only members of the team can work on its conversations.',
    );
  }
  // Re-read the membership in this transaction and hold it: a removal from the team then
  // waits for this change and releases what it assigned (W3), instead of racing past it.
  const [stillMember] = await tx
    .select({ role: teamMemberships.role })
    .from(teamMemberships)
    .where(
      and(
        eq(teamMemberships.teamId, ids.teamId),
        eq(teamMemberships.professionalId, author.professionalId),
      ),
    )
    .for('share');
  if (!stillMember) {
    throw forbidden(
      'inbox.not_team_member',
      'Only members of the team can work on its conversations.',
    );
  }
  const [work] = await tx
    .select()
    .from(conversationTeamStates)
    .where(
      and(
        eq(conversationTeamStates.conversationId, ids.conversationId),
        eq(conversationTeamStates.teamId, ids.teamId),
      ),
    )
    .for('update');
  if (!work)
    throw notFound(
      'conversation.team_not_participating',
      'This team is not part of the conversation.',
    );
  const facts = {
    teamId: ids.teamId,
    assigneeProfessionalId: work.assigneeProfessionalId,
    archived: work.archivedAt !== null,
  };
  return { actor: author, loaded, work, allowed: canWork(author, action, facts) };
}

async function assigneeOf(tx: Tx, professionalId: string | null): Promise<Assignee | null> {
  if (!professionalId) return null;
  const [row] = await tx
    .select({ name: professionals.name })
    .from(professionals)
    .where(eq(professionals.id, professionalId));
  return { professionalId, name: row?.name ?? '' };
}

/**
 * "Assign to me" and "Assign to none" (W1): a professional assigns only themselves; the
 * assignee or a manager unassigns. Concurrent claims queue on the team's work row: exactly
 * one wins and the others learn who did.
 */
export async function assignConversation(
  deps: AppDeps,
  actor: Actor,
  ids: { conversationId: string; teamId: string },
  assignee: 'me' | null,
  request: RequestFacts,
): Promise<{ assignee: Assignee | null }> {
  return withTransaction(deps.db, async (tx) => {
    const action = assignee === 'me' ? 'work.assignToMe' : 'work.unassign';
    const { actor: self, loaded, work, allowed } = await loadWork(tx, actor, ids, action);
    if (assignee === 'me') {
      if (work.assigneeProfessionalId === self.professionalId)
        return { assignee: await assigneeOf(tx, self.professionalId) };
      if (work.archivedAt !== null)
        throw conflict(
          'conversation.archived',
          'This conversation is complete. A new message will reopen it.',
        );
      if (work.assigneeProfessionalId !== null) {
        const winner = await assigneeOf(tx, work.assigneeProfessionalId);
        throw conflict(
          'conversation.already_assigned',
          `Already assigned to ${winner?.name ?? 'someone else'}.`,
        );
      }
    } else {
      if (work.assigneeProfessionalId === null) return { assignee: null };
      if (!allowed)
        throw forbidden(
          'conversation.unassign_forbidden',
          'Only the person assigned or a manager of the team can unassign.',
        );
    }
    const now = deps.clock();
    const assigneeId = assignee === 'me' ? self.professionalId : null;
    await tx
      .update(conversationTeamStates)
      .set({ assigneeProfessionalId: assigneeId, assignedAt: assigneeId ? now : null })
      .where(workOf(ids));
    await announceWorkChange(
      tx,
      ids,
      assigneeId ? 'conversation.assigned' : 'conversation.unassigned',
      { actor: self, request, now, patientId: loaded.conversation.patientId },
      work.assigneeProfessionalId ? { previousAssignee: work.assigneeProfessionalId } : {},
    );
    return { assignee: await assigneeOf(tx, assigneeId) };
  });
}

/** Marks the conversation complete for one team (W4): gone from every member's active views. */
export async function archiveConversation(
  deps: AppDeps,
  actor: Actor,
  ids: { conversationId: string; teamId: string },
  request: RequestFacts,
  seenSeq?: number,
): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const { actor: me, loaded, work } = await loadWork(tx, actor, ids, 'work.archive');
    if (work.archivedAt !== null) return;
    // With the work row locked, a message sent meanwhile is either already here (and
    // refuses this archive: nobody has read it) or will reopen the conversation (W5).
    if (seenSeq !== undefined) {
      const [latest] = await tx
        .select({ seq: conversations.lastMessageSeq })
        .from(conversations)
        .where(eq(conversations.id, ids.conversationId));
      if ((latest?.seq ?? 0) > seenSeq) {
        throw conflict(
          'conversation.changed_since_viewed',
          'New messages arrived since you opened this conversation. Read them before archiving.',
        );
      }
    }
    const now = deps.clock();
    await tx
      .update(conversationTeamStates)
      .set({ archivedAt: now, assigneeProfessionalId: null, assignedAt: null, waitingSince: null })
      .where(workOf(ids));
    await announceWorkChange(tx, ids, 'conversation.archived', {
      actor: me,
      request,
      now,
      patientId: loaded.conversation.patientId,
    });
  });
}

/**
 * Brings back what the team archived (decision 0024): by mistake, or because the patient rang
 * to say it is not sorted. It goes to Unassigned, waiting from now, as a new outside message
 * would put it (W5); its last activity (and a FHIR Task's lastModified) moves to now.
 * Reopening what is not archived changes nothing.
 */
export async function reopenConversation(
  deps: AppDeps,
  actor: Actor,
  ids: { conversationId: string; teamId: string },
  request: RequestFacts,
): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const { actor: me, loaded, work } = await loadWork(tx, actor, ids, 'work.reopen');
    if (work.archivedAt === null) return;
    const now = deps.clock();
    await tx
      .update(conversationTeamStates)
      .set({ archivedAt: null, roundStartedAt: now, waitingSince: now, lastActivityAt: now })
      .where(workOf(ids));
    await announceWorkChange(tx, ids, 'conversation.reopened', {
      actor: me,
      request,
      now,
      patientId: loaded.conversation.patientId,
    });
  });
}

const workOf = (ids: { conversationId: string; teamId: string }) =>
  and(
    eq(conversationTeamStates.conversationId, ids.conversationId),
    eq(conversationTeamStates.teamId, ids.teamId),
  );

/** Tells live views the team's work changed, and audits the change (C4). */
async function announceWorkChange(
  tx: Tx,
  ids: { conversationId: string; teamId: string },
  action:
    | 'conversation.assigned'
    | 'conversation.unassigned'
    | 'conversation.archived'
    | 'conversation.reopened',
  by: { actor: SignedInActor; request: RequestFacts; now: Date; patientId: string },
  details: Record<string, string> = {},
): Promise<void> {
  await publish(tx, {
    type: 'conversation.changed',
    conversationId: ids.conversationId,
    teamId: ids.teamId,
  });
  await recordAudit(tx, auditContextFor(by.actor, by.request, by.now), {
    action,
    entityType: 'conversation',
    entityId: ids.conversationId,
    patientId: by.patientId,
    details: { teamId: ids.teamId, ...details },
  });
}

/**
 * Clears a professional's assignments (W3) when they leave a conversation or a team: those
 * conversations go back to Unassigned. Returns how many were cleared.
 */
export async function releaseAssignments(
  tx: Tx,
  scope: { professionalId: string; conversationId?: string; teamId?: string },
): Promise<number> {
  const s = conversationTeamStates;
  const conditions: SQL[] = [eq(s.assigneeProfessionalId, scope.professionalId)];
  if (scope.conversationId) conditions.push(eq(s.conversationId, scope.conversationId));
  if (scope.teamId) conditions.push(eq(s.teamId, scope.teamId));
  const released = await tx
    .update(s)
    .set({ assigneeProfessionalId: null, assignedAt: null })
    .where(and(...conditions))
    .returning({ conversationId: s.conversationId });
  return released.length;
}
