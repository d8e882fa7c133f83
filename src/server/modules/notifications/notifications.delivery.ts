import { and, eq } from 'drizzle-orm';
import type { Database } from '../../platform/db/database';
import { AppError } from '../../platform/http/problem';
import { type Mailer, notificationMessageId } from '../../platform/mail/mailer';
import { newMessageEmail, reminderEmail, signInLink } from '../../platform/mail/templates';
import type { OutboxRow } from '../../platform/outbox/outbox';
import type { Delivery, Handler } from '../../platform/outbox/relay';
import { loadConversation } from '../conversations/conversations.facts';
import { relationOf } from '../conversations/conversations.policy';
import { conversationReads, messages } from '../conversations/conversations.schema';
import { organisations, professionals, teams } from '../directory/directory.schema';
import type { Actor } from '../identity/actor';
import { membershipsOf } from '../identity/identity.queries';
import { users } from '../identity/identity.schema';
import { patients } from '../patients/patients.schema';

export interface DeliveryDeps {
  db: Database;
  /** The current time: carers' consents are judged against it at delivery (C1, N4). */
  clock: () => Date;
  mailer: Mailer;
  /** Where people sign in: the only link an email carries (N2). */
  publicUrl: string;
  mailFrom: string;
}

const dropped = (reason: string): Delivery => ({ outcome: 'dropped', reason });

/** The recipient as they are now, with an email address, or null if they are gone. */
export async function recipientNow(
  db: Database,
  userId: string,
): Promise<{ actor: Exclude<Actor, { kind: 'anonymous' }>; email: string | null } | null> {
  const [row] = await db
    .select({ user: users, professional: professionals, patient: patients })
    .from(users)
    .leftJoin(professionals, eq(professionals.id, users.professionalId))
    .leftJoin(patients, eq(patients.id, users.patientId))
    .where(eq(users.id, userId));
  if (row?.professional?.active) {
    const memberships = await membershipsOf(db, row.professional.id);
    const actor = {
      kind: 'professional' as const,
      userId,
      professionalId: row.professional.id,
      name: row.professional.name,
      memberships,
    };
    return { actor, email: row.professional.email };
  }
  if (row?.patient) {
    const actor = {
      kind: 'patient' as const,
      userId,
      patientId: row.patient.id,
      name: '',
      identityLevel: row.patient.identityLevel,
    };
    return { actor, email: row.patient.email };
  }
  return null;
}

/**
 * Delivers a "you have a new secure message" email (or its one reminder), after checking
 * afresh that the recipient still takes part and has not read it already (N4). The email
 * names only the team and organisation (N2). A change of email setting since it was queued
 * does not withdraw it: who hears was settled when the message was sent (N3), and it may be
 * the only email the team gets.
 */
export function messageNotificationHandler(
  deps: DeliveryDeps,
  kind: 'notify' | 'reminder',
): Handler {
  return async (row: OutboxRow): Promise<Delivery> => {
    const { conversationId, messageId, teamId } = row.payload;
    if (!conversationId || !messageId) return dropped('malformed');
    const recipient = await recipientNow(deps.db, row.recipientUserId);
    if (!recipient) return dropped('recipient_gone');
    // Only a conversation that is not there drops the notification: any other failure (a
    // lost connection, say) is thrown, so the relay tries again after its backoff.
    const loaded = await loadConversation(deps.db, conversationId, false, deps.clock()).catch(
      (error: unknown) => {
        if (error instanceof AppError && error.code === 'conversation.not_found') return null;
        throw error;
      },
    );
    if (!loaded) return dropped('conversation_gone');
    // A carer whose consent was revoked or ran out since, or whose conversation became
    // private, hears nothing (C1).
    const relation = relationOf(recipient.actor, loaded.facts);
    if (relation !== 'participant' && relation !== 'patient' && relation !== 'carer')
      return dropped('no_access');
    if (!recipient.email) return dropped('no_email');
    if (await alreadyRead(deps.db, row.recipientUserId, conversationId, messageId))
      return dropped('already_read');

    const sender = await teamAndOrganisation(deps.db, teamId ?? loaded.facts.activeTeamIds[0]);
    const input = {
      ...sender,
      signInUrl: signInLink(deps.publicUrl),
      footer: organisationFooter(sender.organisationName),
    };
    const content = kind === 'notify' ? newMessageEmail(input) : reminderEmail(input);
    await deps.mailer.send({
      to: recipient.email,
      ...content,
      messageId: notificationMessageId(
        [row.kind, row.eventKey, row.recipientUserId],
        deps.mailFrom,
      ),
    });
    return { outcome: 'sent' };
  };
}

async function alreadyRead(
  db: Database,
  userId: string,
  conversationId: string,
  messageId: string,
): Promise<boolean> {
  const [message] = await db
    .select({ seq: messages.seq })
    .from(messages)
    .where(eq(messages.id, messageId));
  const [read] = await db
    .select({ seq: conversationReads.lastReadSeq })
    .from(conversationReads)
    .where(
      and(
        eq(conversationReads.userId, userId),
        eq(conversationReads.conversationId, conversationId),
      ),
    );
  return message !== undefined && read !== undefined && read.seq >= message.seq;
}

async function teamAndOrganisation(db: Database, teamId: string | undefined) {
  if (!teamId) return { teamName: 'your care team', organisationName: 'the NHS' };
  const [row] = await db
    .select({ teamName: teams.name, organisationName: organisations.name })
    .from(teams)
    .innerJoin(organisations, eq(organisations.id, teams.organisationId))
    .where(eq(teams.id, teamId));
  return row ?? { teamName: 'your care team', organisationName: 'the NHS' };
}

/** The footer every notification from an organisation carries. */
export function organisationFooter(organisationName: string): string {
  return `${organisationName}\nSent by Carethread, the secure messaging service of ${organisationName}.`;
}
