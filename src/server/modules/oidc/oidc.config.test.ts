import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../platform/config/config';

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----';
const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://db/carethread',
  SESSION_SECRET: 'x'.repeat(40),
  SMTP_URL: 'smtp://mail.example.nhs.uk',
  PUBLIC_URL: 'https://carethread.example.nhs.uk',
  DEMO_SEED: 'false',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('NHS login and single sign-on configuration (C5)', () => {
  it('runs the demo identity provider in demo development, pointing NHS login at it', () => {
    const config = loadConfig({ NODE_ENV: 'development' });
    expect(config.oidc.demoIdp).toBe(true);
    expect(config.oidc.nhsLogin).toMatchObject({
      issuer: 'http://localhost:3000/demo-idp/nhs-login',
      privateKeyPem: null,
    });
  });

  it('leaves NHS login off in tests and production unless configured', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).oidc).toMatchObject({ demoIdp: false, nhsLogin: null });
    expect(loadConfig(production).oidc).toMatchObject({ demoIdp: false, nhsLogin: null });
  });

  it('refuses to start production with the demo identity provider or a demo issuer', () => {
    expect(problemsOf({ ...production, DEMO_IDP: 'true' })).toContain(
      'DEMO_IDP cannot be enabled in production: anyone could sign in as anyone',
    );
    expect(
      problemsOf({
        ...production,
        NHS_LOGIN_ISSUER: 'https://carethread.example.nhs.uk/demo-idp/nhs-login',
        NHS_LOGIN_CLIENT_ID: 'carethread',
        NHS_LOGIN_PRIVATE_KEY: PEM,
      }),
    ).toContain('NHS_LOGIN_ISSUER cannot be the demo identity provider in production');
  });

  it('needs https, a client id and a PKCS#8 key with an NHS login issuer, and never quotes the key', () => {
    const problems = problemsOf({
      ...production,
      NHS_LOGIN_ISSUER: 'http://auth.login.nhs.uk',
      NHS_LOGIN_PRIVATE_KEY: 'not a key',
      OIDC_KEY_TRUST: 'also not a key',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'NHS_LOGIN_ISSUER must start with https:// in production',
        'NHS_LOGIN_CLIENT_ID is required with NHS_LOGIN_ISSUER',
        'NHS_LOGIN_PRIVATE_KEY must be a PKCS#8 PEM private key',
        'OIDC_KEY_TRUST must be a PKCS#8 PEM private key ("-----BEGIN PRIVATE KEY-----")',
      ]),
    );
    expect(problems.join('\n')).not.toContain('not a key');
  });

  it('reads staff single sign-on keys from OIDC_KEY_<NAME>, with \\n escapes', () => {
    const config = loadConfig({ ...production, OIDC_KEY_TRUST_A: PEM.replace(/\n/g, '\\n') });
    expect(config.oidc.keys).toEqual({ TRUST_A: PEM });
  });

  it('trusts the staff issuers in STAFF_SSO_ISSUERS, split on commas or whitespace, without trailing slashes', () => {
    const config = loadConfig({
      ...production,
      STAFF_SSO_ISSUERS:
        ' https://login.microsoftonline.com/t/v2.0/,\nhttps://cis2.example.nhs.uk/realms/Healthcare  https://login.microsoftonline.com/t/v2.0 ',
    });
    expect(config.oidc.staffIssuers).toEqual([
      'https://login.microsoftonline.com/t/v2.0',
      'https://cis2.example.nhs.uk/realms/Healthcare',
    ]);
    expect(loadConfig(production).oidc.staffIssuers).toEqual([]);
  });

  it('trusts the demo CIS2 in demo mode, and http only on this machine outside production', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).oidc.staffIssuers).toEqual([
      'http://localhost:3000/demo-idp/cis2',
    ]);
    const test = loadConfig({
      NODE_ENV: 'test',
      STAFF_SSO_ISSUERS: 'http://127.0.0.1:4000/idp http://localhost:4001 http://[::1]:4002/x',
    });
    expect(test.oidc.staffIssuers).toEqual([
      'http://127.0.0.1:4000/idp',
      'http://localhost:4001',
      'http://[::1]:4002/x',
    ]);
  });

  it.each([
    [
      'development',
      'http://idp.example.com/x',
      'must start with https:// (http:// only for localhost)',
    ],
    ['production', 'http://localhost:4000/x', 'must start with https:// in production'],
    [
      'production',
      'https://carethread.example.nhs.uk/demo-idp/cis2',
      'cannot be the demo identity provider in production',
    ],
    ['production', 'ftp://idp.example.com/x', 'must start with https://'],
    ['production', 'idp.example.com', 'is not a web address'],
    [
      'production',
      'https://user:secret@idp.example.com/',
      'must be a web address without a password, ? or #',
    ],
    [
      'production',
      'https://idp.example.com/?tenant=x',
      'must be a web address without a password, ? or #',
    ],
    [
      'production',
      'https://idp.example.com/#x',
      'must be a web address without a password, ? or #',
    ],
  ])(
    'in %s refuses STAFF_SSO_ISSUERS and NHS_LOGIN_ISSUER %s alike, never quoting it',
    (nodeEnv, issuer, problem) => {
      const env = nodeEnv === 'production' ? production : { NODE_ENV: nodeEnv };
      const staff = problemsOf({
        ...env,
        STAFF_SSO_ISSUERS: `https://login.microsoftonline.com/t/v2.0 ${issuer}`,
      });
      expect(staff).toEqual([`STAFF_SSO_ISSUERS: issuer 2 ${problem}`]);
      expect(staff.join('\n')).not.toContain('secret');
      const nhsLogin = problemsOf({
        ...env,
        NHS_LOGIN_ISSUER: issuer,
        NHS_LOGIN_CLIENT_ID: 'carethread',
        NHS_LOGIN_PRIVATE_KEY: PEM,
      });
      expect(nhsLogin).toEqual([`NHS_LOGIN_ISSUER ${problem}`]);
      expect(nhsLogin.join('\n')).not.toContain('secret');
    },
  );
});
