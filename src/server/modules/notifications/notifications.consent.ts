import { and, eq } from 'drizzle-orm';
import { notificationMessageId } from '../../platform/mail/mailer';
import {
  carerInvitationEmail,
  recordAccessedEmail,
  signInLink,
} from '../../platform/mail/templates';
import type { Delivery, Handler } from '../../platform/outbox/relay';
import { activeConsentOf } from '../consent/consent.queries';
import { breakGlassSessions, carerInvitations } from '../consent/consent.schema';
import { organisations } from '../directory/directory.schema';
import { users } from '../identity/identity.schema';
import { patients } from '../patients/patients.schema';
import { type DeliveryDeps, organisationFooter } from './notifications.delivery';

const dropped = (reason: string): Delivery => ({ outcome: 'dropped', reason });
const SERVICE_FOOTER = 'Sent by Carethread, secure messaging for patients, carers and care teams.';

/**
 * The notice to an invited carer: sent only while the invitation still waits, to the address
 * the patient gave. It names nobody and carries no code (N2): the patient hands that over.
 */
export function carerInvitationHandler(deps: DeliveryDeps): Handler {
  return async (row) => {
    const { invitationId } = row.payload;
    if (!invitationId) return dropped('malformed');
    const [invitation] = await deps.db
      .select()
      .from(carerInvitations)
      .where(eq(carerInvitations.id, invitationId));
    if (!invitation) return dropped('invitation_gone');
    if (invitation.status !== 'pending' || invitation.expiresAt <= deps.clock())
      return dropped('invitation_not_pending');
    await deps.mailer.send({
      to: invitation.email,
      ...carerInvitationEmail({ signInUrl: signInLink(deps.publicUrl), footer: SERVICE_FOOTER }),
      messageId: notificationMessageId(
        [row.kind, row.eventKey, row.recipientUserId],
        deps.mailFrom,
      ),
    });
    return { outcome: 'sent' };
  };
}

/**
 * "Someone used emergency access to your record", to the patient and each carer whose
 * consent is still in force at delivery (C1, N4). Organisation only (N2).
 */
export function breakGlassNoticeHandler(deps: DeliveryDeps): Handler {
  return async (row) => {
    const { breakGlassId, patientId } = row.payload;
    if (!breakGlassId || !patientId) return dropped('malformed');
    const [session] = await deps.db
      .select({ organisationName: organisations.name })
      .from(breakGlassSessions)
      .innerJoin(organisations, eq(organisations.id, breakGlassSessions.organisationId))
      .where(
        and(eq(breakGlassSessions.id, breakGlassId), eq(breakGlassSessions.patientId, patientId)),
      );
    if (!session) return dropped('break_glass_gone');
    const [recipient] = await deps.db
      .select({ patientId: patients.id, email: patients.email })
      .from(users)
      .innerJoin(patients, eq(patients.id, users.patientId))
      .where(eq(users.id, row.recipientUserId));
    if (!recipient) return dropped('recipient_gone');
    const forCarer = recipient.patientId !== patientId;
    if (forCarer && !(await activeConsentOf(deps.db, row.recipientUserId, patientId, deps.clock())))
      return dropped('no_access');
    if (!recipient.email) return dropped('no_email');
    await deps.mailer.send({
      to: recipient.email,
      ...recordAccessedEmail({
        organisationName: session.organisationName,
        forCarer,
        signInUrl: signInLink(deps.publicUrl),
        footer: organisationFooter(session.organisationName),
      }),
      messageId: notificationMessageId(
        [row.kind, row.eventKey, row.recipientUserId],
        deps.mailFrom,
      ),
    });
    return { outcome: 'sent' };
  };
}
