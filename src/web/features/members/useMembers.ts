import { useMutation, useQueryClient } from '@tanstack/react-query';
import { addTeamMember, removeTeamMember } from '../../api/endpoints';
import type { Role } from '../../api/types';
import { teamKeys } from '../teams/useTeams';

export const ROLE_OPTIONS: { value: Role; label: string }[] = [
  { value: 'member', label: 'Member' },
  { value: 'manager', label: 'Manager' },
  { value: 'coordinator', label: 'Coordinator' },
];

export function useSaveMember(teamId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { professionalId: string; role: Role; contactable: boolean }) =>
      addTeamMember(teamId, input.professionalId, {
        role: input.role,
        contactable: input.contactable,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: teamKeys.detail(teamId) }),
  });
}

export function useRemoveMember(teamId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (professionalId: string) => removeTeamMember(teamId, professionalId),
    onSuccess: () => client.invalidateQueries({ queryKey: teamKeys.detail(teamId) }),
  });
}
