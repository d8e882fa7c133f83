import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import type { Tx } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { AppError, conflict, forbidden, notFound } from '../../platform/http/problem';
import { conversations } from '../conversations/conversations.schema';
import { organisations, teams } from '../directory/directory.schema';
import { inTransaction, type Actor, type PatientActor, type RequestFacts } from '../identity/actor';
import { requireVerifiedActor } from '../identity/verification';
import { patientRegistrations, patients } from '../patients/patients.schema';
import type { GrantRecordAccessInput } from './consent.contracts';
import { recordAccessGrants } from './consent.schema';

export const DEFAULT_GRANT_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

type GrantRow = typeof recordAccessGrants.$inferSelect;

function requirePatient(actor: Actor): PatientActor {
  const patient = requireVerifiedActor(actor);
  if (patient.kind !== 'patient') {
    throw forbidden('record_access.patients_only', 'Only the patient shares their record.');
  }
  return patient;
}

/**
 * Grants and revocations for one patient take turns (C2): without this, two grants at once
 * each revoke what they can see and both insert, leaving several in force. A no-key lock, so
 * rows that merely refer to the patient are not held up.
 */
async function lockPatientGrants(tx: Tx, patientId: string): Promise<void> {
  await tx
    .select({ id: patients.id })
    .from(patients)
    .where(eq(patients.id, patientId))
    .for('no key update');
}

/** Ends every grant of the patient's to the team still in force at `now`; their ids. */
async function endGrantsInForce(
  tx: Tx,
  patient: PatientActor,
  teamId: string,
  now: Date,
): Promise<string[]> {
  const ended = await tx
    .update(recordAccessGrants)
    .set({ revokedAt: now, revokedByUserId: patient.userId })
    .where(
      and(
        eq(recordAccessGrants.patientId, patient.patientId),
        eq(recordAccessGrants.teamId, teamId),
        isNull(recordAccessGrants.revokedAt),
        gt(recordAccessGrants.expiresAt, now),
      ),
    )
    .returning({ id: recordAccessGrants.id });
  return ended.map((g) => g.id);
}

export function grantStatus(row: GrantRow, now: Date) {
  if (row.revokedAt !== null) return 'revoked' as const;
  return row.expiresAt > now ? ('active' as const) : ('expired' as const);
}

function present(
  row: GrantRow,
  team: { id: string; name: string; organisationName: string },
  now: Date,
) {
  return {
    id: row.id,
    team,
    conversationId: row.conversationId,
    startsAt: row.startsAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    status: grantStatus(row, now),
  };
}

/**
 * The patient lets a team read their whole record for a period they choose (C2), 7 days
 * unless they say otherwise. It ends by itself; a new grant to the same team replaces any
 * still in force.
 */
export async function grantRecordAccess(
  deps: AppDeps,
  actor: Actor,
  input: GrantRecordAccessInput,
  request: RequestFacts,
) {
  const patient = requirePatient(actor);
  return inTransaction(deps, patient, request, async (tx, audit) => {
    await lockPatientGrants(tx, patient.patientId);
    const [team] = await tx
      .select({ id: teams.id, name: teams.name, organisationName: organisations.name })
      .from(teams)
      .innerJoin(organisations, eq(organisations.id, teams.organisationId))
      .innerJoin(
        patientRegistrations,
        and(
          eq(patientRegistrations.organisationId, teams.organisationId),
          eq(patientRegistrations.patientId, patient.patientId),
        ),
      )
      .where(and(eq(teams.id, input.teamId), eq(teams.active, true)));
    if (!team) {
      throw new AppError(
        422,
        'record_access.team_not_available',
        'Team not available',
        'You can share your record only with an active team of an organisation you are registered with.',
        [
          {
            field: 'body/teamId',
            code: 'record_access.team_not_available',
            message: 'Choose one of your teams',
          },
        ],
      );
    }
    if (input.conversationId !== undefined) {
      const [conversation] = await tx
        .select({ patientId: conversations.patientId })
        .from(conversations)
        .where(eq(conversations.id, input.conversationId));
      if (conversation?.patientId !== patient.patientId) {
        throw notFound('conversation.not_found', 'Conversation not found');
      }
    }
    const now = audit.now;
    await endGrantsInForce(tx, patient, team.id, now);
    const days = input.days ?? DEFAULT_GRANT_DAYS;
    const [grant] = await tx
      .insert(recordAccessGrants)
      .values({
        patientId: patient.patientId,
        teamId: team.id,
        conversationId: input.conversationId ?? null,
        grantedByUserId: patient.userId,
        startsAt: now,
        expiresAt: new Date(now.getTime() + days * DAY_MS),
      })
      .returning();
    if (!grant) throw new Error('grant insert returned nothing');
    await recordAudit(tx, audit, {
      action: 'record_access.granted',
      entityType: 'record_access_grant',
      entityId: grant.id,
      patientId: patient.patientId,
      details: {
        teamId: team.id,
        teamName: team.name,
        days,
        expiresAt: grant.expiresAt.toISOString(),
      },
    });
    return present(grant, team, now);
  });
}

/**
 * The patient ends a grant at once (C2): the team's next request finds no record access. Any
 * other grant to the same team still in force ends with it, so none is left behind.
 */
export async function revokeRecordAccess(
  deps: AppDeps,
  actor: Actor,
  grantId: string,
  request: RequestFacts,
) {
  const patient = requirePatient(actor);
  return inTransaction(deps, patient, request, async (tx, audit) => {
    await lockPatientGrants(tx, patient.patientId);
    const [row] = await tx
      .select({ grant: recordAccessGrants, name: teams.name, organisationName: organisations.name })
      .from(recordAccessGrants)
      .innerJoin(teams, eq(teams.id, recordAccessGrants.teamId))
      .innerJoin(organisations, eq(organisations.id, teams.organisationId))
      .where(eq(recordAccessGrants.id, grantId))
      .for('update', { of: recordAccessGrants });
    if (!row || row.grant.patientId !== patient.patientId) {
      throw notFound('record_access.not_found', 'Record access not found');
    }
    if (grantStatus(row.grant, audit.now) !== 'active') {
      throw conflict('record_access.not_active', 'This access has already ended.');
    }
    const ended = await endGrantsInForce(tx, patient, row.grant.teamId, audit.now);
    const [revoked] = await tx
      .select()
      .from(recordAccessGrants)
      .where(eq(recordAccessGrants.id, grantId));
    const others = ended.filter((id) => id !== grantId);
    await recordAudit(tx, audit, {
      action: 'record_access.revoked',
      entityType: 'record_access_grant',
      entityId: grantId,
      patientId: patient.patientId,
      details: {
        teamId: row.grant.teamId,
        teamName: row.name,
        ...(others.length > 0 ? { alsoEndedGrantIds: others } : {}),
      },
    });
    return present(
      revoked!,
      { id: row.grant.teamId, name: row.name, organisationName: row.organisationName },
      audit.now,
    );
  });
}

/** The patient's grants, newest first, with where each stands now. */
export async function listMyRecordAccess(deps: AppDeps, actor: Actor) {
  const patient = requirePatient(actor);
  const now = deps.clock();
  const rows = await deps.db
    .select({ grant: recordAccessGrants, name: teams.name, organisationName: organisations.name })
    .from(recordAccessGrants)
    .innerJoin(teams, eq(teams.id, recordAccessGrants.teamId))
    .innerJoin(organisations, eq(organisations.id, teams.organisationId))
    .where(eq(recordAccessGrants.patientId, patient.patientId))
    .orderBy(desc(recordAccessGrants.startsAt))
    .limit(100);
  return {
    items: rows.map((r) =>
      present(
        r.grant,
        { id: r.grant.teamId, name: r.name, organisationName: r.organisationName },
        now,
      ),
    ),
  };
}
