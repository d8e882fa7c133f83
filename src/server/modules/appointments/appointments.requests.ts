import { eq } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import type { AppDeps } from '../../platform/deps';
import { conflict, forbidden } from '../../platform/http/problem';
import { type Outcome, onceOnly } from '../../platform/idempotency/idempotency';
import { loadConversation } from '../conversations/conversations.facts';
import { can } from '../conversations/conversations.policy';
import { openConversation } from '../conversations/conversations.commands';
import { appendMessage } from '../conversations/conversations.messages';
import {
  inTransaction,
  type Actor,
  type RequestFacts,
  type SignedInActor,
} from '../identity/actor';
import { users } from '../identity/identity.schema';
import { requireVerifiedActor } from '../identity/verification';
import type { ChangeRequestInput } from './appointments.contracts';
import { authoriseAppointment, tellingFormerCarers } from './appointments.facts';
import { stillChangeable } from './appointments.presenters';
import { appointmentEvents, appointments } from './appointments.schema';

/** The subject of every appointment's conversation: no clinical detail (N2 spirit). */
export const APPOINTMENT_CONVERSATION_SUBJECT = 'About your appointment';

const PREFIX = { cancel: 'Ask to cancel', change: 'Ask to change' } as const;

/**
 * "Ask to cancel" / "Ask to change": the patient, or a carer with message consent, asks about
 * a booked appointment before its cut-off. The first question opens the appointment's own
 * conversation with the patient and the organisation's nominated appointments team (it is
 * the system, not the patient, that addresses that team, so M1's contactable rule does not
 * apply); later ones are new messages in it, which reopen it in that team's Unassigned (W5).
 */
export async function requestAppointmentChange(
  deps: AppDeps,
  actor: Actor,
  appointmentId: string,
  input: ChangeRequestInput,
  request: RequestFacts & { key: string | undefined },
): Promise<Outcome<{ conversationId: string }>> {
  const author = requireVerifiedActor(actor);
  // A carer whose access ended while they wrote is told so, not "not found" (C1).
  return tellingFormerCarers(
    deps.db,
    author,
    appointmentId,
    () => deps.clock(),
    () => askOnce(deps, author, appointmentId, input, request),
  );
}

function askOnce(
  deps: AppDeps,
  author: SignedInActor,
  appointmentId: string,
  input: ChangeRequestInput,
  request: RequestFacts & { key: string | undefined },
): Promise<Outcome<{ conversationId: string }>> {
  return inTransaction(deps, author, request, async (tx, audit) => {
    // Authorised before any replay, so a retry answers only while the author may still ask.
    const { row, access } = await authoriseAppointment(
      tx,
      author,
      appointmentId,
      'appointment.requestChange',
      { at: audit.now, lock: true },
    );
    return onceOnly(
      tx,
      request.key
        ? {
            userId: author.userId,
            key: request.key,
            operation: 'requestAppointmentChange',
            request: { appointmentId, ...input },
            now: audit.now,
          }
        : null,
      async () => {
        if (row.status !== 'booked') {
          throw conflict(
            'appointment.not_changeable',
            'This appointment is no longer booked, so it cannot be changed.',
          );
        }
        if (!stillChangeable(row, access, audit.now)) {
          throw conflict(
            'appointment.change_window_closed',
            'It is too close to the appointment to ask online. Phone the team instead.',
          );
        }
        const conversationId = row.conversationId
          ? await continueConversation(row.conversationId)
          : await startConversation();
        const version = row.version + 1;
        await tx
          .update(appointments)
          .set({ conversationId, version, updatedAt: audit.now })
          .where(eq(appointments.id, row.id));
        const forCarer = author.kind === 'patient' && author.patientId !== row.patientId;
        await tx.insert(appointmentEvents).values({
          appointmentId: row.id,
          patientId: row.patientId,
          kind: input.kind === 'cancel' ? 'cancel_requested' : 'change_requested',
          changes: null,
          changedByUserId: author.userId,
          changedByLabel: forCarer ? `${author.name} (carer)` : author.name,
          version,
          at: audit.now,
        });
        await recordAudit(tx, audit, {
          action: 'appointment.change_requested',
          entityType: 'appointment',
          entityId: row.id,
          patientId: row.patientId,
          details: { kind: input.kind, conversationId, version },
        });
        return { statusCode: 201, body: { conversationId } };
      },
    );

    async function startConversation(): Promise<string> {
      const teamId = access.settingsOf(row.organisationId).appointmentsTeamId ?? row.teamId;
      const [patientUser] = await tx
        .select({ id: users.id })
        .from(users)
        .where(eq(users.patientId, row.patientId));
      const carerUserId =
        author.kind === 'patient' && author.patientId !== row.patientId ? author.userId : undefined;
      const loaded = await openConversation(
        tx,
        author,
        {
          patientId: row.patientId,
          patientUserId: patientUser?.id ?? null,
          ...(carerUserId ? { carerUserId } : {}),
          teamIds: [teamId],
          professionalIds: [],
        },
        { subject: APPOINTMENT_CONVERSATION_SUBJECT, body: bodyOf() },
        audit.now,
      );
      await recordAudit(tx, audit, {
        action: 'conversation.created',
        entityType: 'conversation',
        entityId: loaded.conversation.id,
        patientId: row.patientId,
        details: { teams: 1, professionals: 0, appointmentId: row.id },
      });
      return loaded.conversation.id;
    }

    async function continueConversation(conversationId: string): Promise<string> {
      const loaded = await loadConversation(tx, conversationId, true, audit.now);
      // The patient may have made it private from carers (C1): then a carer asks by phone.
      if (!can(author, 'conversation.reply', loaded.facts)) {
        throw forbidden(
          'appointment.conversation_private',
          'The patient keeps this appointment’s conversation private.',
        );
      }
      const message = await appendMessage(tx, loaded, author, bodyOf(), audit.now);
      await recordAudit(tx, audit, {
        action: 'message.sent',
        entityType: 'message',
        entityId: message.id,
        patientId: row.patientId,
        details: { conversationId, seq: message.seq },
      });
      return conversationId;
    }

    function bodyOf(): string {
      return `${PREFIX[input.kind]}: ${input.message.trim()}`;
    }
  });
}
