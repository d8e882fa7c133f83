// Second factor, authenticator set-up, sign-out everywhere and organisation sign-in policy.
import { request, setCsrfToken } from '../../api/client';
import type { Session } from '../../api/types';

/** What the password step answers for an account with an authenticator app. */
export interface SecondFactorRequired {
  state: 'auth.second_factor_required';
  expiresAt: string;
}

export function isSecondFactorRequired(
  result: Session | SecondFactorRequired,
): result is SecondFactorRequired {
  return 'state' in result && result.state === 'auth.second_factor_required';
}

export async function signInWithPasswordStep(
  email: string,
  password: string,
): Promise<Session | SecondFactorRequired> {
  const result = await request<Session | SecondFactorRequired>('POST', '/session', {
    email,
    password,
  });
  if (!isSecondFactorRequired(result)) setCsrfToken(result.csrfToken);
  return result;
}

export async function verifySignInCode(code: string): Promise<Session> {
  const session = await request<Session>('POST', '/session/code', { code });
  setCsrfToken(session.csrfToken);
  return session;
}

export async function verifySignInRecoveryCode(recoveryCode: string): Promise<Session> {
  const session = await request<Session>('POST', '/session/recovery-code', { recoveryCode });
  setCsrfToken(session.csrfToken);
  return session;
}

export interface TotpStatus {
  available: boolean;
  enabled: boolean;
  enabledAt: string | null;
  recoveryCodesRemaining: number;
  setupRequired: boolean;
}

export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
  qrCode: string;
}

export function getTotpStatus(): Promise<TotpStatus> {
  return request('GET', '/me/totp');
}

export function startTotpSetup(): Promise<TotpEnrolment> {
  return request('POST', '/me/totp/setup');
}

export function confirmTotpSetup(code: string): Promise<{ recoveryCodes: string[] }> {
  return request('POST', '/me/totp', { code });
}

export async function signOutEverywhere(): Promise<void> {
  await request<void>('DELETE', '/me/sessions');
  setCsrfToken(null);
}

export interface SignInPolicy {
  organisationId: string;
  requireTotp: boolean;
  updatedAt: string | null;
}

const policyPath = (organisationId: string) =>
  `/organisations/${encodeURIComponent(organisationId)}/sign-in-policy`;

export function getSignInPolicy(organisationId: string): Promise<SignInPolicy> {
  return request('GET', policyPath(organisationId));
}

export function updateSignInPolicy(
  organisationId: string,
  requireTotp: boolean,
): Promise<SignInPolicy> {
  return request('PUT', policyPath(organisationId), { requireTotp });
}

/** What people type: "123 456" or "123-456" are the same six digits. */
export function cleanCode(typed: string): string {
  return typed.replace(/[\s-]/g, '');
}
