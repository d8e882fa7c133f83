import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../platform/db/database';
import { forbidden, notFound } from '../../platform/http/problem';
import {
  conversations,
  conversationTeamStates,
  teamInboxCounts,
} from '../conversations/conversations.schema';
import { professionals, teamMemberships } from '../directory/directory.schema';
import { findTeam } from '../directory/directory.queries';
import type { Actor } from '../identity/actor';
import { requireVerifiedActor } from '../identity/verification';
import { patients } from '../patients/patients.schema';
import { patientName } from '../patients/patients.queries';
import type { TeamWorkload } from './workload.contracts';
import { DAY_MS, responseTimesByTeam, ukDays } from './workload.measures';

const s = conversationTeamStates;
const CHART_DAYS = 30;

/**
 * Who is helping whom in a team, for its managers only: each member's open assigned
 * conversations (patient and subject, never message content), the unassigned work and how
 * long it has waited, response and completion times, and completions per day.
 */
export async function getTeamWorkload(
  db: Database,
  actor: Actor,
  teamId: string,
  now: Date,
): Promise<TeamWorkload> {
  const reader = requireVerifiedActor(actor);
  const team = await findTeam(db, teamId);
  if (!team) throw notFound('team.not_found', 'Team not found');
  const manages =
    reader.kind === 'professional' &&
    reader.memberships.some((m) => m.teamId === teamId && m.role === 'manager');
  if (!manages) {
    throw forbidden('workload.not_team_manager', 'Only the team’s managers see its workload.');
  }

  const members = await db
    .select({
      professionalId: professionals.id,
      name: professionals.name,
      role: teamMemberships.role,
    })
    .from(teamMemberships)
    .innerJoin(professionals, eq(professionals.id, teamMemberships.professionalId))
    .where(eq(teamMemberships.teamId, teamId))
    .orderBy(asc(professionals.name), asc(professionals.id));

  const assigned = await db
    .select({
      assigneeId: s.assigneeProfessionalId,
      conversationId: s.conversationId,
      subject: conversations.subject,
      patientId: patients.id,
      givenName: patients.givenName,
      familyName: patients.familyName,
      assignedAt: s.assignedAt,
      waitingSince: s.waitingSince,
    })
    .from(s)
    .innerJoin(conversations, eq(conversations.id, s.conversationId))
    .innerJoin(patients, eq(patients.id, s.patientId))
    .where(and(eq(s.teamId, teamId), isNull(s.archivedAt), isNotNull(s.assigneeProfessionalId)))
    .orderBy(asc(s.assignedAt), asc(s.conversationId));

  const [unassigned] = await queryRows<{ count: number | null; oldest: Date | string | null }>(
    db,
    sql`select (select ${teamInboxCounts.conversations} from ${teamInboxCounts}
                 where ${teamInboxCounts.teamId} = ${teamId}
                   and ${teamInboxCounts.bucket} = 'unassigned') as count,
               (select min(${s.waitingSince}) from ${s}
                 where ${s.teamId} = ${teamId} and ${s.archivedAt} is null
                   and ${s.assigneeProfessionalId} is null) as oldest`,
  );

  const days = ukDays(now, CHART_DAYS);
  const completed = await queryRows<{ day: string; completed: number }>(
    db,
    sql`select to_char(${s.archivedAt} at time zone 'Europe/London', 'YYYY-MM-DD') as day,
               count(*)::int as completed
          from ${s}
         where ${s.teamId} = ${teamId} and ${s.archivedAt} >= ${new Date(now.getTime() - (CHART_DAYS + 1) * DAY_MS)}
         group by 1`,
  );

  const week = await responseTimesByTeam(db, [teamId], new Date(now.getTime() - 7 * DAY_MS));
  const month = await responseTimesByTeam(db, [teamId], new Date(now.getTime() - 30 * DAY_MS));
  const oldest = unassigned?.oldest ?? null;

  return {
    team: { id: team.id, name: team.name },
    asOf: now.toISOString(),
    members: members.map((member) => ({
      ...member,
      assigned: assigned
        .filter((row) => row.assigneeId === member.professionalId)
        .map((row) => ({
          conversationId: row.conversationId,
          subject: row.subject,
          patient: { id: row.patientId, name: patientName(row) },
          assignedAt: row.assignedAt?.toISOString() ?? null,
          waitingSince: row.waitingSince?.toISOString() ?? null,
        })),
    })),
    unassigned: {
      count: unassigned?.count ?? 0,
      oldestWaitingSince: oldest === null ? null : new Date(oldest).toISOString(),
    },
    last7Days: week.get(teamId)!,
    last30Days: month.get(teamId)!,
    completedPerDay: days.map((date) => ({
      date,
      completed: completed.find((row) => row.day === date)?.completed ?? 0,
    })),
  };
}
