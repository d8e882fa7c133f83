import type { SummaryError } from '../../components/ErrorSummary';
import type { SetSignInProviderInput, SignInProvider, StaffSsoProvider } from './staffSsoApi';

export const staffSsoPath = (organisationId: string) =>
  `/organisations/${encodeURIComponent(organisationId)}/staff-sign-in`;

export const providerPath = (organisationId: string, provider: StaffSsoProvider) =>
  `${staffSsoPath(organisationId)}/${provider}`;

export const removeProviderPath = (organisationId: string, provider: StaffSsoProvider) =>
  `${providerPath(organisationId, provider)}/remove`;

export const PROVIDERS: StaffSsoProvider[] = ['cis2', 'entra'];

/** Each provider's name as staff know it. */
export const PROVIDER_NAMES: Record<StaffSsoProvider, string> = {
  cis2: 'NHS CIS2 Authentication',
  entra: 'Microsoft Entra ID',
};

export const isStaffSsoProvider = (value: string): value is StaffSsoProvider =>
  value === 'cis2' || value === 'entra';

/** What the form holds: text as typed, tenants one per line. */
export interface ProviderFormValues {
  issuer: string;
  clientId: string;
  keyName: string;
  keyId: string;
  odsCode: string;
  tenants: string;
  enabled: boolean;
}

/**
 * The form for a provider: its current settings, or a blank one with the first trusted issuer
 * and key chosen. An issuer or key the server no longer has is not offered: the first is.
 */
export function formValues(
  existing: SignInProvider | undefined,
  server: { keyNames: string[]; trustedIssuers: string[] },
): ProviderFormValues {
  const { keyNames, trustedIssuers } = server;
  const keyName =
    existing && keyNames.includes(existing.keyName) ? existing.keyName : (keyNames[0] ?? '');
  // The server compares issuers without trailing slashes, and lists them so.
  const current = existing?.issuerTrusted ? existing.issuer.replace(/\/+$/, '') : undefined;
  const issuer = trustedIssuers.find((one) => one === current) ?? trustedIssuers[0] ?? '';
  return {
    issuer,
    clientId: existing?.clientId ?? '',
    keyName,
    keyId: existing?.keyId ?? '',
    odsCode: existing?.odsCode ?? '',
    tenants: existing?.tenantAllowlist.join('\n') ?? '',
    enabled: existing?.enabled ?? true,
  };
}

/**
 * Asks only for what is missing, top to bottom as the form reads; whether an issuer is trusted,
 * or a code or tenant id right, is the server's to say (its answers land against the same fields).
 */
export function validateProviderForm(
  provider: StaffSsoProvider,
  values: ProviderFormValues,
): { input: SetSignInProviderInput; problems: [] } | { input: null; problems: SummaryError[] } {
  const problems: SummaryError[] = [];
  const issuer = values.issuer.trim();
  const clientId = values.clientId.trim();
  const odsCode = values.odsCode.trim();
  const tenantAllowlist = values.tenants
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (issuer === '') problems.push({ href: 'issuer', message: 'Choose the issuer' });
  if (clientId === '') problems.push({ href: 'clientId', message: 'Enter the client id' });
  if (values.keyName === '') problems.push({ href: 'keyName', message: 'Choose a key' });
  if (provider === 'cis2' && odsCode === '') {
    problems.push({ href: 'odsCode', message: 'Enter your organisation’s ODS code' });
  }
  if (provider === 'entra' && tenantAllowlist.length === 0) {
    problems.push({ href: 'tenantAllowlist', message: 'Enter at least one tenant id' });
  }
  if (problems.length > 0) return { input: null, problems };
  return {
    input: {
      issuer,
      clientId,
      keyName: values.keyName,
      keyId: values.keyId.trim() || null,
      ...(provider === 'cis2' ? { odsCode } : { tenantAllowlist }),
      enabled: values.enabled,
    },
    problems: [],
  };
}

const FIELDS = ['issuer', 'clientId', 'keyName', 'keyId', 'odsCode', 'tenantAllowlist', 'enabled'];

/** Where a field named in an API problem (`issuer`, `tenantAllowlist.0`) lives on the form. */
export function providerFieldId(key: string): string | null {
  const [field = ''] = key.split('.');
  return FIELDS.includes(field) ? field : null;
}
