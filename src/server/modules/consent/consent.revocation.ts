import { and, eq, isNull, sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import type { Tx } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { conflict, invalid, notFound } from '../../platform/http/problem';
import { outbox } from '../../platform/outbox/outbox.schema';
import { publish } from '../../platform/realtime/events';
import { conversationParticipants, conversations } from '../conversations/conversations.schema';
import { inTransaction, type Actor, type RequestFacts } from '../identity/actor';
import { requireVerifiedActor } from '../identity/verification';
import { asCarer } from './consent.commands';
import type { RevokeCarerConsentInput } from './consent.contracts';
import { presentConsent } from './consent.presenters';
import { recordAccessOf } from './consent.record-access';
import { carerConsents } from './consent.schema';

const consentNotFound = () => notFound('carer.consent_not_found', 'Consent not found');

/**
 * Ends a consent at once (C1): the patient revokes it, the carer steps down, or staff with
 * record access record the patient's request with its witness (for a patient who gave
 * consent on paper and does not use Carethread). The carer's next request finds no access;
 * their pending notifications about the patient are dropped and they leave the
 * conversations they were copied into.
 */
export async function revokeCarerConsent(
  deps: AppDeps,
  actor: Actor,
  consentId: string,
  request: RequestFacts,
  input?: RevokeCarerConsentInput,
) {
  const author = requireVerifiedActor(actor);
  return inTransaction(deps, author, request, async (tx, audit) => {
    const now = audit.now;
    const [consent] = await tx
      .select()
      .from(carerConsents)
      .where(eq(carerConsents.id, consentId))
      .for('update');
    if (author.kind === 'patient' && input !== undefined) {
      throw invalid([
        {
          field: 'body',
          code: 'carer.staff_only_field',
          message: 'witnessedBy is for staff recording the patient’s request',
        },
      ]);
    }
    const mine =
      consent !== undefined &&
      (author.kind === 'patient'
        ? consent.patientId === author.patientId || consent.carerUserId === author.userId
        : await recordAccessOf(tx, author, consent.patientId, now));
    if (!consent || !mine) throw consentNotFound();
    if (author.kind === 'professional' && input === undefined) {
      throw invalid([
        {
          field: 'body',
          code: 'carer.withdrawal_witness_required',
          message: 'Say who witnessed the patient ask to end this consent',
        },
      ]);
    }
    if (consent.revokedAt !== null || (consent.endsAt !== null && consent.endsAt <= now)) {
      throw conflict('carer.consent_not_active', 'This consent has already ended.');
    }
    await tx
      .update(carerConsents)
      .set({ revokedAt: now, revokedByUserId: author.userId })
      .where(eq(carerConsents.id, consentId));
    await endCarerAccess(tx, consent.patientId, consent.carerUserId, now, 'consent_revoked');
    const byCarer = author.kind === 'patient' && author.patientId !== consent.patientId;
    await recordAudit(tx, byCarer ? asCarer(audit, author) : audit, {
      action: 'carer.consent_revoked',
      entityType: 'carer_consent',
      entityId: consentId,
      patientId: consent.patientId,
      details: {
        byCarer,
        ...(input ? { onBehalfOfPatient: true, withdrawalWitnessedBy: input.witnessedBy } : {}),
      },
    });
    const [revoked] = await tx.select().from(carerConsents).where(eq(carerConsents.id, consentId));
    return presentConsent(revoked!, '', now);
  });
}

/**
 * What ending a carer's access does beyond the consent row (C1): their pending emails about
 * the patient are dropped, and they leave the conversations they were copied into.
 */
export async function endCarerAccess(
  tx: Tx,
  patientId: string,
  carerUserId: string,
  now: Date,
  reason: string,
): Promise<void> {
  const patientsConversations = sql`(select ${conversations.id}::text from ${conversations}
    where ${conversations.patientId} = ${patientId})`;
  await tx
    .update(outbox)
    .set({ status: 'dropped', droppedReason: reason, lockedUntil: null })
    .where(
      and(
        eq(outbox.status, 'pending'),
        eq(outbox.recipientUserId, carerUserId),
        sql`(${outbox.payload} ->> 'conversationId' in ${patientsConversations}
             or ${outbox.payload} ->> 'patientId' = ${patientId})`,
      ),
    );
  const left = await tx
    .update(conversationParticipants)
    .set({
      leftAt: now,
      leftSeq: sql`(select ${conversations.lastMessageSeq} from ${conversations}
                     where ${conversations.id} = ${conversationParticipants.conversationId})`,
    })
    .where(
      and(
        eq(conversationParticipants.patientId, patientId),
        eq(conversationParticipants.kind, 'carer'),
        eq(conversationParticipants.userId, carerUserId),
        isNull(conversationParticipants.leftAt),
      ),
    )
    .returning({ conversationId: conversationParticipants.conversationId });
  for (const { conversationId } of left) {
    await publish(tx, { type: 'conversation.changed', conversationId });
  }
}
