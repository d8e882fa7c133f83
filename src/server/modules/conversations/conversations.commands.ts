import { publish } from '../../platform/realtime/events';
import { and, eq, isNull } from 'drizzle-orm';
import { type AuditContext, recordAudit } from '../../platform/audit/audit';
import { type Tx, withTransaction } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { type Outcome, onceOnly } from '../../platform/idempotency/idempotency';
import { conflict, forbidden, invalid, notFound } from '../../platform/http/problem';
import { findProfessional, findTeam } from '../directory/directory.queries';
import { auditContextFor, type Actor, type RequestFacts } from '../identity/actor';
import { users } from '../identity/identity.schema';
import { careRelationships } from '../patients/patients.schema';
import type {
  ConversationDetail,
  CreateConversationInput,
  Message,
  RecipientInput,
} from './conversations.contracts';
import { type LoadedConversation, loadConversation } from './conversations.facts';
import { appendMessage, markRead } from './conversations.messages';
import { presentConversation, presentMessage } from './conversations.presenters';
import { checkPatientRecipients } from './conversations.recipients';
import {
  conversationParticipants,
  conversations,
  conversationTeamStates,
} from './conversations.schema';
import { releaseAssignments } from '../inbox/inbox.commands';
import { requireVerifiedActor } from '../identity/verification';
import { authorise } from './conversations.access';

type Author = Exclude<Actor, { kind: 'anonymous' }>;

interface Idempotency {
  key: string | undefined;
}

function idempotencyRef(
  actor: Author,
  key: string | undefined,
  operation: string,
  request: unknown,
  now: Date,
) {
  return key ? { userId: actor.userId, key, operation, request, now } : null;
}

async function inTransaction<T>(
  deps: AppDeps,
  actor: Author,
  request: RequestFacts,
  work: (tx: Tx, audit: AuditContext) => Promise<T>,
) {
  return withTransaction(deps.db, (tx) => work(tx, auditContextFor(actor, request, deps.clock())));
}

/** Starts a conversation (M1 for patients, M2 for staff) with its first message. */
export async function createConversation(
  deps: AppDeps,
  actor: Actor,
  input: CreateConversationInput,
  request: RequestFacts & Idempotency,
): Promise<Outcome<ConversationDetail>> {
  const author = requireVerifiedActor(actor);
  return inTransaction(deps, author, request, (tx, audit) =>
    onceOnly(
      tx,
      idempotencyRef(author, request.key, 'createConversation', input, audit.now),
      async () => {
        const start =
          author.kind === 'patient'
            ? await patientStart(tx, author, input)
            : await staffStart(tx, author, input);
        const [conversation] = await tx
          .insert(conversations)
          .values({
            patientId: start.patientId,
            subject: input.subject.trim(),
            createdByUserId: author.userId,
            createdAt: audit.now,
            lastMessageAt: audit.now,
          })
          .returning();
        if (!conversation) throw new Error('conversation insert returned nothing');
        const base = {
          conversationId: conversation.id,
          patientId: start.patientId,
          addedByUserId: author.userId,
          joinedAt: audit.now,
        };
        await tx.insert(conversationParticipants).values([
          { ...base, kind: 'patient' as const, userId: start.patientUserId },
          ...start.teamIds.map((teamId) => ({ ...base, kind: 'team' as const, teamId })),
          ...start.professionalIds.map((professionalId) => ({
            ...base,
            kind: 'professional' as const,
            professionalId,
          })),
        ]);
        if (start.teamIds.length > 0) {
          await tx.insert(conversationTeamStates).values(
            start.teamIds.map((teamId) => ({
              conversationId: conversation.id,
              teamId,
              patientId: start.patientId,
              lastActivityAt: audit.now,
            })),
          );
        }
        const loaded = await loadConversation(tx, conversation.id, true);
        await appendMessage(tx, loaded, author, input.body, audit.now);
        await recordAudit(tx, audit, {
          action: 'conversation.created',
          entityType: 'conversation',
          entityId: conversation.id,
          patientId: start.patientId,
          details: { teams: start.teamIds.length, professionals: start.professionalIds.length },
        });
        return { statusCode: 201, body: await presentConversation(tx, author, loaded) };
      },
    ),
  );
}

interface Start {
  patientId: string;
  patientUserId: string | null;
  teamIds: string[];
  professionalIds: string[];
}

async function patientStart(
  tx: Tx,
  actor: Extract<Author, { kind: 'patient' }>,
  input: CreateConversationInput,
): Promise<Start> {
  if (input.patientId !== undefined || input.asTeamId !== undefined) {
    throw invalid([
      {
        field: 'body',
        code: 'conversation.staff_only_field',
        message: 'patientId and asTeamId are for staff',
      },
    ]);
  }
  const recipients = input.recipients ?? [];
  if (recipients.length === 0) {
    throw invalid([
      {
        field: 'body/recipients',
        code: 'conversation.no_recipients',
        message: 'Choose who to send your message to',
      },
    ]);
  }
  await checkPatientRecipients(tx, actor.patientId, recipients);
  return { patientId: actor.patientId, patientUserId: actor.userId, ...split(recipients) };
}

async function staffStart(
  tx: Tx,
  actor: Extract<Author, { kind: 'professional' }>,
  input: CreateConversationInput,
): Promise<Start> {
  const { patientId, asTeamId } = input;
  if (!patientId || !asTeamId) {
    throw invalid([
      {
        field: 'body',
        code: 'conversation.patient_required',
        message: 'Choose the patient and the team you write for',
      },
    ]);
  }
  if (!actor.memberships.some((m) => m.teamId === asTeamId)) {
    throw forbidden('conversation.not_team_member', 'You can only write for a team you belong to.');
  }
  const [access] = await tx
    .select()
    .from(careRelationships)
    .where(and(eq(careRelationships.patientId, patientId), eq(careRelationships.teamId, asTeamId)));
  if (!access)
    throw forbidden(
      'conversation.no_record_access',
      'Your team has no care relationship with this patient.',
    );
  const recipients = input.recipients ?? [];
  for (const [i, recipient] of recipients.entries())
    await checkActiveRecipient(tx, recipient, `body/recipients/${i}`);
  const { teamIds, professionalIds } = split(recipients);
  const [patientUser] = await tx
    .select({ id: users.id })
    .from(users)
    .where(eq(users.patientId, patientId));
  return {
    patientId,
    patientUserId: patientUser?.id ?? null,
    teamIds: [...new Set([asTeamId, ...teamIds])],
    professionalIds: professionalIds.filter((id) => id !== actor.professionalId),
  };
}

function split(recipients: RecipientInput[]) {
  const teamIds = recipients.flatMap((r) => ('teamId' in r ? [r.teamId] : []));
  const professionalIds = recipients.flatMap((r) =>
    'professionalId' in r ? [r.professionalId] : [],
  );
  return { teamIds: [...new Set(teamIds)], professionalIds: [...new Set(professionalIds)] };
}

/** Staff may bring in any active team or professional of any organisation (M2). */
async function checkActiveRecipient(
  tx: Tx,
  recipient: RecipientInput,
  field: string,
): Promise<void> {
  const active =
    'teamId' in recipient
      ? (await findTeam(tx, recipient.teamId))?.active
      : (await findProfessional(tx, recipient.professionalId))?.active;
  if (!active)
    throw invalid([
      {
        field,
        code: 'conversation.unknown_participant',
        message: 'Choose an active team or professional',
      },
    ]);
}

/** Adds a message (M5 idempotent, M6 sequenced) and updates every team's work (W5). */
export async function postMessage(
  deps: AppDeps,
  actor: Actor,
  conversationId: string,
  body: string,
  request: RequestFacts & Idempotency,
): Promise<Outcome<Message>> {
  const author = requireVerifiedActor(actor);
  return inTransaction(deps, author, request, (tx, audit) =>
    onceOnly(
      tx,
      idempotencyRef(author, request.key, 'postMessage', { conversationId, body }, audit.now),
      async () => {
        const loaded = await authorise(tx, author, conversationId, 'conversation.reply', true);
        const message = await appendMessage(tx, loaded, author, body, audit.now);
        await recordAudit(tx, audit, {
          action: 'message.sent',
          entityType: 'message',
          entityId: message.id,
          patientId: loaded.conversation.patientId,
          details: { conversationId, seq: message.seq },
        });
        return { statusCode: 201, body: presentMessage(message, author) };
      },
    ),
  );
}

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
    const loaded = await authorise(tx, author, conversationId, 'conversation.addParticipant', true);
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
    return presentConversation(tx, author, await loadConversation(tx, conversationId));
  });
}

async function addParticipantRow(
  tx: Tx,
  loaded: LoadedConversation,
  actor: Author,
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
      })
      .onConflictDoUpdate({
        target: [conversationTeamStates.conversationId, conversationTeamStates.teamId],
        set: {
          archivedAt: null,
          assigneeProfessionalId: null,
          assignedAt: null,
          waitingSince: now,
          lastActivityAt: now,
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
    const loaded = await authorise(tx, author, conversationId, 'conversation.join', true);
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
    return presentConversation(tx, author, await loadConversation(tx, conversationId));
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
    const loaded = await authorise(tx, author, conversationId, 'conversation.leave', true);
    const { conversation } = loaded;
    const ending = { leftAt: audit.now, leftSeq: conversation.lastMessageSeq };
    const active = and(
      eq(conversationParticipants.conversationId, conversationId),
      isNull(conversationParticipants.leftAt),
    );
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
    await recordAudit(tx, audit, {
      action: 'conversation.left',
      entityType: 'conversation',
      entityId: conversationId,
      patientId: conversation.patientId,
      details: input.teamId ? { teamId: input.teamId } : {},
    });
  });
}

/** Records how far the actor has read. Never changes any team's work (W6). */
export async function markConversationRead(
  deps: AppDeps,
  actor: Actor,
  conversationId: string,
  seq: number,
  request: RequestFacts,
) {
  const author = requireVerifiedActor(actor);
  await inTransaction(deps, author, request, async (tx, audit) => {
    const loaded = await authorise(tx, author, conversationId, 'conversation.markRead');
    const upTo = Math.min(seq, loaded.conversation.lastMessageSeq);
    await markRead(
      tx,
      { conversationId, patientId: loaded.conversation.patientId, userId: author.userId },
      upTo,
      audit.now,
    );
  });
}
