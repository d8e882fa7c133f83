import { and, asc, eq, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../platform/db/database';
import { type CsvValue, toCsv } from '../../platform/http/csv';
import { forbidden, notFound } from '../../platform/http/problem';
import { organisations, teams } from '../directory/directory.schema';
import { type Actor, coordinatedOrganisationIds } from '../identity/actor';
import { requireVerifiedActor } from '../identity/verification';
import type { OrganisationStatistics } from './workload.contracts';
import { DAY_MS, inList, responseTimesByTeam, ukDays } from './workload.measures';

const WEEKS = 12;

/**
 * An organisation's figures for its coordinators: messages per team per week, patients
 * registered and verified, and response times. Counts only: no patient is identified.
 */
export async function getOrganisationStatistics(
  db: Database,
  actor: Actor,
  organisationId: string,
  now: Date,
): Promise<OrganisationStatistics> {
  const reader = requireVerifiedActor(actor);
  const [organisation] = await db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  if (!organisation) throw notFound('organisation.not_found', 'Organisation not found');
  if (!coordinatedOrganisationIds(reader).includes(organisationId)) {
    throw forbidden(
      'statistics.not_coordinator',
      'Only the organisation’s coordinators see its statistics.',
    );
  }

  const teamRows = await db
    .select({ teamId: teams.id, name: teams.name })
    .from(teams)
    .where(and(eq(teams.organisationId, organisationId), eq(teams.active, true)))
    .orderBy(asc(teams.name), asc(teams.id));
  const teamIds = teamRows.map((team) => team.teamId);

  const weeks = mondaysUpTo(now, WEEKS);
  const firstWeek = new Date(`${weeks[0]}T00:00:00Z`);
  // A day's margin either side of the UK week boundary; the grouping below is exact.
  const since = new Date(firstWeek.getTime() - DAY_MS);
  const counted =
    teamIds.length === 0
      ? []
      : await queryRows<{ team_id: string; week: string; messages: number }>(
          db,
          sql`select p.team_id,
                     to_char(date_trunc('week', m.created_at at time zone 'Europe/London'),
                             'YYYY-MM-DD') as week,
                     count(distinct m.id)::int as messages
                from messages m
                join conversation_participants p
                  on p.conversation_id = m.conversation_id and p.team_id is not null
                 and m.created_at >= p.joined_at
                 and (p.left_at is null or m.created_at <= p.left_at)
               where p.team_id in ${inList(teamIds)} and m.created_at >= ${since}
               group by 1, 2`,
        );

  // The organisation's total counts each message once, however many of its teams take part.
  const total =
    teamIds.length === 0
      ? []
      : await queryRows<{ week: string; messages: number }>(
          db,
          sql`select to_char(date_trunc('week', m.created_at at time zone 'Europe/London'),
                             'YYYY-MM-DD') as week,
                     count(distinct m.id)::int as messages
                from messages m
                join conversation_participants p
                  on p.conversation_id = m.conversation_id and p.team_id is not null
                 and m.created_at >= p.joined_at
                 and (p.left_at is null or m.created_at <= p.left_at)
               where p.team_id in ${inList(teamIds)} and m.created_at >= ${since}
               group by 1`,
        );

  const [patients] = await queryRows<{ registered: number; verified: number }>(
    db,
    sql`select count(*)::int as registered,
               count(*) filter (where p.identity_level = 'P9')::int as verified
          from patient_registrations r join patients p on p.id = r.patient_id
         where r.organisation_id = ${organisationId}`,
  );
  const times = await responseTimesByTeam(db, teamIds, new Date(now.getTime() - 30 * DAY_MS));

  return {
    organisation,
    asOf: now.toISOString(),
    weeks,
    messagesPerWeek: weeks.map((week) => total.find((row) => row.week === week)?.messages ?? 0),
    patients: patients ?? { registered: 0, verified: 0 },
    teams: teamRows.map((team) => ({
      ...team,
      messagesPerWeek: weeks.map(
        (week) =>
          counted.find((row) => row.team_id === team.teamId && row.week === week)?.messages ?? 0,
      ),
      last30Days: times.get(team.teamId)!,
    })),
  };
}

/** The Mondays (UK dates) of the last `count` weeks, this week's last. */
function mondaysUpTo(now: Date, count: number): string[] {
  const days = ukDays(now, 7 * count);
  return days.filter((day) => new Date(`${day}T12:00:00Z`).getUTCDay() === 1).slice(-count);
}

/** The statistics as CSV: one measure per row, safe to open in a spreadsheet. */
export function statisticsCsv(statistics: OrganisationStatistics): string {
  const rows: CsvValue[][] = [['measure', 'team', 'period', 'value']];
  rows.push([
    'patients_registered',
    '',
    `as of ${statistics.asOf}`,
    statistics.patients.registered,
  ]);
  rows.push(['patients_verified_p9', '', `as of ${statistics.asOf}`, statistics.patients.verified]);
  for (const team of statistics.teams) {
    team.messagesPerWeek.forEach((messages, i) => {
      rows.push(['messages', team.name, `week starting ${statistics.weeks[i]}`, messages]);
    });
    const t = team.last30Days;
    rows.push(['first_responses', team.name, 'last 30 days', t.firstResponses]);
    rows.push([
      'median_first_response_minutes',
      team.name,
      'last 30 days',
      t.firstResponseMedianMinutes,
    ]);
    rows.push(['completions', team.name, 'last 30 days', t.completions]);
    rows.push(['median_completion_minutes', team.name, 'last 30 days', t.completionMedianMinutes]);
  }
  return toCsv(rows);
}
