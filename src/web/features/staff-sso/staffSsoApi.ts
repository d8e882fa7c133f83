import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from '../../api/client';

export type StaffSsoProvider = 'cis2' | 'entra';

/** One way an organisation's staff sign in with single sign-on (listSignInProviders). */
export interface SignInProvider {
  provider: StaffSsoProvider;
  issuer: string;
  /** False when the server's administrator no longer lists the issuer: it cannot be saved. */
  issuerTrusted: boolean;
  clientId: string;
  /** Names the server's OIDC_KEY_<keyName>; the key itself is never sent. */
  keyName: string;
  keyId: string | null;
  odsCode: string | null;
  tenantAllowlist: string[];
  enabled: boolean;
}

export interface SignInProviders {
  items: SignInProvider[];
  /** The keys set up on the server, by name. */
  keyNames: string[];
  /** The identity providers (issuers) the server trusts: the only ones a provider may use. */
  trustedIssuers: string[];
  /** What to register with each provider as the redirect URI. */
  redirectUris: Record<StaffSsoProvider, string>;
}

export interface SetSignInProviderInput {
  issuer: string;
  clientId: string;
  keyName: string;
  keyId: string | null;
  odsCode?: string;
  tenantAllowlist?: string[];
  enabled: boolean;
}

const providersPath = (organisationId: string) =>
  `/organisations/${encodeURIComponent(organisationId)}/sign-in-providers`;

export const listSignInProviders = (organisationId: string) =>
  request<SignInProviders>('GET', providersPath(organisationId));

export const setSignInProvider = (
  organisationId: string,
  provider: StaffSsoProvider,
  input: SetSignInProviderInput,
) => request<SignInProvider>('PUT', `${providersPath(organisationId)}/${provider}`, input);

export const removeSignInProvider = (organisationId: string, provider: StaffSsoProvider) =>
  request<void>('DELETE', `${providersPath(organisationId)}/${provider}`);

const keys = {
  list: (organisationId: string) => ['sign-in-providers', organisationId] as const,
};

export function useSignInProviders(organisationId: string, enabled = true) {
  return useQuery({
    queryKey: keys.list(organisationId),
    queryFn: () => listSignInProviders(organisationId),
    retry: false,
    enabled,
  });
}

/** Saves, then waits for the fresh list, so the page it returns to already shows the change. */
export function useSetSignInProvider(organisationId: string, provider: StaffSsoProvider) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: SetSignInProviderInput) =>
      setSignInProvider(organisationId, provider, input),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.list(organisationId) }),
  });
}

/**
 * Removes, then waits for the fresh list. A refusal refreshes it too: another tab may have
 * removed or changed it meanwhile (404).
 */
export function useRemoveSignInProvider(organisationId: string, provider: StaffSsoProvider) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => removeSignInProvider(organisationId, provider),
    onSettled: () => client.invalidateQueries({ queryKey: keys.list(organisationId) }),
  });
}
