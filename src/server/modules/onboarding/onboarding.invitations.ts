import { and, eq } from 'drizzle-orm';
import type { Database } from '../../platform/db/database';
import { type Mailer, notificationMessageId } from '../../platform/mail/mailer';
import {
  patientInvitationEmail,
  signInLink,
  staffInvitationEmail,
} from '../../platform/mail/templates';
import type { Delivery, Handler } from '../../platform/outbox/relay';
import {
  organisations,
  professionals,
  teamMemberships,
  teams,
} from '../directory/directory.schema';
import { users } from '../identity/identity.schema';
import { organisationFooter } from '../notifications/notifications.delivery';
import { patientRegistrations, patients } from '../patients/patients.schema';
import { INVITATION_KINDS } from './onboarding.people';

export interface InvitationDeps {
  db: Database;
  mailer: Mailer;
  publicUrl: string;
  mailFrom: string;
}

const dropped = (reason: string): Delivery => ({ outcome: 'dropped', reason });

/** Where the recipient is now, if they still belong to the organisation that invited them. */
async function staffAddress(db: Database, userId: string, organisationId: string) {
  const [row] = await db
    .select({ email: professionals.email, active: professionals.active, id: professionals.id })
    .from(users)
    .innerJoin(professionals, eq(professionals.id, users.professionalId))
    .where(eq(users.id, userId));
  if (!row?.active) return null;
  const [member] = await db
    .select({ teamId: teamMemberships.teamId })
    .from(teamMemberships)
    .innerJoin(teams, eq(teams.id, teamMemberships.teamId))
    .where(
      and(eq(teamMemberships.professionalId, row.id), eq(teams.organisationId, organisationId)),
    )
    .limit(1);
  return member ? row.email : null;
}

async function patientAddress(db: Database, userId: string, organisationId: string) {
  const [row] = await db
    .select({ email: patients.email })
    .from(users)
    .innerJoin(patients, eq(patients.id, users.patientId))
    .innerJoin(
      patientRegistrations,
      and(
        eq(patientRegistrations.patientId, patients.id),
        eq(patientRegistrations.organisationId, organisationId),
      ),
    )
    .where(eq(users.id, userId));
  return row?.email ?? null;
}

/**
 * Sends an invitation queued by an import, after checking afresh that the person still
 * belongs to the organisation (N4). It names the organisation only (N2).
 */
export function invitationHandler(deps: InvitationDeps, audience: 'staff' | 'patient'): Handler {
  return async (row) => {
    const { organisationId } = row.payload;
    if (!organisationId) return dropped('malformed');
    const email =
      audience === 'staff'
        ? await staffAddress(deps.db, row.recipientUserId, organisationId)
        : await patientAddress(deps.db, row.recipientUserId, organisationId);
    if (!email) return dropped('no_longer_invited');
    const [organisation] = await deps.db
      .select({ name: organisations.name })
      .from(organisations)
      .where(eq(organisations.id, organisationId));
    if (!organisation) return dropped('organisation_gone');
    const input = {
      organisationName: organisation.name,
      signInUrl: signInLink(deps.publicUrl),
      footer: organisationFooter(organisation.name),
    };
    const content =
      audience === 'staff' ? staffInvitationEmail(input) : patientInvitationEmail(input);
    await deps.mailer.send({
      to: email,
      ...content,
      messageId: notificationMessageId(
        [row.kind, row.eventKey, row.recipientUserId],
        deps.mailFrom,
      ),
    });
    return { outcome: 'sent' };
  };
}

/** The outbox handlers for invitations, by kind: for the notification worker. */
export function invitationHandlers(deps: InvitationDeps): Record<string, Handler> {
  return {
    [INVITATION_KINDS.staff]: invitationHandler(deps, 'staff'),
    [INVITATION_KINDS.patient]: invitationHandler(deps, 'patient'),
  };
}
