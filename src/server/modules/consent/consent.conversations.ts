import { and, eq, isNull, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import type { Tx } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { AppError, conflict, forbidden, invalid } from '../../platform/http/problem';
import { publish } from '../../platform/realtime/events';
import { authorise } from '../conversations/conversations.access';
import type { CreateConversationInput } from '../conversations/conversations.contracts';
import { loadConversation } from '../conversations/conversations.facts';
import { presentConversation } from '../conversations/conversations.presenters';
import { checkPatientRecipients } from '../conversations/conversations.recipients';
import { conversationParticipants } from '../conversations/conversations.schema';
import { inTransaction, type Actor, type PatientActor, type RequestFacts } from '../identity/actor';
import { users } from '../identity/identity.schema';
import { requireVerifiedActor } from '../identity/verification';
import { patientNotFound } from './consent.commands';
import { consentStatus } from './consent.presenters';
import { carerConsents, privateConversations } from './consent.schema';

/**
 * A consent read FOR SHARE, for a command that makes a carer take part on the strength of
 * it (C1). Revocation updates the row, so it waits until this transaction commits and its
 * end of the carer's access then sees the new participant; or, if it came first, the row
 * read here is already revoked. Judge the row returned, not an earlier read.
 */
async function lockConsent(tx: Tx, where: SQL | undefined) {
  const [row] = await tx.select().from(carerConsents).where(where).for('share');
  return row;
}

/**
 * A carer with message consent starts a conversation on the patient's behalf (M1, C1): to the
 * patient's contactable teams, in the patient's record, with the carer taking part as
 * themselves. Without consent in force the patient does not exist for them.
 */
export async function carerStart(
  tx: Tx,
  carer: PatientActor,
  input: CreateConversationInput,
  now: Date,
) {
  const patientId = input.patientId!;
  if (input.asTeamId !== undefined) {
    throw invalid([
      { field: 'body', code: 'conversation.staff_only_field', message: 'asTeamId is for staff' },
    ]);
  }
  const consent = await lockConsent(
    tx,
    and(
      eq(carerConsents.carerUserId, carer.userId),
      eq(carerConsents.patientId, patientId),
      isNull(carerConsents.revokedAt),
    ),
  );
  if (!consent || consentStatus(consent, now) !== 'active') throw patientNotFound();
  if (consent.level !== 'message') {
    throw forbidden(
      'conversation.carer_view_only',
      'You can read this person’s messages but not send them.',
    );
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
  await checkPatientRecipients(tx, patientId, recipients);
  const [patientUser] = await tx
    .select({ id: users.id })
    .from(users)
    .where(eq(users.patientId, patientId));
  return { patientId, patientUserId: patientUser?.id ?? null, carerUserId: carer.userId };
}

/** The patient marks a conversation private from carers, or shares it with them again (C1). */
export async function setConversationPrivacy(
  deps: AppDeps,
  actor: Actor,
  conversationId: string,
  privateFromCarers: boolean,
  request: RequestFacts,
) {
  const author = requireVerifiedActor(actor);
  return inTransaction(deps, author, request, async (tx, audit) => {
    const loaded = await authorise(tx, author, conversationId, 'conversation.setPrivacy', {
      at: audit.now,
      lock: true,
    });
    const patientId = loaded.conversation.patientId;
    if (privateFromCarers) {
      await tx
        .insert(privateConversations)
        .values({ conversationId, patientId, markedByUserId: author.userId, markedAt: audit.now })
        .onConflictDoNothing();
      // Carers copied in leave: they keep what they saw up to now (M3).
      await tx
        .update(conversationParticipants)
        .set({ leftAt: audit.now, leftSeq: loaded.conversation.lastMessageSeq })
        .where(
          and(
            eq(conversationParticipants.conversationId, conversationId),
            eq(conversationParticipants.kind, 'carer'),
            isNull(conversationParticipants.leftAt),
          ),
        );
    } else {
      await tx
        .delete(privateConversations)
        .where(eq(privateConversations.conversationId, conversationId));
    }
    await recordAudit(tx, audit, {
      action: privateFromCarers ? 'conversation.made_private' : 'conversation.shared_with_carers',
      entityType: 'conversation',
      entityId: conversationId,
      patientId,
    });
    await publish(tx, { type: 'conversation.changed', conversationId });
    return presentConversation(
      tx,
      author,
      await loadConversation(tx, conversationId, false, audit.now),
    );
  });
}

/** The patient (M1) or staff taking part (M2) copy a consented carer into a conversation. */
export async function copyInCarer(
  deps: AppDeps,
  actor: Actor,
  conversationId: string,
  consentId: string,
  request: RequestFacts,
) {
  const author = requireVerifiedActor(actor);
  return inTransaction(deps, author, request, async (tx, audit) => {
    const loaded = await authorise(tx, author, conversationId, 'conversation.copyInCarer', {
      at: audit.now,
      lock: true,
    });
    const patientId = loaded.conversation.patientId;
    const consent = await lockConsent(tx, eq(carerConsents.id, consentId));
    if (
      !consent ||
      consent.patientId !== patientId ||
      consentStatus(consent, audit.now) !== 'active'
    ) {
      throw new AppError(
        422,
        'carer.consent_not_active',
        'Not a carer',
        'Only a carer with consent in force can be copied in.',
        [
          {
            field: 'body/consentId',
            code: 'carer.consent_not_active',
            message: 'Choose one of the patient’s carers',
          },
        ],
      );
    }
    const already = loaded.participants.some(
      (p) => p.kind === 'carer' && p.userId === consent.carerUserId && p.leftAt === null,
    );
    if (already)
      throw conflict(
        'conversation.already_participant',
        'They are already part of this conversation.',
      );
    await tx.insert(conversationParticipants).values({
      conversationId,
      patientId,
      kind: 'carer',
      userId: consent.carerUserId,
      addedByUserId: author.userId,
      joinedAt: audit.now,
    });
    await recordAudit(tx, audit, {
      action: 'conversation.carer_copied_in',
      entityType: 'conversation',
      entityId: conversationId,
      patientId,
      details: { consentId },
    });
    await publish(tx, { type: 'conversation.changed', conversationId });
    return presentConversation(
      tx,
      author,
      await loadConversation(tx, conversationId, false, audit.now),
    );
  });
}
