import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Session } from '../../api/types';
import { sessionKey } from '../session/useSession';
import {
  confirmTotpSetup,
  getSignInPolicy,
  getTotpStatus,
  isSecondFactorRequired,
  signInWithPasswordStep,
  signOutEverywhere,
  startTotpSetup,
  updateSignInPolicy,
  verifySignInCode,
  verifySignInRecoveryCode,
} from './api';

export const accountKeys = {
  totp: ['account', 'totp'] as const,
  signInPolicy: (organisationId: string) => ['account', 'sign-in-policy', organisationId] as const,
};

/** A different person may now be signed in: drop everything cached for the last one. */
function useAdoptSession() {
  const client = useQueryClient();
  return (session: Session | null) => {
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
    client.setQueryData(sessionKey, session);
  };
}

export function usePasswordSignIn() {
  const adopt = useAdoptSession();
  return useMutation({
    mutationFn: ({ email, password }: { email: string; password: string }) =>
      signInWithPasswordStep(email, password),
    onSuccess: (result) => {
      if (!isSecondFactorRequired(result)) adopt(result);
    },
  });
}

export function useVerifySignInCode() {
  const adopt = useAdoptSession();
  return useMutation({ mutationFn: verifySignInCode, onSuccess: adopt });
}

export function useVerifySignInRecoveryCode() {
  const adopt = useAdoptSession();
  return useMutation({ mutationFn: verifySignInRecoveryCode, onSuccess: adopt });
}

export function useTotpStatus() {
  return useQuery({ queryKey: accountKeys.totp, queryFn: getTotpStatus });
}

export function useStartTotpSetup() {
  return useMutation({ mutationFn: startTotpSetup });
}

export function useConfirmTotpSetup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: confirmTotpSetup,
    onSuccess: () => void client.invalidateQueries({ queryKey: accountKeys.totp }),
  });
}

/**
 * Ends every session. The caller leaves the signed-in pages first and then forgets the
 * session, so that the page it goes to (with its message) is not replaced by a redirect.
 */
export function useSignOutEverywhere() {
  const adopt = useAdoptSession();
  const mutation = useMutation({ mutationFn: signOutEverywhere });
  return { ...mutation, forgetSession: () => adopt(null) };
}

export function useSignInPolicy(organisationId: string) {
  return useQuery({
    queryKey: accountKeys.signInPolicy(organisationId),
    queryFn: () => getSignInPolicy(organisationId),
  });
}

export function useUpdateSignInPolicy(organisationId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (requireTotp: boolean) => updateSignInPolicy(organisationId, requireTotp),
    onSuccess: (saved) => {
      client.setQueryData(accountKeys.signInPolicy(organisationId), saved);
      // The rule holds the coordinator too: their own session may now need set-up first.
      void client.invalidateQueries({ queryKey: sessionKey });
    },
  });
}
