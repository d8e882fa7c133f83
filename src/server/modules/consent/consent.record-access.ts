import { and, eq, gt, inArray, isNull, lte } from 'drizzle-orm';
import type { Database, Tx } from '../../platform/db/database';
import type { Actor } from '../identity/actor';
import { SESSION_IDLE_MS } from '../identity/identity.queries';
import { sessions } from '../identity/identity.schema';
import { careRelationships } from '../patients/patients.schema';
import { breakGlassSessions, recordAccessGrants } from './consent.schema';

type Reader = Database | Tx;

/** Time-limited record access in force at `at` (C2): teams with a grant, professionals with break-glass. */
export async function timeLimitedAccess(
  db: Reader,
  patientId: string,
  at: Date,
): Promise<{
  grants: { teamId: string; expiresAt: Date }[];
  breakGlass: { professionalId: string; expiresAt: Date }[];
}> {
  const grants = await db
    .select({ teamId: recordAccessGrants.teamId, expiresAt: recordAccessGrants.expiresAt })
    .from(recordAccessGrants)
    .where(
      and(
        eq(recordAccessGrants.patientId, patientId),
        isNull(recordAccessGrants.revokedAt),
        lte(recordAccessGrants.startsAt, at),
        gt(recordAccessGrants.expiresAt, at),
      ),
    );
  const breakGlass = await db
    .select({
      professionalId: breakGlassSessions.professionalId,
      expiresAt: breakGlassSessions.expiresAt,
    })
    .from(breakGlassSessions)
    .innerJoin(sessions, eq(sessions.tokenHash, breakGlassSessions.sessionTokenHash))
    .where(
      and(
        eq(breakGlassSessions.patientId, patientId),
        gt(breakGlassSessions.expiresAt, at),
        gt(sessions.expiresAt, at),
        gt(sessions.lastSeenAt, new Date(at.getTime() - SESSION_IDLE_MS)),
      ),
    );
  return { grants, breakGlass };
}

export type RecordAccess =
  | { basis: 'care_relationship'; teamId: string; until: null }
  | { basis: 'record_grant'; teamId: string; until: Date }
  | { basis: 'break_glass'; until: Date };

/**
 * A professional's access to a patient's whole record at `at` (C2): a care relationship of
 * one of their teams, a grant to one of their teams, or their own break-glass — or null.
 */
export async function recordAccessOf(
  db: Reader,
  actor: Actor,
  patientId: string,
  at: Date,
): Promise<RecordAccess | null> {
  if (actor.kind !== 'professional') return null;
  const teamIds = actor.memberships.map((m) => m.teamId);
  if (teamIds.length > 0) {
    const [care] = await db
      .select({ teamId: careRelationships.teamId })
      .from(careRelationships)
      .where(
        and(eq(careRelationships.patientId, patientId), inArray(careRelationships.teamId, teamIds)),
      )
      .limit(1);
    if (care) return { basis: 'care_relationship', teamId: care.teamId, until: null };
  }
  const { grants, breakGlass } = await timeLimitedAccess(db, patientId, at);
  const grant = grants
    .filter((g) => teamIds.includes(g.teamId))
    .sort((a, b) => b.expiresAt.getTime() - a.expiresAt.getTime())[0];
  if (grant) return { basis: 'record_grant', teamId: grant.teamId, until: grant.expiresAt };
  const glass = breakGlass
    .filter((b) => b.professionalId === actor.professionalId)
    .sort((a, b) => b.expiresAt.getTime() - a.expiresAt.getTime())[0];
  if (glass) return { basis: 'break_glass', until: glass.expiresAt };
  return null;
}

/** Why a professional read the record, for its audit event ("Who has seen my record"). */
export async function readBasis(
  db: Reader,
  actor: Actor,
  patientId: string,
  at: Date,
): Promise<{ basis?: string; teamId?: string }> {
  if (actor.kind !== 'professional') return {};
  const access = await recordAccessOf(db, actor, patientId, at);
  if (!access) return { basis: 'coordinator' };
  return 'teamId' in access
    ? { basis: access.basis, teamId: access.teamId }
    : { basis: access.basis };
}
