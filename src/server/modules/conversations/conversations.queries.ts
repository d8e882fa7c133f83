import { patientName } from '../patients/patients.queries';
import { and, desc, eq, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { recordAudit } from '../../platform/audit/audit';
import { type Database, type Tx, withTransaction } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { encodeCursor, isTimestamp, readCursor } from '../../platform/http/cursor';
import { forbidden, notFound } from '../../platform/http/problem';
import { listPathway } from '../directory/directory.queries';
import {
  auditContextFor,
  coordinatedOrganisationIds,
  type Actor,
  type RequestFacts,
  type SignedInActor,
} from '../identity/actor';
import { getPatient } from '../patients/patients.commands';
import { findPatient } from '../patients/patients.queries';
import { type RecordAccess, recordAccessOf } from '../consent/consent.record-access';
import { patientRegistrations, patients } from '../patients/patients.schema';
import { requireVerifiedActor } from '../identity/verification';
import { basisDetails } from '../consent/consent.basis';
import { carerAccessEnded } from '../consent/consent.care-ended';
import {
  auditRefusedRead,
  authorise,
  careEndedFor,
  isConversationNotFound,
} from './conversations.access';
import type { ConversationDetail } from './conversations.contracts';
import { addressedProfessionals, participatingTeams } from './conversations.addressees';
import { presentConversation } from './conversations.presenters';
import { type Progress, progressOf } from './conversations.progress';
import {
  conversationParticipants,
  conversationReads,
  conversations,
  conversationTeamStates,
  messages,
} from './conversations.schema';

/**
 * Opens a conversation; the read is audited in the same transaction (C4), and a refused one
 * afterwards, as denied.
 */
export async function getConversation(
  deps: AppDeps,
  actor: Actor,
  conversationId: string,
  request: RequestFacts,
): Promise<ConversationDetail> {
  const reader = requireVerifiedActor(actor);
  const at = deps.clock();
  try {
    return await readConversation(deps.db, reader, conversationId, request, at);
  } catch (error) {
    if (isConversationNotFound(error)) {
      await auditRefusedRead(deps.db, reader, conversationId, request, at);
      // A former carer is told their care has ended, not "not found" (C1).
      if (await careEndedFor(deps.db, reader, conversationId, at)) throw carerAccessEnded();
    }
    throw error;
  }
}

function readConversation(
  db: Database,
  reader: SignedInActor,
  conversationId: string,
  request: RequestFacts,
  at: Date,
): Promise<ConversationDetail> {
  return withTransaction(db, async (tx) => {
    const loaded = await authorise(tx, reader, conversationId, 'conversation.read', { at });
    const detail = await presentConversation(tx, reader, loaded);
    const why = basisDetails(reader, loaded.facts);
    const context = auditContextFor(reader, request, at);
    // A carer reads as themselves, a carer (C1).
    if (why.basis === 'carer_consent') context.actorLabel = `${reader.name} (carer)`;
    await recordAudit(tx, context, {
      action: 'conversation.read',
      entityType: 'conversation',
      entityId: conversationId,
      patientId: loaded.conversation.patientId,
      // Why they may see it, for "Who has seen my record" (C4).
      details: { upToSeq: detail.lastMessageSeq, ...why },
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
  const after = readCursor(page.cursor, 2, ([at]) => isTimestamp(at));
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
        lastRead: lastReadSeq(reader.userId, c.id),
      })
      .from(c)
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
      professionals: { id: string; name: string }[];
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
  const teamsOf = await participatingTeams(tx, ids);
  const professionalsOf = await addressedProfessionals(tx, ids);
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
      teams: teamsOf.get(header.id) ?? [],
      professionals: professionalsOf.get(header.id) ?? [],
      lastMessageFrom: !last ? '' : last.authorUserId === reader.userId ? 'You' : last.authorLabel,
      progress: reader.kind === 'patient' ? (progress.get(header.id) ?? 'sent') : null,
    });
  }
  return result;
}

/**
 * A patient's record as the reader may see it (C2, C3): every conversation for staff with
 * record access (a care relationship, a grant to their team, or their break-glass); only the
 * conversations their teams or they take part in for staff without it. Audited, with why.
 */
export async function listRecordConversations(
  deps: AppDeps,
  actor: Actor,
  patientId: string,
  request: RequestFacts,
) {
  const reader = requireVerifiedActor(actor);
  const at = deps.clock();
  // Checked before the audited read below, so a refused request leaves no "looked at your
  // details". Grants and break-glass are judged against this request's clock.
  const access = await recordAccessOf(deps.db, reader, patientId, at);
  let only: string[] | null = null;
  if (reader.kind === 'professional' && !access) {
    only = await participatingConversationIds(deps.db, reader, patientId);
    if (only.length === 0) {
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
  // With record access getPatient authorises and audits the record read itself; without it
  // the reader sees who the patient is (they already write to them) and nothing more.
  const patient =
    only === null
      ? await getPatient(deps, reader, patientId, request)
      : await findPatient(deps.db, patientId);
  if (!patient) throw notFound('patient.not_found', 'Patient not found');
  return withTransaction(deps.db, async (tx) => {
    const rows = await tx
      .select({
        id: conversations.id,
        subject: conversations.subject,
        lastMessageAt: conversations.lastMessageAt,
      })
      .from(conversations)
      .where(
        and(
          eq(conversations.patientId, patientId),
          only === null ? undefined : inArray(conversations.id, only),
        ),
      )
      .orderBy(desc(conversations.lastMessageAt), desc(conversations.id));
    const ids = rows.map((r) => r.id);
    const details = await summaries(tx, reader, ids);
    const joined = new Set(
      ids.length === 0 || reader.kind !== 'professional'
        ? []
        : await participatingConversationIds(tx, reader, patientId),
    );
    const basis: RecordAccess['basis'] | 'patient' | 'participant' =
      access?.basis ?? (reader.kind === 'patient' ? 'patient' : 'participant');
    await recordAudit(tx, auditContextFor(reader, request, at), {
      action: 'record.conversations_listed',
      entityType: 'patient',
      entityId: patientId,
      patientId,
      details: {
        count: rows.length,
        basis,
        ...(access && 'teamId' in access ? { teamId: access.teamId } : {}),
      },
    });
    return {
      patient: {
        id: patient.id,
        name: patientName(patient),
        nhsNumber: patient.nhsNumber,
        dateOfBirth: patient.dateOfBirth,
      },
      access: { basis, until: access?.until?.toISOString() ?? null },
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

/** The patient's conversations the professional takes part in now, as themselves or a team. */
export async function participatingConversationIds(
  db: Database | Tx,
  reader: Extract<Actor, { kind: 'professional' }>,
  patientId: string,
): Promise<string[]> {
  const teamIds = reader.memberships.map((m) => m.teamId);
  const rows = await db
    .selectDistinct({ id: conversationParticipants.conversationId })
    .from(conversationParticipants)
    .where(
      and(
        eq(conversationParticipants.patientId, patientId),
        isNull(conversationParticipants.leftAt),
        or(
          eq(conversationParticipants.professionalId, reader.professionalId),
          teamIds.length > 0 ? inArray(conversationParticipants.teamId, teamIds) : sql`false`,
        ),
      ),
    );
  return rows.map((r) => r.id);
}

/** The escalation pathways of the actor's teams in the conversation, offered first (M2). */
export async function listParticipantSuggestions(
  deps: AppDeps,
  actor: Actor,
  conversationId: string,
) {
  const reader = requireVerifiedActor(actor);
  return withTransaction(deps.db, async (tx) => {
    const loaded = await authorise(tx, reader, conversationId, 'conversation.addParticipant', {
      at: deps.clock(),
    });
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

/**
 * How far `userId` has read a conversation, looked up per row by the read marks' primary
 * key. A join instead lets a prepared statement's generic plan read every mark the person
 * ever left (thousands for a busy member of staff) for each page.
 */
export function lastReadSeq(userId: string, conversationId: AnyPgColumn): SQL<number | null> {
  return sql<number | null>`(select ${conversationReads.lastReadSeq} from ${conversationReads}
    where ${conversationReads.userId} = ${userId}
      and ${conversationReads.conversationId} = ${conversationId})`;
}
