import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getSession, signInWithPassword, signOut } from '../../api/endpoints';
import type { Session } from '../../api/types';

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

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ email, password }: { email: string; password: string }) =>
      signInWithPassword(email, password),
    onSuccess: (session: Session) => {
      // A different person may now be signed in: drop everything cached for the last one.
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
      client.setQueryData(sessionKey, session);
    },
  });
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
