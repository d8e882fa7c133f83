import { patientName } from '../patients/patients.queries';
import { and, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import { type Tx, withTransaction } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { decodeCursor, encodeCursor, invalidCursor } from '../../platform/http/cursor';
import { forbidden, notFound } from '../../platform/http/problem';
import { listPathway } from '../directory/directory.queries';
import { teams } from '../directory/directory.schema';
import {
  auditContextFor,
  coordinatedOrganisationIds,
  type Actor,
  type RequestFacts,
} from '../identity/actor';
import { getPatient } from '../patients/patients.commands';
import { careRelationships, patientRegistrations, patients } from '../patients/patients.schema';
import { requireVerifiedActor } from '../identity/verification';
import { authorise } from './conversations.access';
import type { ConversationDetail } from './conversations.contracts';
import { presentConversation } from './conversations.presenters';
import { type Progress, progressOf } from './conversations.progress';
import {
  conversationParticipants,
  conversationReads,
  conversations,
  conversationTeamStates,
  messages,
} from './conversations.schema';

/** Opens a conversation; the read is audited in the same transaction (C4). */
export async function getConversation(
  deps: AppDeps,
  actor: Actor,
  conversationId: string,
  request: RequestFacts,
): Promise<ConversationDetail> {
  const reader = requireVerifiedActor(actor);
  return withTransaction(deps.db, async (tx) => {
    const loaded = await authorise(tx, reader, conversationId, 'conversation.read');
    const detail = await presentConversation(tx, reader, loaded);
    await recordAudit(tx, auditContextFor(reader, request, deps.clock()), {
      action: 'conversation.read',
      entityType: 'conversation',
      entityId: conversationId,
      patientId: loaded.conversation.patientId,
      details: { upToSeq: detail.lastMessageSeq },
    });
    return detail;
  });
}

/**
 * The actor's conversations, newest first: a patient's own; a professional's teams' (not
 * yet left) and those they take part in as themselves.
 */
export async function listMyConversations(
  deps: AppDeps,
  actor: Actor,
  page: { cursor?: string; limit: number },
) {
  const reader = requireVerifiedActor(actor);
  const after = decodeCursor(page.cursor, 2);
  if (page.cursor !== undefined && after === null) throw invalidCursor();
  return withTransaction(deps.db, async (tx) => {
    const c = conversations;
    const mine =
      reader.kind === 'patient'
        ? eq(c.patientId, reader.patientId)
        : or(
            inArray(
              c.id,
              tx
                .select({ id: conversationTeamStates.conversationId })
                .from(conversationTeamStates)
                .where(
                  inArray(
                    conversationTeamStates.teamId,
                    reader.memberships.length > 0
                      ? reader.memberships.map((m) => m.teamId)
                      : ['00000000-0000-0000-0000-000000000000'],
                  ),
                ),
            ),
            inArray(
              c.id,
              tx
                .select({ id: conversationParticipants.conversationId })
                .from(conversationParticipants)
                .where(
                  and(
                    eq(conversationParticipants.professionalId, reader.professionalId),
                    isNull(conversationParticipants.leftAt),
                  ),
                ),
            ),
          );
    const keyset = after
      ? sql`(${c.lastMessageAt}, ${c.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)`
      : undefined;
    const rows = await tx
      .select({
        id: c.id,
        subject: c.subject,
        patientId: c.patientId,
        lastMessageAt: c.lastMessageAt,
        lastMessageSeq: c.lastMessageSeq,
        lastRead: conversationReads.lastReadSeq,
      })
      .from(c)
      .leftJoin(
        conversationReads,
        and(
          eq(conversationReads.conversationId, c.id),
          eq(conversationReads.userId, reader.userId),
        ),
      )
      .where(and(mine, keyset))
      .orderBy(desc(c.lastMessageAt), desc(c.id))
      .limit(page.limit + 1);
    const items = rows.slice(0, page.limit);
    const details = await summaries(
      tx,
      reader,
      items.map((r) => r.id),
    );
    const last = items[items.length - 1];
    return {
      items: items.map((row) => ({
        id: row.id,
        subject: row.subject,
        lastMessageAt: row.lastMessageAt.toISOString(),
        unreadCount: Math.max(0, row.lastMessageSeq - (row.lastRead ?? 0)),
        ...details.get(row.id)!,
      })),
      nextCursor:
        rows.length > page.limit && last
          ? encodeCursor([last.lastMessageAt.toISOString(), last.id])
          : null,
    };
  });
}

/** Patient name, teams, who wrote last and (for patients) progress, for a page of conversations. */
async function summaries(tx: Tx, reader: Exclude<Actor, { kind: 'anonymous' }>, ids: string[]) {
  const result = new Map<
    string,
    {
      patient: { id: string; name: string };
      teams: { id: string; name: string }[];
      lastMessageFrom: string;
      progress: Progress | null;
    }
  >();
  if (ids.length === 0) return result;
  const headers = await tx.query.conversations.findMany({
    where: inArray(conversations.id, ids),
    columns: { id: true, patientId: true, lastMessageSeq: true },
  });
  const patientIds = [...new Set(headers.map((h) => h.patientId))];
  const names = new Map(
    (
      await tx
        .select({ id: patients.id, givenName: patients.givenName, familyName: patients.familyName })
        .from(patients)
        .where(inArray(patients.id, patientIds))
    ).map((p) => [p.id, patientName(p)]),
  );
  const teamRows = await tx
    .select({
      conversationId: conversationParticipants.conversationId,
      id: teams.id,
      name: teams.name,
    })
    .from(conversationParticipants)
    .innerJoin(teams, eq(teams.id, conversationParticipants.teamId))
    .where(
      and(
        inArray(conversationParticipants.conversationId, ids),
        isNull(conversationParticipants.leftAt),
      ),
    );
  const lastMessages = await tx
    .select({
      conversationId: messages.conversationId,
      authorKind: messages.authorKind,
      authorLabel: messages.authorLabel,
      authorUserId: messages.authorUserId,
    })
    .from(messages)
    .innerJoin(
      conversations,
      and(
        eq(conversations.id, messages.conversationId),
        eq(conversations.lastMessageSeq, messages.seq),
      ),
    )
    .where(inArray(messages.conversationId, ids));
  const progress = reader.kind === 'patient' ? await progressOf(tx, ids) : new Map<string, never>();
  for (const header of headers) {
    const last = lastMessages.find((m) => m.conversationId === header.id);
    result.set(header.id, {
      patient: { id: header.patientId, name: names.get(header.patientId) ?? '' },
      teams: teamRows
        .filter((t) => t.conversationId === header.id)
        .map(({ id, name }) => ({ id, name })),
      lastMessageFrom: !last ? '' : last.authorUserId === reader.userId ? 'You' : last.authorLabel,
      progress: reader.kind === 'patient' ? (progress.get(header.id) ?? 'sent') : null,
    });
  }
  return result;
}

/** Every conversation in a patient's record, for staff with record access (C3). Audited. */
export async function listRecordConversations(
  deps: AppDeps,
  actor: Actor,
  patientId: string,
  request: RequestFacts,
) {
  const reader = requireVerifiedActor(actor);
  // Record access is a care relationship of one of the reader's teams (C2, C3). Checked
  // before the audited read below, so a refused request leaves no "looked at your details".
  if (reader.kind === 'professional') {
    const teamIds = reader.memberships.map((m) => m.teamId);
    const [access] =
      teamIds.length === 0
        ? []
        : await deps.db
            .select({ teamId: careRelationships.teamId })
            .from(careRelationships)
            .where(
              and(
                eq(careRelationships.patientId, patientId),
                inArray(careRelationships.teamId, teamIds),
              ),
            )
            .limit(1);
    if (!access) {
      const registered = await deps.db
        .select({ organisationId: patientRegistrations.organisationId })
        .from(patientRegistrations)
        .where(eq(patientRegistrations.patientId, patientId));
      const coordinated = coordinatedOrganisationIds(reader);
      if (registered.some((r) => coordinated.includes(r.organisationId))) {
        throw forbidden(
          'conversation.no_record_access',
          'Your team has no care relationship with this patient.',
        );
      }
      throw notFound('patient.not_found', 'Patient not found');
    }
  }
  // getPatient authorises and audits the record read itself.
  const patient = await getPatient(deps, reader, patientId, request);
  return withTransaction(deps.db, async (tx) => {
    const rows = await tx
      .select({
        id: conversations.id,
        subject: conversations.subject,
        lastMessageAt: conversations.lastMessageAt,
      })
      .from(conversations)
      .where(eq(conversations.patientId, patientId))
      .orderBy(desc(conversations.lastMessageAt), desc(conversations.id));
    const ids = rows.map((r) => r.id);
    const details = await summaries(tx, reader, ids);
    const joined = new Set(
      ids.length === 0 || reader.kind !== 'professional'
        ? []
        : (
            await tx
              .select({ id: conversationParticipants.conversationId })
              .from(conversationParticipants)
              .where(
                and(
                  inArray(conversationParticipants.conversationId, ids),
                  isNull(conversationParticipants.leftAt),
                  or(
                    eq(conversationParticipants.professionalId, reader.professionalId),
                    reader.memberships.length > 0
                      ? inArray(
                          conversationParticipants.teamId,
                          reader.memberships.map((m) => m.teamId),
                        )
                      : sql`false`,
                  ),
                ),
              )
          ).map((r) => r.id),
    );
    await recordAudit(tx, auditContextFor(reader, request, deps.clock()), {
      action: 'record.conversations_listed',
      entityType: 'patient',
      entityId: patientId,
      patientId,
      details: { count: rows.length },
    });
    return {
      patient: {
        id: patient.id,
        name: patientName(patient),
        nhsNumber: patient.nhsNumber,
        dateOfBirth: patient.dateOfBirth,
      },
      items: rows.map((row) => ({
        id: row.id,
        subject: row.subject,
        teams: details.get(row.id)?.teams ?? [],
        lastMessageAt: row.lastMessageAt.toISOString(),
        joined: joined.has(row.id),
      })),
    };
  });
}

/** The escalation pathways of the actor's teams in the conversation, offered first (M2). */
export async function listParticipantSuggestions(
  deps: AppDeps,
  actor: Actor,
  conversationId: string,
) {
  const reader = requireVerifiedActor(actor);
  return withTransaction(deps.db, async (tx) => {
    const loaded = await authorise(tx, reader, conversationId, 'conversation.addParticipant');
    if (reader.kind !== 'professional') return { escalation: [] };
    const escalation = [];
    for (const membership of reader.memberships.filter((m) =>
      loaded.facts.activeTeamIds.includes(m.teamId),
    )) {
      for (const step of await listPathway(tx, membership.teamId)) {
        const already =
          step.target.kind === 'team'
            ? loaded.facts.activeTeamIds.includes(step.target.id)
            : loaded.facts.activeProfessionalIds.includes(step.target.id);
        if (!already)
          escalation.push({
            line: step.line,
            fromTeamName: membership.teamName,
            target: step.target,
          });
      }
    }
    return { escalation };
  });
}
