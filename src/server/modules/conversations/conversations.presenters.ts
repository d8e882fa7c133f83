import { patientName } from '../patients/patients.queries';
import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database';
import { organisations, professionals, teams } from '../directory/directory.schema';
import type { SignedInActor } from '../identity/actor';
import { users } from '../identity/identity.schema';
import { patients } from '../patients/patients.schema';
import { appointments } from '../appointments/appointments.schema';
import { attachmentsOf } from '../documents/documents.attachments';
import type { Attachment } from '../documents/documents.contracts';
import { canWork } from './conversations.policy';
import { can, relationOf } from './conversations.policy';
import type { ConversationDetail, Message } from './conversations.contracts';
import type { LoadedConversation, ParticipantRow } from './conversations.facts';
import { lastReadSeq, type MessageRow } from './conversations.messages';
import { conversationTeamStates, messages } from './conversations.schema';

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
    body: row.body,
    createdAt: row.createdAt.toISOString(),
    attachments,
  };
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
 * appear only for the actor's own teams (W2); patients see staff only where staff wrote.
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
  const [patient] = await tx
    .select({ id: patients.id, givenName: patients.givenName, familyName: patients.familyName })
    .from(patients)
    .where(eq(patients.id, conversation.patientId));
  const name = patient ? patientName(patient) : '';

  const teamIds = participants.flatMap((p) => (p.teamId ? [p.teamId] : []));
  const professionalIds = participants.flatMap((p) => (p.professionalId ? [p.professionalId] : []));
  const teamNames = new Map(
    (teamIds.length === 0
      ? []
      : await tx
          .select({ id: teams.id, name: teams.name, organisationName: organisations.name })
          .from(teams)
          .innerJoin(organisations, eq(organisations.id, teams.organisationId))
          .where(inArray(teams.id, teamIds))
    ).map((t) => [t.id, t]),
  );
  const people = new Map(
    (professionalIds.length === 0
      ? []
      : await tx
          .select({
            id: professionals.id,
            name: professionals.name,
            jobTitle: professionals.jobTitle,
          })
          .from(professionals)
          .where(inArray(professionals.id, professionalIds))
    ).map((p) => [p.id, p]),
  );
  const carerUserIds = participants.flatMap((p) =>
    p.kind === 'carer' && p.userId ? [p.userId] : [],
  );
  const carerNames = new Map(
    (carerUserIds.length === 0
      ? []
      : await tx
          .select({ id: users.id, givenName: patients.givenName, familyName: patients.familyName })
          .from(users)
          .innerJoin(patients, eq(patients.id, users.patientId))
          .where(inArray(users.id, carerUserIds))
    ).map((c) => [c.id, patientName(c)]),
  );
  const authors = new Set(
    rows.flatMap((m) => (m.authorProfessionalId ? [m.authorProfessionalId] : [])),
  );
  const staffView = actor.kind === 'professional';

  const shown = participants.filter(
    (p) =>
      staffView ||
      p.kind !== 'professional' ||
      (p.professionalId !== null && authors.has(p.professionalId)),
  );
  const [appointment] = await tx
    .select({ id: appointments.id })
    .from(appointments)
    .where(eq(appointments.conversationId, conversation.id));
  const myTeamIds = actor.kind === 'professional' ? actor.memberships.map((m) => m.teamId) : [];
  const work = myTeamIds.length === 0 ? [] : await workOf(tx, conversation.id, myTeamIds);
  const attachments = await attachmentsOf(
    tx,
    rows.map((row) => row.id),
  );

  return {
    id: conversation.id,
    subject: conversation.subject,
    patient: { id: conversation.patientId, name },
    createdAt: conversation.createdAt.toISOString(),
    lastMessageSeq: visibleUpTo,
    myLastReadSeq: Math.min(await lastReadSeq(tx, conversation.id, actor.userId), visibleUpTo),
    readOnly: !can(actor, 'conversation.reply', facts),
    privateFromCarers: facts.privateFromCarers ?? false,
    appointmentId: appointment?.id ?? null,
    participants: shown.map((p) => ({
      id: p.id,
      kind: p.kind,
      active: p.leftAt === null,
      ...(p.kind === 'carer'
        ? { name: carerNames.get(p.userId ?? '') ?? '', detail: 'Carer' }
        : participantName(p, name, teamNames, people)),
    })),
    messages: rows.map((row) => presentMessage(row, actor, attachments.get(row.id))),
    handlingTeams: participants
      .filter((p) => p.kind === 'team' && p.leftAt === null && p.teamId)
      .map((p) => ({ teamId: p.teamId!, teamName: teamNames.get(p.teamId!)?.name ?? '' })),
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
        },
      };
    }),
    actions: {
      reply: can(actor, 'conversation.reply', facts),
      join: staffView && can(actor, 'conversation.join', facts),
      leave: staffView && can(actor, 'conversation.leave', facts),
      addParticipant: staffView && can(actor, 'conversation.addParticipant', facts),
      setPrivacy: can(actor, 'conversation.setPrivacy', facts),
      copyInCarer: can(actor, 'conversation.copyInCarer', facts),
    },
  };
}

function participantName(
  p: ParticipantRow,
  thePatientsName: string,
  teamNames: Map<string, { name: string; organisationName: string }>,
  people: Map<string, { name: string; jobTitle: string }>,
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
