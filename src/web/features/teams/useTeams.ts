import { useQuery } from '@tanstack/react-query';
import { getTeam, listAllTeams, listOrganisations } from '../../api/endpoints';

export const teamKeys = {
  all: ['teams'] as const,
  list: (organisationId: string | undefined) => ['teams', 'list', organisationId ?? 'all'] as const,
  detail: (teamId: string) => ['teams', 'detail', teamId] as const,
};

export function useTeamList(organisationId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: teamKeys.list(organisationId),
    queryFn: () => listAllTeams(organisationId),
    enabled,
  });
}

export function useTeam(teamId: string) {
  return useQuery({ queryKey: teamKeys.detail(teamId), queryFn: () => getTeam(teamId) });
}

export function useOrganisations() {
  return useQuery({ queryKey: ['organisations'], queryFn: listOrganisations, staleTime: 60_000 });
}
