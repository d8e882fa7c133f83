import { sql, type SQL } from 'drizzle-orm';
import { type Database, queryRows } from '../../platform/db/database';
import { ukDate } from '../../platform/time/uk-time';

/**
 * How quickly teams answer and finish, measured one way for the workload view and the
 * organisation's statistics alike.
 *
 * - A conversation's question is its first message from outside the staff: the patient's or
 *   a carer's.
 * - The team's first response is the first message after the question by a professional who
 *   is a member of the team now (messages do not record which team their author wrote for).
 *   It counts in a period when it was sent in that period.
 * - Completion is the team's archive of the conversation, measured from the question (or from
 *   the conversation's start when nobody outside the staff has written). It counts in a period
 *   when the conversation was archived in that period. A team brought in (or back) after the
 *   conversation started is measured from when it was brought in; work that came back from
 *   Archived (a new outside message, or a reopen) counts again only when archived again, and
 *   is measured from when it came back, not from the first question.
 */
export interface ResponseTimes {
  firstResponses: number;
  firstResponseMedianMinutes: number | null;
  completions: number;
  completionMedianMinutes: number | null;
}

/** Medians over each team's conversations with activity since `since`, one row per team. */
export async function responseTimesByTeam(
  db: Database,
  teamIds: string[],
  since: Date,
): Promise<Map<string, ResponseTimes>> {
  const result = new Map<string, ResponseTimes>();
  if (teamIds.length === 0) return result;
  const rows = await queryRows<{
    team_id: string;
    first_responses: number;
    first_response_median: number | null;
    completions: number;
    completion_median: number | null;
  }>(
    db,
    sql`with work as (
          select s.team_id, s.conversation_id, s.archived_at, s.round_started_at, c.created_at,
                 (select min(m.created_at) from messages m
                   where m.conversation_id = s.conversation_id
                     and m.author_kind <> 'professional') as asked_at
            from conversation_team_states s
            join conversations c on c.id = s.conversation_id
           where s.team_id in ${inList(teamIds)}
             and (s.last_activity_at >= ${since} or s.archived_at >= ${since})
        ), measured as (
          select w.*,
                 (select min(m.created_at) from messages m
                   where m.conversation_id = w.conversation_id
                     and m.created_at > w.asked_at
                     and m.author_professional_id in (
                       select tm.professional_id from team_memberships tm
                        where tm.team_id = w.team_id)) as answered_at
            from work w
        )
        select team_id,
               count(*) filter (where answered_at >= ${since})::int as first_responses,
               percentile_cont(0.5) within group (order by extract(epoch from answered_at - asked_at) / 60)
                 filter (where answered_at >= ${since}) as first_response_median,
               count(*) filter (where archived_at >= ${since})::int as completions,
               percentile_cont(0.5) within group (
                 order by extract(epoch from archived_at - coalesce(round_started_at, asked_at, created_at)) / 60)
                 filter (where archived_at >= ${since}) as completion_median
          from measured
         group by team_id`,
  );
  for (const teamId of teamIds) {
    const row = rows.find((r) => r.team_id === teamId);
    result.set(teamId, {
      firstResponses: row?.first_responses ?? 0,
      firstResponseMedianMinutes: minutes(row?.first_response_median),
      completions: row?.completions ?? 0,
      completionMedianMinutes: minutes(row?.completion_median),
    });
  }
  return result;
}

/** Whole minutes, or null when there was nothing to measure. */
function minutes(value: number | string | null | undefined): number | null {
  return value === null || value === undefined ? null : Math.round(Number(value));
}

export function inList(ids: string[]): SQL {
  return sql`(${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;
}

/** The calendar days (in the UK) from `days - 1` days before `now` up to `now`, oldest first. */
export function ukDays(now: Date, days: number): string[] {
  const today = ukDate(now);
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  return Array.from({ length: days }, (_, i) =>
    new Date(Date.UTC(y, m - 1, d - (days - 1 - i))).toISOString().slice(0, 10),
  );
}

export const DAY_MS = 24 * 60 * 60 * 1000;
