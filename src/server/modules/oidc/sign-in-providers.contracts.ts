import Type from 'typebox';
import { IdParam } from '../../platform/http/routes';
import { STAFF_SSO_PROVIDERS } from './oidc.schema';

/** One line of text: no control characters (NUL cannot be stored at all). */
const ONE_LINE = '^[^\\x00-\\x1F\\x7F]*$';
const line = (maxLength: number, description: string) =>
  Type.String({ maxLength, pattern: ONE_LINE, description });

export const ProviderSchema = Type.Enum(STAFF_SSO_PROVIDERS, {
  description: 'cis2 (NHS CIS2 Authentication) or entra (Microsoft Entra ID)',
});

export const SignInProviderSchema = Type.Object({
  provider: ProviderSchema,
  issuer: Type.String({ description: 'The identity provider’s issuer URL' }),
  issuerTrusted: Type.Boolean({
    description:
      'Whether the server still trusts the issuer (STAFF_SSO_ISSUERS); if not, choose another to save',
  }),
  clientId: Type.String({ description: 'Carethread’s client id at that provider' }),
  keyName: Type.String({
    description: 'Names the server’s OIDC_KEY_<keyName>; the key itself is never stored or shown',
  }),
  keyId: Type.Union([Type.String(), Type.Null()], {
    description: 'Sent as kid (and for Entra x5t) of our client assertions',
  }),
  odsCode: Type.Union([Type.String(), Type.Null()], {
    description: 'CIS2: the organisation’s ODS code, matched against each role’s org_code',
  }),
  tenantAllowlist: Type.Array(Type.String(), {
    description: 'Entra: the tenants (tid) whose users may sign in',
  }),
  enabled: Type.Boolean(),
});
export type SignInProvider = Type.Static<typeof SignInProviderSchema>;

export const SignInProviderListSchema = Type.Object({
  items: Type.Array(SignInProviderSchema),
  keyNames: Type.Array(Type.String(), {
    description:
      'The key names configured on the server (OIDC_KEY_<NAME>): names only, never key material',
  }),
  trustedIssuers: Type.Array(Type.String(), {
    description:
      'The issuers the server’s operators trust (STAFF_SSO_ISSUERS): the only ones a provider may use',
  }),
  redirectUris: Type.Object(
    { cis2: Type.String(), entra: Type.String() },
    { description: 'The redirect URI to register with each provider' },
  ),
});
export type SignInProviderList = Type.Static<typeof SignInProviderListSchema>;

/**
 * Loose on purpose: types and upper bounds only. What the values must be (a trusted issuer, a
 * configured key, an ODS code for CIS2, tenants for Entra) is checked with a stable code each
 * (sign-in-providers.validation.ts).
 */
export const SetSignInProviderBody = Type.Object(
  {
    issuer: line(500, 'One of the trusted issuers the list answers'),
    clientId: line(200, 'Carethread’s client id at the provider'),
    keyName: line(100, 'One of the key names the list answers'),
    keyId: Type.Optional(Type.Union([line(200, 'Optional key id or thumbprint'), Type.Null()])),
    odsCode: Type.Optional(
      Type.Union([line(20, 'CIS2 only: letters and digits, e.g. RJ1'), Type.Null()]),
    ),
    tenantAllowlist: Type.Optional(
      Type.Array(line(100, 'Entra only: a tenant id (GUID)'), { maxItems: 50 }),
    ),
    enabled: Type.Boolean({ description: 'Whether staff can sign in with it now' }),
  },
  { additionalProperties: false },
);
export type SetSignInProviderInput = Type.Static<typeof SetSignInProviderBody>;

export const OrganisationParams = Type.Object(
  { organisationId: IdParam },
  { additionalProperties: false },
);
export const ProviderParams = Type.Object(
  { organisationId: IdParam, provider: ProviderSchema },
  { additionalProperties: false },
);
