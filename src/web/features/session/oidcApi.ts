import { request, setCsrfToken } from '../../api/client';
import type { Session } from '../../api/types';

export interface SignInOptions {
  nhsLogin: boolean;
  staff: { organisationId: string; organisationName: string; provider: 'cis2' | 'entra' }[];
}

export interface OfferedRole {
  roleId: string;
  roleName: string;
  organisationId: string;
  organisationName: string;
}

export const getSignInOptions = () => request<SignInOptions>('GET', '/sign-in/options');

export const getRoleChoice = () => request<{ roles: OfferedRole[] }>('GET', '/oidc/staff/roles');

export async function chooseStaffRole(roleId: string): Promise<Session> {
  const session = await request<Session>('POST', '/oidc/staff/roles', { roleId });
  setCsrfToken(session.csrfToken);
  return session;
}

/** Where the browser goes to start NHS login; the server redirects it to NHS login. */
export function nhsLoginStartUrl(returnTo?: string): string {
  const query = returnTo && returnTo !== '/' ? `?returnTo=${encodeURIComponent(returnTo)}` : '';
  return `/api/v1/oidc/nhs-login/start${query}`;
}

export const STAFF_START_URL = '/api/v1/oidc/staff/start';
