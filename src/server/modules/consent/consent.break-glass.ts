import { and, desc, eq, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import type { AppDeps } from '../../platform/deps';
import { encodeCursor, isTimestamp, readCursor } from '../../platform/http/cursor';
import { conflict, forbidden, notFound } from '../../platform/http/problem';
import { enqueue } from '../../platform/outbox/outbox';
import { organisations, professionals } from '../directory/directory.schema';
import {
  coordinatedOrganisationIds,
  inTransaction,
  type Actor,
  type RequestFacts,
} from '../identity/actor';
import { users } from '../identity/identity.schema';
import { sessions } from '../identity/identity.schema';
import { requireVerifiedActor } from '../identity/verification';
import { parseNhsNumber } from '../patients/nhs-number';
import { patientRegistrations, patients } from '../patients/patients.schema';
import type { BreakGlassInput } from './consent.contracts';
import { activeCarerUserIds } from './consent.queries';
import { recordAccessOf } from './consent.record-access';
import { breakGlassSessions } from './consent.schema';

/** Break-glass lasts the rest of the session, and never more than this. */
export const BREAK_GLASS_MAX_MS = 4 * 60 * 60 * 1000;

/**
 * A professional without record access opens a patient's record in an emergency: a reason
 * from the fixed list and their own words, audited; access until the session ends, at most
 * four hours. The patient and their carers are told by email (content-free, N2), and the
 * organisation's coordinators review it afterwards.
 */
export async function breakGlass(
  deps: AppDeps,
  actor: Actor,
  session: { tokenHash: string },
  input: BreakGlassInput,
  request: RequestFacts,
) {
  const author = requireVerifiedActor(actor);
  if (author.kind !== 'professional') {
    throw forbidden('break_glass.staff_only', 'Only staff can use emergency access.');
  }
  const nhsNumber = parseNhsNumber(input.nhsNumber);
  const organisationIds = [...new Set(author.memberships.map((m) => m.organisationId))];
  return inTransaction(deps, author, request, async (tx, audit) => {
    const now = audit.now;
    // Only patients registered with one of the professional's organisations; others do not exist.
    const [found] =
      organisationIds.length === 0
        ? []
        : await tx
            .select({ id: patients.id, organisationId: patientRegistrations.organisationId })
            .from(patients)
            .innerJoin(patientRegistrations, eq(patientRegistrations.patientId, patients.id))
            .where(
              and(
                eq(patients.nhsNumber, nhsNumber),
                inArray(patientRegistrations.organisationId, organisationIds),
              ),
            )
            .limit(1);
    if (!found) throw notFound('patient.not_found', 'Patient not found');
    if (await recordAccessOf(tx, author, found.id, now)) {
      throw conflict('break_glass.not_needed', 'You already have access to this record.');
    }
    const [open] = await tx
      .select({ expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(eq(sessions.tokenHash, session.tokenHash));
    if (!open) throw forbidden('break_glass.no_session', 'Sign in again to use emergency access.');
    const expiresAt = new Date(
      Math.min(now.getTime() + BREAK_GLASS_MAX_MS, open.expiresAt.getTime()),
    );
    const [row] = await tx
      .insert(breakGlassSessions)
      .values({
        patientId: found.id,
        professionalId: author.professionalId,
        organisationId: found.organisationId,
        sessionTokenHash: session.tokenHash,
        reason: input.reason,
        detail: input.detail.trim(),
        startedAt: now,
        expiresAt,
      })
      .returning();
    if (!row) throw new Error('break-glass insert returned nothing');
    // The free text stays in the review list; the audit names the reason only.
    await recordAudit(tx, audit, {
      action: 'record.break_glass',
      entityType: 'break_glass_session',
      entityId: row.id,
      patientId: found.id,
      organisationId: found.organisationId,
      details: { reason: input.reason, basis: 'break_glass', expiresAt: expiresAt.toISOString() },
    });
    const [patientUser] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(users.patientId, found.id));
    const told = [
      ...(patientUser ? [patientUser.id] : []),
      ...(await activeCarerUserIds(tx, found.id, now)),
    ];
    await enqueue(
      tx,
      told.map((recipientUserId) => ({
        kind: 'record.break_glass',
        eventKey: `break-glass:${row.id}`,
        recipientUserId,
        payload: { breakGlassId: row.id, patientId: found.id },
      })),
      now,
    );
    return { id: row.id, patientId: found.id, expiresAt: expiresAt.toISOString() };
  });
}

/** Break-glass uses listed for review on one page unless asked otherwise, and at most. */
export const REVIEW_PAGE_SIZE = 50;
export const REVIEW_PAGE_MAX = 200;

/** Where a page of the review list begins: after this use, in the list's order. */
type ReviewKey = { reviewed: boolean; startedAt: string; id: string };

/** The cursor's key, [open|reviewed, startedAt, id]; one this server did not make is refused. */
function reviewKeyOf(cursor: string | undefined): ReviewKey | null {
  const key = readCursor(
    cursor,
    3,
    ([state, startedAt]) => (state === 'open' || state === 'reviewed') && isTimestamp(startedAt),
  );
  if (!key) return null;
  const [state, startedAt = '', id = ''] = key;
  return { reviewed: state === 'reviewed', startedAt, id };
}

/**
 * The uses after `key` in the list's order: not yet reviewed (newest first), then reviewed
 * (newest first), with the id breaking ties of the same start.
 */
function after(key: ReviewKey | null) {
  if (!key) return undefined;
  const b = breakGlassSessions;
  const older = sql`(${b.startedAt}, ${b.id}) < (${key.startedAt}::timestamptz, ${key.id}::uuid)`;
  return key.reviewed
    ? and(isNotNull(b.reviewedAt), older)
    : or(and(isNull(b.reviewedAt), older), isNotNull(b.reviewedAt));
}

/**
 * Break-glass uses in the organisations the coordinator configures, a page at a time: those
 * not yet reviewed, newest first, then the reviewed ones, newest first. Those still to review
 * come first, so however many have been reviewed, paging on reaches every one still waiting.
 * The key (part, start, id) is the last use's place, so a use reviewed while someone pages on
 * moves to the reviewed part and may show there again; one started since the first page shows
 * at the top when the list is loaded again.
 */
export async function listBreakGlassReviews(
  deps: AppDeps,
  actor: Actor,
  page: { cursor?: string; limit: number },
) {
  const reader = requireVerifiedActor(actor);
  const coordinated = coordinatedOrganisationIds(reader);
  if (coordinated.length === 0) {
    throw forbidden('break_glass.coordinators_only', 'Only coordinators review emergency access.');
  }
  const key = reviewKeyOf(page.cursor);
  const reviewer = professionals;
  const found = await deps.db
    .select({
      session: breakGlassSessions,
      professionalName: professionals.name,
      jobTitle: professionals.jobTitle,
      givenName: patients.givenName,
      familyName: patients.familyName,
      nhsNumber: patients.nhsNumber,
      organisationName: organisations.name,
    })
    .from(breakGlassSessions)
    .innerJoin(professionals, eq(professionals.id, breakGlassSessions.professionalId))
    .innerJoin(patients, eq(patients.id, breakGlassSessions.patientId))
    .innerJoin(organisations, eq(organisations.id, breakGlassSessions.organisationId))
    .where(and(inArray(breakGlassSessions.organisationId, coordinated), after(key)))
    .orderBy(
      sql`${breakGlassSessions.reviewedAt} is null desc`,
      desc(breakGlassSessions.startedAt),
      desc(breakGlassSessions.id),
    )
    .limit(page.limit + 1);
  const rows = found.slice(0, page.limit);
  const last = rows.at(-1)?.session;
  const reviewerIds = [
    ...new Set(
      rows.flatMap((r) =>
        r.session.reviewedByProfessionalId ? [r.session.reviewedByProfessionalId] : [],
      ),
    ),
  ];
  const reviewers = new Map(
    (reviewerIds.length === 0
      ? []
      : await deps.db
          .select({ id: reviewer.id, name: reviewer.name })
          .from(reviewer)
          .where(inArray(reviewer.id, reviewerIds))
    ).map((r) => [r.id, r.name]),
  );
  return {
    items: rows.map((r) => ({
      id: r.session.id,
      professional: {
        id: r.session.professionalId,
        name: r.professionalName,
        jobTitle: r.jobTitle,
      },
      patient: {
        id: r.session.patientId,
        name: `${r.givenName} ${r.familyName}`,
        nhsNumber: r.nhsNumber,
      },
      organisation: { id: r.session.organisationId, name: r.organisationName },
      reason: r.session.reason,
      detail: r.session.detail,
      startedAt: r.session.startedAt.toISOString(),
      expiresAt: r.session.expiresAt.toISOString(),
      reviewedAt: r.session.reviewedAt?.toISOString() ?? null,
      reviewedBy: r.session.reviewedByProfessionalId
        ? (reviewers.get(r.session.reviewedByProfessionalId) ?? null)
        : null,
    })),
    nextCursor:
      found.length > page.limit && last
        ? encodeCursor([
            last.reviewedAt === null ? 'open' : 'reviewed',
            last.startedAt.toISOString(),
            last.id,
          ])
        : null,
  };
}

/** A coordinator marks a break-glass use as reviewed. */
export async function reviewBreakGlass(
  deps: AppDeps,
  actor: Actor,
  breakGlassId: string,
  request: RequestFacts,
) {
  const author = requireVerifiedActor(actor);
  const coordinated = coordinatedOrganisationIds(author);
  if (author.kind !== 'professional' || coordinated.length === 0) {
    throw forbidden('break_glass.coordinators_only', 'Only coordinators review emergency access.');
  }
  await inTransaction(deps, author, request, async (tx, audit) => {
    const [row] = await tx
      .select()
      .from(breakGlassSessions)
      .where(eq(breakGlassSessions.id, breakGlassId))
      .for('update');
    if (!row || !coordinated.includes(row.organisationId)) {
      throw notFound('break_glass.not_found', 'Emergency access not found');
    }
    if (row.reviewedAt !== null)
      throw conflict('break_glass.already_reviewed', 'Already reviewed.');
    await tx
      .update(breakGlassSessions)
      .set({ reviewedAt: audit.now, reviewedByProfessionalId: author.professionalId })
      .where(and(eq(breakGlassSessions.id, breakGlassId), isNull(breakGlassSessions.reviewedAt)));
    await recordAudit(tx, audit, {
      action: 'record.break_glass_reviewed',
      entityType: 'break_glass_session',
      entityId: breakGlassId,
      patientId: row.patientId,
      organisationId: row.organisationId,
    });
  });
}
