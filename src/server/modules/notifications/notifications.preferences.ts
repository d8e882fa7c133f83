import { and, desc, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import { type Database, withTransaction } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { forbidden, invalid } from '../../platform/http/problem';
import { outbox } from '../../platform/outbox/outbox.schema';
import { appointments } from '../appointments/appointments.schema';
import { breakGlassSessions } from '../consent/consent.schema';
import { professionals, teams } from '../directory/directory.schema';
import {
  auditContextFor,
  coordinatedOrganisationIds,
  type Actor,
  type RequestFacts,
} from '../identity/actor';
import { users } from '../identity/identity.schema';
import type { Preferences, UpdatePreferencesInput } from './notifications.contracts';
import { notificationPreferences } from './notifications.schema';

type Staff = Extract<Actor, { kind: 'professional' }>;

function requireStaff(actor: Actor): Staff {
  if (actor.kind !== 'professional')
    throw forbidden('notifications.staff_only', 'Notification preferences are for staff.');
  return actor;
}

/** The actor's mode for each of their teams (immediately when never set). */
export async function getNotificationPreferences(db: Database, actor: Actor): Promise<Preferences> {
  const staff = requireStaff(actor);
  const rows = await db
    .select({ teamId: notificationPreferences.teamId, mode: notificationPreferences.mode })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.professionalId, staff.professionalId));
  const modes = new Map(rows.map((r) => [r.teamId, r.mode]));
  return {
    teams: staff.memberships.map((m) => ({
      teamId: m.teamId,
      teamName: m.teamName,
      mode: modes.get(m.teamId) ?? 'immediate',
    })),
  };
}

export async function updateNotificationPreferences(
  deps: AppDeps,
  actor: Actor,
  input: UpdatePreferencesInput,
  request: RequestFacts,
): Promise<Preferences> {
  const staff = requireStaff(actor);
  const problems = input.teams.flatMap((t, i) =>
    staff.memberships.some((m) => m.teamId === t.teamId)
      ? []
      : [
          {
            field: `body/teams/${i}/teamId`,
            code: 'notifications.not_team_member',
            message: 'You are not a member of this team',
          },
        ],
  );
  if (problems.length > 0) throw invalid(problems);
  const now = deps.clock();
  await withTransaction(deps.db, async (tx) => {
    for (const { teamId, mode } of input.teams) {
      await tx
        .insert(notificationPreferences)
        .values({ professionalId: staff.professionalId, teamId, mode, updatedAt: now })
        .onConflictDoUpdate({
          target: [notificationPreferences.professionalId, notificationPreferences.teamId],
          set: { mode, updatedAt: now },
        });
    }
    await recordAudit(tx, auditContextFor(staff, request, now), {
      action: 'notification_preferences.updated',
      entityType: 'professional',
      entityId: staff.professionalId,
      organisationId:
        staff.memberships.find((m) => m.teamId === input.teams[0]?.teamId)?.organisationId ?? null,
      details: { teams: input.teams.length },
    });
  });
  return getNotificationPreferences(deps.db, staff);
}

/** Notifications that failed every attempt, for the organisation's coordinators to review. */
export async function listDeadLetters(db: Database, actor: Actor, organisationId: string) {
  if (!coordinatedOrganisationIds(actor).includes(organisationId)) {
    throw forbidden(
      'notifications.coordinators_only',
      'Only the organisation’s coordinators see failed notifications.',
    );
  }
  const rows = await db
    .select({
      id: outbox.id,
      kind: outbox.kind,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      createdAt: outbox.createdAt,
      professionalName: professionals.name,
    })
    .from(outbox)
    .leftJoin(teams, eq(teams.id, sql`(${outbox.payload} ->> 'teamId')::uuid`))
    .leftJoin(appointments, eq(appointments.id, sql`(${outbox.payload} ->> 'appointmentId')::uuid`))
    .leftJoin(
      breakGlassSessions,
      eq(breakGlassSessions.id, sql`(${outbox.payload} ->> 'breakGlassId')::uuid`),
    )
    .leftJoin(users, eq(users.id, outbox.recipientUserId))
    .leftJoin(professionals, eq(professionals.id, users.professionalId))
    .where(
      and(
        eq(outbox.status, 'dead'),
        // The organisation the notification came from: its team's, its appointment's or its
        // emergency access's (patients and carers work for none); with none of those (a
        // professional written to directly, a digest), the recipient's own organisation.
        eq(
          sql`coalesce(${teams.organisationId}, ${appointments.organisationId},
            ${breakGlassSessions.organisationId}, ${professionals.organisationId})`,
          organisationId,
        ),
      ),
    )
    .orderBy(desc(outbox.id))
    .limit(200);
  return {
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      // Patients are not named to coordinators here: the row is about delivery, not the record.
      recipient: r.professionalName ?? 'A patient',
      attempts: r.attempts,
      lastError: r.lastError,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}
