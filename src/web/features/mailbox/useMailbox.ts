import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client';
import { clearCapturedEmails, listCapturedEmails } from '../../api/endpoints';

export const mailboxKeys = {
  all: ['mailbox'] as const,
  available: ['mailbox', 'available'] as const,
  list: (to: string | undefined, cursor: string | undefined) =>
    ['mailbox', 'list', to ?? 'everyone', cursor ?? 'first'] as const,
};

/**
 * Whether this server has a development mailbox (demo mode). Anywhere else the API
 * answers 404 and nothing links to it.
 */
export function useMailboxAvailable(enabled = true): { available: boolean; pending: boolean } {
  const probe = useQuery({
    queryKey: mailboxKeys.available,
    queryFn: async () => {
      try {
        await listCapturedEmails({ limit: 1 });
        return true;
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return false;
        throw error;
      }
    },
    enabled,
    staleTime: Infinity,
    retry: false,
  });
  return { available: probe.data === true, pending: enabled && probe.isPending };
}

export function useCapturedEmails(to: string | undefined, cursor: string | undefined) {
  return useQuery({
    queryKey: mailboxKeys.list(to, cursor),
    queryFn: () => listCapturedEmails({ to, cursor, limit: 50 }),
  });
}

export function useClearMailbox() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: clearCapturedEmails,
    onSuccess: () => client.removeQueries({ queryKey: [...mailboxKeys.all, 'list'] }),
  });
}
