import { eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database';
import { notificationMessageId } from '../../platform/mail/mailer';
import { appointmentUpdateEmail, signInLink } from '../../platform/mail/templates';
import { enqueue } from '../../platform/outbox/outbox';
import type { Delivery, Handler } from '../../platform/outbox/relay';
import { appointments } from '../appointments/appointments.schema';
import { activeCarerUserIds, activeConsentOf } from '../consent/consent.queries';
import { organisations } from '../directory/directory.schema';
import { users } from '../identity/identity.schema';
import { patients } from '../patients/patients.schema';
import { type DeliveryDeps, organisationFooter } from './notifications.delivery';

export const APPOINTMENT_UPDATED = 'appointment.updated';

const dropped = (reason: string): Delivery => ({ outcome: 'dropped', reason });

/**
 * Queues "you have an appointment update" for the patient and each carer whose consent is in
 * force now, in the transaction that booked, moved or cancelled the appointment (N4). One
 * email per person per version of the appointment.
 */
export async function notifyAppointmentUpdate(
  tx: Tx,
  appointment: { id: string; patientId: string; version: number },
  now: Date,
): Promise<void> {
  const [patientUser] = await tx
    .select({ id: users.id })
    .from(users)
    .where(eq(users.patientId, appointment.patientId));
  const recipients = [
    ...(patientUser ? [patientUser.id] : []),
    ...(await activeCarerUserIds(tx, appointment.patientId, now)),
  ];
  await enqueue(
    tx,
    [...new Set(recipients)].map((recipientUserId) => ({
      kind: APPOINTMENT_UPDATED,
      eventKey: `appointment:${appointment.id}:${appointment.version}`,
      recipientUserId,
      payload: { appointmentId: appointment.id, patientId: appointment.patientId },
    })),
    now,
  );
}

/**
 * Delivers the appointment update: to the patient, or to a carer whose consent is still in
 * force at delivery (C1, N4). It names the organisation only (N2).
 */
export function appointmentUpdateHandler(deps: DeliveryDeps): Handler {
  return async (row) => {
    const { appointmentId, patientId } = row.payload;
    if (!appointmentId || !patientId) return dropped('malformed');
    const [appointment] = await deps.db
      .select({ organisationName: organisations.name })
      .from(appointments)
      .innerJoin(organisations, eq(organisations.id, appointments.organisationId))
      .where(eq(appointments.id, appointmentId));
    if (!appointment) return dropped('appointment_gone');
    const [recipient] = await deps.db
      .select({ patientId: patients.id, email: patients.email })
      .from(users)
      .innerJoin(patients, eq(patients.id, users.patientId))
      .where(eq(users.id, row.recipientUserId));
    if (!recipient) return dropped('recipient_gone');
    if (
      recipient.patientId !== patientId &&
      !(await activeConsentOf(deps.db, row.recipientUserId, patientId, deps.clock()))
    ) {
      return dropped('no_access');
    }
    if (!recipient.email) return dropped('no_email');
    await deps.mailer.send({
      to: recipient.email,
      ...appointmentUpdateEmail({
        organisationName: appointment.organisationName,
        signInUrl: signInLink(deps.publicUrl),
        footer: organisationFooter(appointment.organisationName),
      }),
      messageId: notificationMessageId(
        [row.kind, row.eventKey, row.recipientUserId],
        deps.mailFrom,
      ),
    });
    return { outcome: 'sent' };
  };
}
