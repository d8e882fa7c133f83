import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  getNotificationPreferences,
  listDeadLetters,
  updateNotificationPreferences,
} from '../../api/endpoints';
import type { NotificationMode } from '../../api/types';

export const notificationKeys = {
  preferences: ['notifications', 'preferences'] as const,
  deadLetters: (organisationId: string) =>
    ['notifications', 'dead-letters', organisationId] as const,
};

export function useNotificationPreferences() {
  return useQuery({ queryKey: notificationKeys.preferences, queryFn: getNotificationPreferences });
}

export function useUpdateNotificationPreferences() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (teams: { teamId: string; mode: NotificationMode }[]) =>
      updateNotificationPreferences(teams),
    onSuccess: (saved) => client.setQueryData(notificationKeys.preferences, saved),
  });
}

export function useDeadLetters(organisationId: string) {
  return useQuery({
    queryKey: notificationKeys.deadLetters(organisationId),
    queryFn: () => listDeadLetters(organisationId),
  });
}
