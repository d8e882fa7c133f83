import { and, eq, gt, isNotNull, isNull, or } from 'drizzle-orm';
import { type AuditContext, recordAudit } from '../../platform/audit/audit';
import type { Tx } from '../../platform/db/database';
import { isUniqueViolation } from '../../platform/db/errors';
import type { AppDeps } from '../../platform/deps';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/http/problem';
import { enqueue } from '../../platform/outbox/outbox';
import {
  inTransaction,
  type Actor,
  type PatientActor,
  type RequestFacts,
  type SignedInActor,
} from '../identity/actor';
import { requireVerifiedActor } from '../identity/verification';
import { findPatient } from '../patients/patients.queries';
import { patients } from '../patients/patients.schema';
import { invitationCodeHash, newInvitationCode, normaliseInvitationCode } from './consent.codes';
import type { InviteCarerInput } from './consent.contracts';
import { consentEnd } from './consent.period';
import { presentInvitation } from './consent.presenters';
import { canOnInvitation } from './consent.policy';
import { recordAccessOf } from './consent.record-access';
import { carerConsents, carerInvitations } from './consent.schema';

/** How long an invitation waits to be accepted. */
export const INVITATION_VALID_MS = 14 * 24 * 60 * 60 * 1000;

export const patientNotFound = () => notFound('patient.not_found', 'Patient not found');

/** A carer acts as themselves: their name and that they are a carer, in every audit row. */
export function asCarer(audit: AuditContext, actor: PatientActor): AuditContext {
  return { ...audit, actorLabel: `${actor.name} (carer)` };
}

/**
 * A P9 patient invites a carer by email (C1, C5); or staff with record access record the
 * patient's consent from a witnessed paper form, which the audit says. Answers with the
 * code to hand to the carer, shown this once.
 */
export async function inviteCarer(
  deps: AppDeps,
  actor: Actor,
  input: InviteCarerInput,
  request: RequestFacts,
) {
  const author = requireVerifiedActor(actor);
  return inTransaction(deps, author, request, async (tx, audit) => {
    const patientId = await invitingFor(tx, author, input, audit.now);
    const patient = await findPatient(tx, patientId);
    if (!patient) throw patientNotFound();
    const email = input.email.trim().toLowerCase();
    if (patient.email && patient.email.toLowerCase() === email) {
      throw invalid([
        {
          field: 'body/email',
          code: 'carer.self_invitation',
          message:
            author.kind === 'professional'
              ? 'Enter the carer’s email address, not the patient’s own'
              : 'Enter the email address of the person you want as your carer',
        },
      ]);
    }
    const consentEndsAt = consentEnd(input.endsOn, audit.now);
    await refuseIfAlreadyWaiting(tx, author, patientId, email, audit.now);
    const code = newInvitationCode();
    const [invitation] = await tx
      .insert(carerInvitations)
      .values({
        patientId,
        email,
        level: input.level,
        consentEndsAt,
        tokenHash: invitationCodeHash(normaliseInvitationCode(code)!),
        expiresAt: new Date(audit.now.getTime() + INVITATION_VALID_MS),
        invitedByUserId: author.userId,
        recordedByProfessionalId: author.kind === 'professional' ? author.professionalId : null,
        witnessedBy: author.kind === 'professional' ? input.witnessedBy!.trim() : null,
        createdAt: audit.now,
      })
      .returning();
    if (!invitation) throw new Error('invitation insert returned nothing');
    await recordAudit(tx, audit, {
      action: 'carer.invited',
      entityType: 'carer_invitation',
      entityId: invitation.id,
      patientId,
      details: {
        level: input.level,
        endsAt: consentEndsAt?.toISOString() ?? null,
        onBehalfOfPatient: author.kind === 'professional',
        ...(author.kind === 'professional' ? { paperFormWitnessedBy: invitation.witnessedBy } : {}),
      },
    });
    await enqueue(
      tx,
      [
        {
          kind: 'carer.invited',
          eventKey: `carer-invitation:${invitation.id}`,
          recipientUserId: author.userId,
          payload: { invitationId: invitation.id },
        },
      ],
      audit.now,
    );
    return { invitation: presentInvitation(invitation), code };
  });
}

async function invitingFor(
  tx: Tx,
  author: SignedInActor,
  input: InviteCarerInput,
  now: Date,
): Promise<string> {
  if (author.kind === 'patient') {
    if (input.patientId !== undefined || input.witnessedBy !== undefined) {
      throw invalid([
        {
          field: 'body',
          code: 'carer.staff_only_field',
          message: 'patientId and witnessedBy are for staff recording a paper form',
        },
      ]);
    }
    return author.patientId;
  }
  if (input.patientId === undefined || input.witnessedBy === undefined) {
    throw invalid([
      {
        field: 'body',
        code: 'carer.paper_form_required',
        message: 'Choose the patient and say who witnessed their signed consent form',
      },
    ]);
  }
  const facts = {
    patientId: input.patientId,
    recordAccess: (await recordAccessOf(tx, author, input.patientId, now)) !== null,
  };
  if (!canOnInvitation(author, 'carerInvitation.recordPaper', facts)) throw patientNotFound();
  return input.patientId;
}

/**
 * Invitations whose code still works at `now`: pending, not lapsed, and not for a consent
 * whose last day has already passed (C1). What the lists call waiting; acceptance refuses the rest.
 */
export const invitationWaitingAt = (now: Date) =>
  and(
    eq(carerInvitations.status, 'pending'),
    gt(carerInvitations.expiresAt, now),
    or(isNull(carerInvitations.consentEndsAt), gt(carerInvitations.consentEndsAt, now)),
  );

/**
 * One code at a time per carer: a second invitation to an email whose invitation is still
 * waiting (a double submit, or staff recording the same paper form again) is refused, and
 * the words say where to cancel the waiting one to give a new code. Only invitations the
 * author can see and cancel count: the patient's, all of them; staff's, those from paper
 * forms (a patient's own online invitation is hers, and staff never learn of it). The
 * patient's row is locked first, so two requests at once cannot both find none.
 */
async function refuseIfAlreadyWaiting(
  tx: Tx,
  author: SignedInActor,
  patientId: string,
  email: string,
  now: Date,
) {
  await tx
    .select({ id: patients.id })
    .from(patients)
    .where(eq(patients.id, patientId))
    .for('no key update');
  const [waiting] = await tx
    .select({ id: carerInvitations.id })
    .from(carerInvitations)
    .where(
      and(
        eq(carerInvitations.patientId, patientId),
        eq(carerInvitations.email, email),
        invitationWaitingAt(now),
        author.kind === 'professional'
          ? isNotNull(carerInvitations.recordedByProfessionalId)
          : undefined,
      ),
    )
    .limit(1);
  if (!waiting) return;
  const message =
    author.kind === 'professional'
      ? 'An invitation to this email address is already waiting to be accepted. To give the carer a new code, cancel it first under “Carer invitations from paper forms” on the patient’s record.'
      : 'You have already invited this email address and the invitation is waiting to be accepted. To give them a new code, cancel it first under “Invitations waiting to be accepted”.';
  throw new AppError(409, 'carer.invitation_pending', 'Invitation already waiting', message, [
    { field: 'body/email', code: 'carer.invitation_pending', message },
  ]);
}

const invitationGone = () =>
  new AppError(
    410,
    'carer.invitation_expired',
    'Invitation no longer valid',
    'This invitation has expired, been used or been cancelled. Ask for a new one.',
  );

/**
 * The carer, signed in with their own account at P9 (C5), accepts with the code they were
 * given. A consent already open between the two is replaced by this one.
 */
export async function acceptCarerInvitation(
  deps: AppDeps,
  actor: Actor,
  typedCode: string,
  request: RequestFacts,
) {
  const carer = requireVerifiedActor(actor);
  if (carer.kind !== 'patient') {
    throw forbidden('carer.patients_only', 'Carers accept invitations with their own account.');
  }
  const code = normaliseInvitationCode(typedCode);
  if (!code) {
    throw invalid([
      {
        field: 'body/code',
        code: 'carer.invitation_code_invalid',
        message: 'Enter the 12-character code, like ABCD-EFGH-JKMN',
      },
    ]);
  }
  try {
    return await inTransaction(deps, carer, request, async (tx, audit) => {
      const [invitation] = await tx
        .select()
        .from(carerInvitations)
        .where(eq(carerInvitations.tokenHash, invitationCodeHash(code)))
        .for('update');
      if (!invitation) throw notFound('carer.invitation_not_found', 'No invitation has this code');
      const now = audit.now;
      if (
        invitation.status !== 'pending' ||
        invitation.expiresAt <= now ||
        (invitation.consentEndsAt !== null && invitation.consentEndsAt <= now)
      ) {
        throw invitationGone();
      }
      if (invitation.patientId === carer.patientId) {
        throw new AppError(
          422,
          'carer.self_invitation',
          'You cannot be your own carer',
          'This invitation is for someone else to accept.',
        );
      }
      // A new consent replaces any still open between the two.
      await tx
        .update(carerConsents)
        .set({ revokedAt: now, revokedByUserId: carer.userId })
        .where(
          and(
            eq(carerConsents.patientId, invitation.patientId),
            eq(carerConsents.carerUserId, carer.userId),
            isNull(carerConsents.revokedAt),
          ),
        );
      const [consent] = await tx
        .insert(carerConsents)
        .values({
          patientId: invitation.patientId,
          carerUserId: carer.userId,
          carerPatientId: carer.patientId,
          level: invitation.level,
          startsAt: now,
          endsAt: invitation.consentEndsAt,
          invitationId: invitation.id,
          recordedByProfessionalId: invitation.recordedByProfessionalId,
          createdAt: now,
        })
        .returning();
      if (!consent) throw new Error('consent insert returned nothing');
      await tx
        .update(carerInvitations)
        .set({ status: 'accepted', acceptedAt: now })
        .where(eq(carerInvitations.id, invitation.id));
      await recordAudit(tx, asCarer(audit, carer), {
        action: 'carer.consent_given',
        entityType: 'carer_consent',
        entityId: consent.id,
        patientId: invitation.patientId,
        details: {
          level: consent.level,
          endsAt: consent.endsAt?.toISOString() ?? null,
          onBehalfOfPatient: invitation.recordedByProfessionalId !== null,
        },
      });
      const patient = await findPatient(tx, invitation.patientId);
      return {
        consentId: consent.id,
        patient: {
          id: invitation.patientId,
          name: patient ? `${patient.givenName} ${patient.familyName}` : '',
        },
        level: consent.level,
        endsAt: consent.endsAt?.toISOString() ?? null,
      };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'carer_consents_open_key')) {
      throw conflict('carer.already_accepted', 'You have just accepted an invitation from them.');
    }
    throw error;
  }
}

/**
 * Cancels an invitation nobody has accepted yet, so its code no longer works (it then meets
 * the same refusal as an expired one): the patient, any of theirs; or staff with record
 * access, one recorded from a paper form (the letter went astray, or the patient changed
 * their mind). Not idempotent: a second cancel is told it was already cancelled (409), so
 * whoever did not do it learns that someone else did, and only one audit event is written.
 */
export async function cancelCarerInvitation(
  deps: AppDeps,
  actor: Actor,
  invitationId: string,
  request: RequestFacts,
) {
  const author = requireVerifiedActor(actor);
  await inTransaction(deps, author, request, async (tx, audit) => {
    const [invitation] = await tx
      .select()
      .from(carerInvitations)
      .where(eq(carerInvitations.id, invitationId))
      .for('update');
    const paper = invitation?.recordedByProfessionalId != null;
    const allowed =
      invitation !== undefined &&
      canOnInvitation(author, 'carerInvitation.cancel', {
        patientId: invitation.patientId,
        paper,
        recordAccess:
          author.kind === 'professional' &&
          (await recordAccessOf(tx, author, invitation.patientId, audit.now)) !== null,
      });
    if (!invitation || !allowed) {
      throw notFound('carer.invitation_not_found', 'Invitation not found');
    }
    if (invitation.status === 'accepted') {
      throw conflict(
        'carer.invitation_already_accepted',
        'This invitation has already been accepted. To end the carer’s access, end their consent.',
      );
    }
    if (invitation.status !== 'pending') {
      throw conflict('carer.invitation_not_pending', 'This invitation was already cancelled.');
    }
    await tx
      .update(carerInvitations)
      .set({ status: 'cancelled', cancelledAt: audit.now })
      .where(eq(carerInvitations.id, invitationId));
    await recordAudit(tx, audit, {
      action: 'carer.invitation_cancelled',
      entityType: 'carer_invitation',
      entityId: invitationId,
      patientId: invitation.patientId,
      ...(author.kind === 'professional'
        ? { details: { onBehalfOfPatient: true, paperInvitationCancelled: true } }
        : {}),
    });
  });
}
