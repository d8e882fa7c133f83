import { and, asc, eq } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import type { Tx } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { forbidden, invalid } from '../../platform/http/problem';
import { type Outcome, onceOnly } from '../../platform/idempotency/idempotency';
import {
  inTransaction,
  type Actor,
  type RequestFacts,
  type SignedInActor,
} from '../identity/actor';
import { users } from '../identity/identity.schema';
import { requireVerifiedActor } from '../identity/verification';
import { careRelationships } from '../patients/patients.schema';
import { carerStart } from '../consent/consent.conversations';
import { attachDocuments, attachmentsOf } from '../documents/documents.attachments';
import { authorise } from './conversations.access';
import type {
  ConversationDetail,
  CreateConversationInput,
  Message,
  RecipientInput,
} from './conversations.contracts';
import { loadConversation } from './conversations.facts';
import { appendMessage, markRead } from './conversations.messages';
import { presentConversation, presentMessage } from './conversations.presenters';
import { checkActiveRecipient, checkPatientRecipients } from './conversations.recipients';
import {
  conversationParticipants,
  conversations,
  conversationTeamStates,
  messages,
} from './conversations.schema';

interface Idempotency {
  key: string | undefined;
}

function idempotencyRef(
  actor: SignedInActor,
  key: string | undefined,
  operation: string,
  request: unknown,
  now: Date,
) {
  return key ? { userId: actor.userId, key, operation, request, now } : null;
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
        const start: Start =
          author.kind === 'professional'
            ? await staffStart(tx, author, input)
            : input.patientId !== undefined && input.patientId !== author.patientId
              ? {
                  ...(await carerStart(tx, author, input, audit.now)),
                  ...split(input.recipients ?? []),
                }
              : await patientStart(tx, author, input);
        const loaded = await openConversation(tx, author, start, input, audit.now);
        const conversation = loaded.conversation;
        if (input.documentIds && input.documentIds.length > 0) {
          const [first] = await tx
            .select({ id: messages.id })
            .from(messages)
            .where(eq(messages.conversationId, conversation.id))
            .orderBy(asc(messages.seq))
            .limit(1);
          if (!first) throw new Error('conversation without its first message');
          const target = { patientId: start.patientId, conversationId: conversation.id };
          await attachDocuments(
            tx,
            author,
            { ...target, messageId: first.id },
            input.documentIds,
            audit,
          );
        }
        await recordAudit(tx, audit, {
          action: 'conversation.created',
          entityType: 'conversation',
          entityId: conversation.id,
          patientId: start.patientId,
          details: { teams: start.teamIds.length, professionals: start.professionalIds.length },
        });
        return { statusCode: 201, body: await presentConversation(tx, author, loaded) };
      },
      async (first) => {
        await authorise(tx, author, first.id, 'conversation.read', { at: audit.now });
      },
    ),
  );
}

/**
 * Writes a new conversation — header, participants, each team's work row — and its first
 * message, in the caller's transaction. The caller has checked who may start it and with
 * whom; an appointment's conversation is opened this way on the patient's first question.
 */
export async function openConversation(
  tx: Tx,
  author: SignedInActor,
  start: Start,
  input: { subject: string; body: string },
  now: Date,
) {
  const [conversation] = await tx
    .insert(conversations)
    .values({
      patientId: start.patientId,
      subject: input.subject.trim(),
      createdByUserId: author.userId,
      createdAt: now,
      lastMessageAt: now,
    })
    .returning();
  if (!conversation) throw new Error('conversation insert returned nothing');
  const base = {
    conversationId: conversation.id,
    patientId: start.patientId,
    addedByUserId: author.userId,
    joinedAt: now,
  };
  await tx.insert(conversationParticipants).values([
    { ...base, kind: 'patient' as const, userId: start.patientUserId },
    // A carer writing on the patient's behalf takes part as themselves (C1).
    ...(start.carerUserId ? [{ ...base, kind: 'carer' as const, userId: start.carerUserId }] : []),
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
        lastActivityAt: now,
      })),
    );
  }
  const loaded = await loadConversation(tx, conversation.id, true, now);
  await appendMessage(tx, loaded, author, input.body, now);
  return loaded;
}

export interface Start {
  patientId: string;
  patientUserId: string | null;
  carerUserId?: string;
  teamIds: string[];
  professionalIds: string[];
}

async function patientStart(
  tx: Tx,
  actor: Extract<SignedInActor, { kind: 'patient' }>,
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
  actor: Extract<SignedInActor, { kind: 'professional' }>,
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

/** Adds a message (M5 idempotent, M6 sequenced) and updates every team's work (W5). */
export async function postMessage(
  deps: AppDeps,
  actor: Actor,
  conversationId: string,
  body: string,
  request: RequestFacts & Idempotency,
  documentIds: readonly string[] = [],
): Promise<Outcome<Message>> {
  const author = requireVerifiedActor(actor);
  return inTransaction(deps, author, request, async (tx, audit) => {
    // Authorised before any replay, so a retry answers only while the author may still write.
    const loaded = await authorise(tx, author, conversationId, 'conversation.reply', {
      at: audit.now,
      lock: true,
    });
    // The time is read once the conversation is locked, so message times follow sequences.
    audit.now = deps.clock();
    return onceOnly(
      tx,
      // The whole body is the request: documents too (left out when none, as before them).
      idempotencyRef(
        author,
        request.key,
        'postMessage',
        { conversationId, body, ...(documentIds.length > 0 ? { documentIds } : {}) },
        audit.now,
      ),
      async () => {
        const message = await appendMessage(tx, loaded, author, body, audit.now);
        const target = {
          patientId: loaded.conversation.patientId,
          conversationId,
          messageId: message.id,
        };
        await attachDocuments(tx, author, target, documentIds, audit);
        await recordAudit(tx, audit, {
          action: 'message.sent',
          entityType: 'message',
          entityId: message.id,
          patientId: loaded.conversation.patientId,
          details: { conversationId, seq: message.seq },
        });
        // A new message has only the documents attached just now.
        const attachments =
          documentIds.length > 0 ? (await attachmentsOf(tx, [message.id])).get(message.id) : [];
        return { statusCode: 201, body: presentMessage(message, author, attachments) };
      },
    );
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
    const loaded = await authorise(tx, author, conversationId, 'conversation.markRead', {
      at: audit.now,
    });
    const upTo = Math.min(seq, loaded.conversation.lastMessageSeq);
    await markRead(
      tx,
      { conversationId, patientId: loaded.conversation.patientId, userId: author.userId },
      upTo,
      audit.now,
    );
  });
}
