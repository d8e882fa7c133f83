import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { addCareRelationship, listAllTeams, removeCareRelationship } from '../../api/endpoints';
import type { Patient, SessionUser, Team } from '../../api/types';
import { conversationKeys } from '../conversations/useConversations';
import { teamKeys } from '../teams/useTeams';

/** The organisations the patient is registered with whose coordinator the user is (C2). */
export function managedOrganisations(
  patient: Patient | undefined,
  user: SessionUser,
): { id: string; name: string }[] {
  if (!patient) return [];
  const coordinated = new Set(user.coordinatorOf.map((o) => o.id));
  return patient.organisations.filter((o) => coordinated.has(o.id));
}

export interface CareRelationshipChange {
  teamId: string;
  present: boolean;
}

/**
 * Adds or ends a team's care relationship with the patient. Both change who may open the
 * record, the coordinator's own teams included, so the record is read again as well. That
 * can swap the page's view (the coordinator's own team added), unmounting the form, so what
 * follows success (`onDone`) runs here rather than in `mutate`'s callbacks.
 */
export function useCareRelationship(
  patientId: string,
  onDone: (change: CareRelationshipChange) => void,
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ teamId, present }: CareRelationshipChange) =>
      present ? addCareRelationship(teamId, patientId) : removeCareRelationship(teamId, patientId),
    onSuccess: async (_nothing, change) => {
      await Promise.all([
        client.invalidateQueries({ queryKey: ['patients', patientId] }),
        // Reset, not just marked stale: a record the user may no longer open must not be drawn
        // from the cache (its sections would each fail to load) while it is read again.
        client.resetQueries({ queryKey: conversationKeys.record(patientId) }),
      ]);
      onDone(change);
    },
  });
}

/** Every team of these organisations (the Teams page's lists, shared through the cache). */
export function useOrganisationTeams(organisations: { id: string }[]): {
  teams: Team[];
  isPending: boolean;
  error: Error | null;
} {
  const lists = useQueries({
    queries: organisations.map((o) => ({
      queryKey: teamKeys.list(o.id),
      queryFn: () => listAllTeams(o.id),
    })),
  });
  return {
    teams: lists.flatMap((q) => q.data ?? []),
    isPending: lists.some((q) => q.isPending),
    error: lists.find((q) => q.error)?.error ?? null,
  };
}
