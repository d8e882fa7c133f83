import { describe, expect, it } from 'vitest';
import { checkSignInProvider, type ValidationContext } from './sign-in-providers.validation';

// Which issuers a coordinator may enter: as NHS_LOGIN_ISSUER and the start-up check allow
// (oidc.config.ts, oidc.setup.ts), with http only on this machine outside production.

const TENANT = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const entra = (issuer: string) => ({
  issuer,
  clientId: 'client',
  keyName: 'TEST',
  tenantAllowlist: [TENANT.toUpperCase(), TENANT],
  enabled: true,
});
const context = (overrides: Partial<ValidationContext> = {}): ValidationContext => ({
  production: false,
  keyNames: ['TEST'],
  publicUrl: 'http://carethread.demo:3000',
  demoIdp: false,
  ...overrides,
});
const codeOf = (issuer: string, ctx: ValidationContext) =>
  checkSignInProvider('entra', entra(issuer), ctx).problems.map((p) => p.code);

describe('the issuer of a staff provider', () => {
  it.each([
    ['https://login.microsoftonline.com/t/v2.0', false, []],
    ['http://localhost:4000/idp', false, []],
    ['http://127.0.0.1:4000/demo-idp/entra', false, []],
    ['http://[::1]:4000/idp', false, []],
    ['http://idp.example.com/idp', false, ['sign_in_provider.issuer_not_https']],
    ['http://localhost:4000/idp', true, ['sign_in_provider.issuer_not_https']],
    ['https://carethread.example/demo-idp/cis2', true, ['sign_in_provider.demo_issuer']],
    ['https://carethread.example/demo-idp/cis2', false, []],
    ['https://user:pw@idp.example.com/', false, ['sign_in_provider.issuer_invalid']],
    ['https://idp.example.com/#x', false, ['sign_in_provider.issuer_invalid']],
  ] as const)('%s (production: %s) → %j', (issuer, production, expected) => {
    expect(codeOf(issuer, context({ production }))).toEqual(expected);
  });

  it('in demo mode, the demo identity provider of this server may be http', () => {
    const own = 'http://carethread.demo:3000/demo-idp/cis2';
    expect(codeOf(own, context({ demoIdp: true }))).toEqual([]);
    expect(codeOf(own, context({ demoIdp: false }))).toEqual(['sign_in_provider.issuer_not_https']);
  });

  it('stores tenants lower-cased and once each, and CIS2 ODS codes upper-cased', () => {
    expect(checkSignInProvider('entra', entra('https://idp.example/'), context()).settings).toEqual(
      {
        issuer: 'https://idp.example/',
        clientId: 'client',
        keyName: 'TEST',
        keyId: null,
        odsCode: null,
        tenantAllowlist: [TENANT],
        enabled: true,
      },
    );
    const cis2 = checkSignInProvider(
      'cis2',
      {
        issuer: 'https://idp.example/',
        clientId: 'c',
        keyName: 'TEST',
        odsCode: ' rj1 ',
        enabled: false,
      },
      context(),
    );
    expect(cis2.settings).toMatchObject({ odsCode: 'RJ1', tenantAllowlist: [], enabled: false });
  });
});
