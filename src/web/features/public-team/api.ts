import { useQuery } from '@tanstack/react-query';
import { request } from '../../api/client';
import type { Availability, OpeningHours } from '../../api/types';

/** What anyone may know about a team: its public page (getPublicTeam). */
export interface PublicTeam {
  slug: string;
  name: string;
  organisationName: string;
  description: string;
  phone: string | null;
  openingHours: OpeningHours[];
  replyWithinWorkingDays: number | null;
  canMessage: boolean;
  /** False once the team was made inactive: it takes no more messages. */
  active: boolean;
  /** For an inactive team: the organisation's teams patients can write to now. */
  otherTeams: { slug: string; name: string }[];
  availability: Availability | null;
  timeZone: 'Europe/London';
}

export function getPublicTeam(slug: string): Promise<PublicTeam> {
  return request<PublicTeam>('GET', `/public/teams/${encodeURIComponent(slug)}`);
}

/**
 * A team's public page by its address (lower case), one query wherever it is shown: the
 * team's page, or "Send a new message" saying why the team a link chose cannot be written to.
 * An unknown address is an answer, not something to retry.
 */
export function usePublicTeam(slug: string) {
  return useQuery({
    queryKey: ['public-team', slug],
    queryFn: () => getPublicTeam(slug),
    retry: false,
  });
}

/** Where "Message us securely" goes: compose, with the team chosen (after signing in). */
export function composePathFor(slug: string): string {
  return `/messages/new?team=${encodeURIComponent(slug)}`;
}
