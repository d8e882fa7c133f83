import type { FieldProblem } from '../../platform/http/problem';
import { trustedIssuer } from './oidc.config';
import type { StaffSsoProvider } from './oidc.schema';
import type { SetSignInProviderInput } from './sign-in-providers.contracts';

/** A provider's settings as they are stored, once every value has been checked. */
export interface CheckedSignInProvider {
  issuer: string;
  clientId: string;
  keyName: string;
  keyId: string | null;
  odsCode: string | null;
  tenantAllowlist: string[];
  enabled: boolean;
}

export interface ValidationContext {
  /** The key names the server holds (OIDC_KEY_<NAME>), and in demo mode the demo key's. */
  keyNames: readonly string[];
  /** The issuers the server's operators trust (STAFF_SSO_ISSUERS, and in demo mode the demo's). */
  trustedIssuers: readonly string[];
}

const ODS_CODE = /^[A-Z0-9]{3,10}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Checks a provider's settings top to bottom, as the form asks for them: every problem with
 * its field and a stable code. Nothing is quoted back: the values may be anything.
 */
export function checkSignInProvider(
  provider: StaffSsoProvider,
  input: SetSignInProviderInput,
  context: ValidationContext,
):
  { settings: CheckedSignInProvider; problems: [] } | { settings: null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  // Only an identity provider the operators trust: any other could vouch for anyone, at any
  // organisation (decision 0025). Stored as the trusted list spells it.
  const issuer = trustedIssuer(context.trustedIssuers, input.issuer) ?? null;
  if (issuer === null) {
    problems.push({
      field: 'body/issuer',
      code: 'sign_in_provider.issuer_not_trusted',
      message: 'Choose an identity provider this server trusts',
    });
  }

  const clientId = input.clientId.trim();
  if (clientId === '') {
    problems.push({
      field: 'body/clientId',
      code: 'sign_in_provider.client_id_missing',
      message: 'Enter the client id the identity provider gave Carethread',
    });
  }

  const keyName = input.keyName.trim();
  if (!context.keyNames.includes(keyName)) {
    problems.push({
      field: 'body/keyName',
      code: 'sign_in_provider.unknown_key',
      message: 'Choose one of the keys set up on the server',
    });
  }
  const keyId = input.keyId?.trim() || null;

  const odsCode = input.odsCode?.trim().toUpperCase() || null;
  if (provider === 'cis2' && odsCode === null) {
    problems.push({
      field: 'body/odsCode',
      code: 'sign_in_provider.ods_code_missing',
      message: 'Enter your organisation’s ODS code',
    });
  } else if (provider === 'cis2' && !ODS_CODE.test(odsCode ?? '')) {
    problems.push({
      field: 'body/odsCode',
      code: 'sign_in_provider.ods_code_invalid',
      message: 'The ODS code must be 3 to 10 letters and digits, like RJ1',
    });
  } else if (provider === 'entra' && odsCode !== null) {
    problems.push({
      field: 'body/odsCode',
      code: 'sign_in_provider.ods_code_not_for_entra',
      message: 'Microsoft Entra ID does not use an ODS code: leave it out',
    });
  }

  const tenants = [
    ...new Set(
      (input.tenantAllowlist ?? []).map((t) => t.trim().toLowerCase()).filter((t) => t !== ''),
    ),
  ];
  if (provider === 'entra' && tenants.length === 0) {
    problems.push({
      field: 'body/tenantAllowlist',
      code: 'sign_in_provider.tenant_missing',
      message: 'Enter at least one tenant id',
    });
  } else if (provider === 'entra' && !tenants.every((t) => GUID.test(t))) {
    problems.push({
      field: 'body/tenantAllowlist',
      code: 'sign_in_provider.tenant_invalid',
      message: 'Each tenant id must look like 00000000-0000-0000-0000-000000000000',
    });
  } else if (provider === 'cis2' && tenants.length > 0) {
    problems.push({
      field: 'body/tenantAllowlist',
      code: 'sign_in_provider.tenants_not_for_cis2',
      message: 'NHS CIS2 Authentication does not use tenant ids: leave them out',
    });
  }

  if (problems.length > 0 || issuer === null) return { settings: null, problems };
  return {
    settings: {
      issuer,
      clientId,
      keyName,
      keyId,
      odsCode: provider === 'cis2' ? odsCode : null,
      tenantAllowlist: provider === 'entra' ? tenants : [],
      enabled: input.enabled,
    },
    problems: [],
  };
}
