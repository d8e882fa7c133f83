import { useQuery } from '@tanstack/react-query';
import { request } from '../../api/client';

export interface ResponseTimes {
  firstResponses: number;
  firstResponseMedianMinutes: number | null;
  completions: number;
  completionMedianMinutes: number | null;
}

export interface TeamWorkload {
  team: { id: string; name: string };
  asOf: string;
  members: {
    professionalId: string;
    name: string;
    role: string;
    assigned: {
      conversationId: string;
      subject: string;
      patient: { id: string; name: string };
      assignedAt: string | null;
      waitingSince: string | null;
    }[];
  }[];
  unassigned: { count: number; oldestWaitingSince: string | null };
  last7Days: ResponseTimes;
  last30Days: ResponseTimes;
  completedPerDay: { date: string; completed: number }[];
}

export interface OrganisationStatistics {
  organisation: { id: string; name: string };
  asOf: string;
  weeks: string[];
  /** Each message once, however many teams take part in its conversation. */
  messagesPerWeek: number[];
  patients: { registered: number; verified: number };
  teams: { teamId: string; name: string; messagesPerWeek: number[]; last30Days: ResponseTimes }[];
}

export function useTeamWorkload(teamId: string) {
  return useQuery({
    queryKey: ['workload', teamId],
    queryFn: () => request<TeamWorkload>('GET', `/teams/${encodeURIComponent(teamId)}/workload`),
  });
}

export function useOrganisationStatistics(organisationId: string) {
  return useQuery({
    queryKey: ['statistics', organisationId],
    queryFn: () =>
      request<OrganisationStatistics>(
        'GET',
        `/organisations/${encodeURIComponent(organisationId)}/statistics`,
      ),
  });
}

/** The CSV export's address, for a plain download link. */
export function statisticsCsvHref(organisationId: string): string {
  return `/api/v1/organisations/${encodeURIComponent(organisationId)}/statistics.csv`;
}

/** "35 minutes", "2 hours 5 minutes", "3 days 4 hours", or "No data yet". */
export function minutesWords(minutes: number | null): string {
  if (minutes === null) return 'No data yet';
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const rest = minutes % 60;
    return rest ? `${plural(hours, 'hour')} ${plural(rest, 'minute')}` : plural(hours, 'hour');
  }
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest ? `${plural(days, 'day')} ${plural(rest, 'hour')}` : plural(days, 'day');
}
