import { describe, expect, it } from 'vitest';
import { checkSignInProvider, type ValidationContext } from './sign-in-providers.validation';

// A coordinator chooses among the issuers the server's operators trust (STAFF_SSO_ISSUERS,
// decision 0025); how each trusted issuer must look is checked at start-up (oidc.config.ts).

const TENANT = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const TRUSTED = `https://login.microsoftonline.com/${TENANT}/v2.0`;
const entra = (issuer: string) => ({
  issuer,
  clientId: 'client',
  keyName: 'TEST',
  tenantAllowlist: [TENANT.toUpperCase(), TENANT],
  enabled: true,
});
const context: ValidationContext = { keyNames: ['TEST'], trustedIssuers: [TRUSTED] };
const codesOf = (issuer: string) =>
  checkSignInProvider('entra', entra(issuer), context).problems.map((p) => p.code);

describe('the issuer of a staff provider', () => {
  it.each([
    [TRUSTED, []],
    [` ${TRUSTED}/ `, []],
    [`${TRUSTED}//`, []],
    ['https://login.microsoftonline.com/common/v2.0', ['sign_in_provider.issuer_not_trusted']],
    [`${TRUSTED}/x`, ['sign_in_provider.issuer_not_trusted']],
    [TRUSTED.toUpperCase(), ['sign_in_provider.issuer_not_trusted']],
    ['http://127.0.0.1:4000/idp', ['sign_in_provider.issuer_not_trusted']],
    ['not a web address', ['sign_in_provider.issuer_not_trusted']],
    ['', ['sign_in_provider.issuer_not_trusted']],
  ] as const)('%j → %j', (issuer, expected) => {
    expect(codesOf(issuer)).toEqual(expected);
  });

  it('trusts nothing when the server trusts nothing', () => {
    const none = { ...context, trustedIssuers: [] };
    expect(checkSignInProvider('entra', entra(TRUSTED), none).problems).toEqual([
      {
        field: 'body/issuer',
        code: 'sign_in_provider.issuer_not_trusted',
        message: 'Choose an identity provider this server trusts',
      },
    ]);
  });

  it('stores the trusted spelling, tenants lower-cased once each, CIS2 ODS codes upper-cased', () => {
    expect(checkSignInProvider('entra', entra(`${TRUSTED}/`), context).settings).toEqual({
      issuer: TRUSTED,
      clientId: 'client',
      keyName: 'TEST',
      keyId: null,
      odsCode: null,
      tenantAllowlist: [TENANT],
      enabled: true,
    });
    const cis2 = checkSignInProvider(
      'cis2',
      { issuer: TRUSTED, clientId: 'c', keyName: 'TEST', odsCode: ' rj1 ', enabled: false },
      context,
    );
    expect(cis2.settings).toMatchObject({ odsCode: 'RJ1', tenantAllowlist: [], enabled: false });
  });
});
