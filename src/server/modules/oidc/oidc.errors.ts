import { AppError } from '../../platform/http/problem';

/**
 * Why a sign-in through an identity provider was refused. Stable codes: the sign-in
 * problem page explains each in plain English; none carries a token, code or patient data.
 */
export const OIDC_REFUSALS = {
  'oidc.flow_missing': 'The sign-in expired or was started in another browser.',
  'oidc.state_mismatch': 'The answer from the identity provider does not belong to this sign-in.',
  'oidc.cancelled': 'Signing in was cancelled.',
  'oidc.provider_error': 'The identity provider could not sign you in.',
  'oidc.provider_unavailable': 'The identity provider could not be reached.',
  'oidc.token_rejected': 'The identity provider did not accept the sign-in.',
  'oidc.id_token_invalid': 'The identity provider’s answer could not be verified.',
  'oidc.userinfo_mismatch': 'The identity provider’s answers do not agree.',
  'oidc.claims_missing': 'The identity provider did not share the details Carethread needs.',
  'oidc.identity_level_too_low': 'Your NHS login identity is not verified enough to sign in.',
  'oidc.nhs_number_conflict': 'This NHS login belongs to a different NHS number.',
  'oidc.record_linked_elsewhere': 'This record is already linked to another NHS login.',
  'oidc.account_unknown': 'Carethread does not know you yet.',
  'oidc.account_linked_elsewhere': 'Your Carethread account is linked to another identity.',
  'oidc.tenant_not_allowed': 'Your organisation’s directory is not allowed to sign in here.',
  'oidc.no_eligible_role': 'None of your roles is for an organisation you belong to in Carethread.',
  'oidc.role_invalid': 'Choose one of the roles offered.',
  'oidc.not_configured': 'This way of signing in is not set up.',
} as const;

export type OidcRefusalCode = keyof typeof OIDC_REFUSALS;

/** A refused sign-in; the browser is sent to the sign-in problem page with its code. */
export class OidcRefusal extends Error {
  constructor(readonly code: OidcRefusalCode) {
    super(OIDC_REFUSALS[code]);
    this.name = 'OidcRefusal';
  }

  toAppError(status = 400): AppError {
    return new AppError(status, this.code, 'Sign-in refused', OIDC_REFUSALS[this.code]);
  }
}

export const refuse = (code: OidcRefusalCode) => new OidcRefusal(code);
