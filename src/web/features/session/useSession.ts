import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getSession, signOut } from '../../api/endpoints';

export const sessionKey = ['session'] as const;

export function useSession() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: getSession,
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** The signed-in user; only call below RequireSession. */
export function useUser() {
  const { data } = useSession();
  if (!data) throw new Error('useUser called without a session');
  return data.user;
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: signOut,
    onSettled: () => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
      client.setQueryData(sessionKey, null);
    },
  });
}
