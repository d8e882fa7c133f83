import { patientName } from '../patients/patients.queries';
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../platform/db/database';
import { organisations, professionals, teams } from '../directory/directory.schema';
import type { SignedInActor } from '../identity/actor';
import { users } from '../identity/identity.schema';
import { patients } from '../patients/patients.schema';
import { appointments } from '../appointments/appointments.schema';
import { attachmentsOf } from '../documents/documents.attachments';
import type { Attachment } from '../documents/documents.contracts';
import { addressedByPatientSide } from './conversations.addressees';
import { canWork } from './conversations.policy';
import { accessBasis, can, relationOf } from './conversations.policy';
import type { ConversationDetail, Message } from './conversations.contracts';
import { type LoadedConversation, type ParticipantRow, staffTakePart } from './conversations.facts';
import type { MessageRow } from './conversations.messages';
import {
  conversationParticipants,
  conversationReads,
  conversationTeamStates,
  messages,
} from './conversations.schema';

export function presentMessage(
  row: MessageRow,
  actor: SignedInActor,
  attachments: Attachment[] = [],
): Message {
  return {
    id: row.id,
    seq: row.seq,
    authorKind: row.authorKind,
    authorName: row.authorLabel,
    authorIsMe: row.authorUserId === actor.userId,
    // Sent in error: nobody reads the text any more, the author included.
    body: row.enteredInErrorAt ? '' : row.body,
    createdAt: row.createdAt.toISOString(),
    attachments,
    enteredInError: row.enteredInErrorAt
      ? { at: row.enteredInErrorAt.toISOString(), by: row.enteredInErrorBy ?? row.authorLabel }
      : null,
  };
}

/** The actor's own place: their individual place as staff, or their own as patient or carer. */
function isOwnPlace(p: ParticipantRow, actor: SignedInActor): boolean {
  if (p.kind === 'professional') {
    return actor.kind === 'professional' && p.professionalId === actor.professionalId;
  }
  return p.kind !== 'team' && p.userId !== null && p.userId === actor.userId;
}

/** The last sequence a former participant saw: the latest of their ended participations. */
function seenUpTo(actor: SignedInActor, participants: ParticipantRow[]): number {
  if (actor.kind !== 'professional') return 0;
  const mine = participants.filter(
    (p) =>
      p.professionalId === actor.professionalId ||
      actor.memberships.some((m) => m.teamId === p.teamId),
  );
  return Math.max(0, ...mine.map((p) => p.leftSeq ?? 0));
}

/**
 * The conversation as this actor may see it, with the actions they may take. Assignments
 * appear only for the actor's own teams (W2); patients see staff only where staff wrote, or
 * where the patient's side wrote to them by name.
 */
export async function presentConversation(
  tx: Tx,
  actor: SignedInActor,
  loaded: LoadedConversation,
): Promise<ConversationDetail> {
  const { conversation, participants, facts } = loaded;
  const relation = relationOf(actor, facts);
  const visibleUpTo =
    relation === 'former' ? seenUpTo(actor, participants) : conversation.lastMessageSeq;
  const rows = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversation.id), lte(messages.seq, visibleUpTo)))
    .orderBy(asc(messages.seq));
  const context = await contextOf(tx, conversation.id, conversation.patientId, actor.userId);
  const name = context.patient ? patientName(context.patient) : '';
  const teamNames = new Map(context.teams.map((t) => [t.id, t]));
  const people = new Map(context.people.map((p) => [p.id, p]));
  const carerNames = new Map(context.carers.map((c) => [c.id, patientName(c)]));
  const authors = new Set(
    rows.flatMap((m) => (m.authorProfessionalId ? [m.authorProfessionalId] : [])),
  );
  const staffView = actor.kind === 'professional';

  const shown = participants.filter(
    (p) =>
      staffView ||
      p.kind !== 'professional' ||
      (p.professionalId !== null && authors.has(p.professionalId)) ||
      addressedByPatientSide(p, participants),
  );
  const myTeamIds = actor.kind === 'professional' ? actor.memberships.map((m) => m.teamId) : [];
  const readOnly = !can(actor, 'conversation.reply', facts);
  const work = myTeamIds.length === 0 ? [] : await workOf(tx, conversation.id, myTeamIds);
  const attachments = await attachmentsOf(
    tx,
    rows.map((row) => row.id),
  );

  return {
    id: conversation.id,
    subject: conversation.subject,
    patient: {
      id: conversation.patientId,
      name,
      // Staff confirm who the patient is before advising; patients and carers know already.
      ...(staffView && context.patient
        ? { nhsNumber: context.patient.nhsNumber, dateOfBirth: context.patient.dateOfBirth }
        : {}),
    },
    createdAt: conversation.createdAt.toISOString(),
    lastMessageSeq: visibleUpTo,
    myLastReadSeq: Math.min(context.lastReadSeq, visibleUpTo),
    readOnly,
    readingAs: staffView && readOnly ? readingAs(actor, loaded) : null,
    myFormerTeams: staffView ? formerTeamsOf(participants, myTeamIds, teamNames) : [],
    privateFromCarers: facts.privateFromCarers ?? false,
    appointmentId: context.appointmentId,
    // Said only to those who could otherwise write here: the patient and carers who may send.
    nobodyToRead: !context.staffTakePart && can(actor, 'conversation.reply', facts),
    participants: shown.map((p) => ({
      id: p.id,
      kind: p.kind,
      active: p.leftAt === null,
      you: isOwnPlace(p, actor),
      ...(p.kind === 'carer'
        ? { name: carerNames.get(p.userId ?? '') ?? '', detail: 'Carer' }
        : participantName(p, name, teamNames, people)),
    })),
    messages: rows.map((row) => presentMessage(row, actor, attachments.get(row.id))),
    handlingTeams: participants
      .filter((p) => p.kind === 'team' && p.leftAt === null && p.teamId)
      // Two teams can share a name: where each is and what it does tell them apart.
      .map((p) => {
        const team = teamNames.get(p.teamId!);
        return {
          teamId: p.teamId!,
          teamName: team?.name ?? '',
          organisationName: team?.organisationName ?? '',
          description: team?.description ?? '',
        };
      }),
    teamWorkflow: work.map((w) => {
      const facts = {
        teamId: w.teamId,
        assigneeProfessionalId: w.assigneeProfessionalId,
        archived: w.archivedAt !== null,
      };
      return {
        teamId: w.teamId,
        teamName: teamNames.get(w.teamId)?.name ?? '',
        assignee: w.assigneeProfessionalId
          ? { professionalId: w.assigneeProfessionalId, name: w.assigneeName ?? '' }
          : null,
        archived: w.archivedAt !== null,
        waitingSince: w.waitingSince?.toISOString() ?? null,
        actions: {
          assignToMe: canWork(actor, 'work.assignToMe', facts) && w.assigneeProfessionalId === null,
          unassign: canWork(actor, 'work.unassign', facts),
          archive: canWork(actor, 'work.archive', facts),
          reopen: canWork(actor, 'work.reopen', facts),
        },
      };
    }),
    actions: {
      // A patient's or carer's message needs someone on the staff side to read it (W5).
      reply:
        can(actor, 'conversation.reply', facts) &&
        (actor.kind !== 'patient' || context.staffTakePart),
      join: staffView && can(actor, 'conversation.join', facts),
      leave: staffView && can(actor, 'conversation.leave', facts),
      addParticipant: staffView && can(actor, 'conversation.addParticipant', facts),
      setPrivacy: can(actor, 'conversation.setPrivacy', facts),
      copyInCarer: can(actor, 'conversation.copyInCarer', facts),
      removeAnyMessage: can(actor, 'conversation.removeAnyMessage', facts),
    },
  };
}

/** Why staff who do not take part may read: what their read-only page tells them (C3, M3). */
function readingAs(
  actor: SignedInActor,
  { facts }: LoadedConversation,
): ConversationDetail['readingAs'] {
  switch (accessBasis(actor, facts)) {
    case 'care_relationship':
    case 'record_grant':
      return 'record_access';
    case 'break_glass':
      return 'break_glass';
    case 'former_participant':
      return 'former_participant';
    default:
      return null;
  }
}

/** The reader's teams that took part and no longer do (left, or taken out by a colleague). */
function formerTeamsOf(
  participants: ParticipantRow[],
  myTeamIds: string[],
  teamNames: Map<string, { name: string }>,
): { teamId: string; teamName: string }[] {
  const teamRows = participants.filter(
    (p) => p.kind === 'team' && p.teamId !== null && myTeamIds.includes(p.teamId),
  );
  const active = new Set(teamRows.filter((p) => p.leftAt === null).map((p) => p.teamId));
  const former = new Set(teamRows.filter((p) => !active.has(p.teamId)).map((p) => p.teamId!));
  return [...former].map((teamId) => ({ teamId, teamName: teamNames.get(teamId)?.name ?? '' }));
}

interface Named {
  givenName: string;
  familyName: string;
}

/** What a conversation's page shows besides its messages, and the viewer's read mark. */
interface PageContext {
  patient: (Named & { nhsNumber: string; dateOfBirth: string }) | null;
  /** Every team, professional and carer that has taken part, by id. */
  teams: { id: string; name: string; organisationName: string; description: string }[];
  people: { id: string; name: string; jobTitle: string | null }[];
  carers: (Named & { id: string })[];
  appointmentId: string | null;
  lastReadSeq: number;
  staffTakePart: boolean;
}

/** The names, the appointment link and the viewer's read mark: one round trip. */
async function contextOf(
  tx: Tx,
  conversationId: string,
  patientId: string,
  userId: string,
): Promise<PageContext> {
  const cp = sql`${conversationParticipants} cp`;
  const [row] = await queryRows<{ context: PageContext }>(
    tx,
    sql`select json_build_object(
      'patient', (select json_build_object('givenName', p.given_name, 'familyName', p.family_name,
                                           'nhsNumber', p.nhs_number, 'dateOfBirth', p.date_of_birth)
                    from ${patients} p where p.id = ${patientId}),
      'teams', coalesce((select json_agg(json_build_object('id', t.id, 'name', t.name,
                           'organisationName', o.name, 'description', t.description))
                           from ${cp} join ${teams} t on t.id = cp.team_id
                           join ${organisations} o on o.id = t.organisation_id
                          where cp.conversation_id = ${conversationId}), '[]'),
      'people', coalesce((select json_agg(json_build_object('id', pr.id, 'name', pr.name,
                            'jobTitle', pr.job_title))
                            from ${cp} join ${professionals} pr on pr.id = cp.professional_id
                           where cp.conversation_id = ${conversationId}), '[]'),
      'carers', coalesce((select json_agg(json_build_object('id', u.id,
                            'givenName', c.given_name, 'familyName', c.family_name))
                            from ${cp} join ${users} u on u.id = cp.user_id
                            join ${patients} c on c.id = u.patient_id
                           where cp.conversation_id = ${conversationId} and cp.kind = 'carer'), '[]'),
      'appointmentId', (select a.id from ${appointments} a
                         where a.conversation_id = ${conversationId} limit 1),
      'lastReadSeq', coalesce((select r.last_read_seq from ${conversationReads} r
                                where r.conversation_id = ${conversationId}
                                  and r.user_id = ${userId}), 0),
      'staffTakePart', ${staffTakePart(conversationId)}) as context`,
  );
  if (!row) throw new Error('the page context query returned nothing');
  return row.context;
}

function participantName(
  p: ParticipantRow,
  thePatientsName: string,
  teamNames: Map<string, { name: string; organisationName: string }>,
  people: Map<string, { name: string; jobTitle: string | null }>,
): { name: string; detail: string | null } {
  if (p.kind === 'team' && p.teamId) {
    const team = teamNames.get(p.teamId);
    return { name: team?.name ?? '', detail: team?.organisationName ?? null };
  }
  if (p.kind === 'professional' && p.professionalId) {
    const person = people.get(p.professionalId);
    return { name: person?.name ?? '', detail: person?.jobTitle ?? null };
  }
  return { name: thePatientsName, detail: null };
}

function workOf(tx: Tx, conversationId: string, teamIds: string[]) {
  return tx
    .select({
      teamId: conversationTeamStates.teamId,
      assigneeProfessionalId: conversationTeamStates.assigneeProfessionalId,
      assigneeName: professionals.name,
      archivedAt: conversationTeamStates.archivedAt,
      waitingSince: conversationTeamStates.waitingSince,
    })
    .from(conversationTeamStates)
    .leftJoin(professionals, eq(professionals.id, conversationTeamStates.assigneeProfessionalId))
    .where(
      and(
        eq(conversationTeamStates.conversationId, conversationId),
        inArray(conversationTeamStates.teamId, teamIds),
      ),
    );
}
