import { describe, expect, test } from 'vitest';
import { formValues, providerFieldId, validateProviderForm } from './staffSso';

const ISSUERS = ['https://login.example/t/v2.0', 'https://cis2.example/realms/Healthcare'];
const server = { keyNames: ['TEST'], trustedIssuers: ISSUERS };
const blank = formValues(undefined, server);
const stored = {
  provider: 'cis2' as const,
  issuer: 'https://cis2.example/realms/Healthcare/',
  issuerTrusted: true,
  clientId: 'c',
  keyName: 'GONE',
  keyId: null,
  odsCode: 'RJ1',
  tenantAllowlist: [],
  enabled: false,
};

describe('the staff single sign-on form', () => {
  test('a new provider starts enabled, with the first trusted issuer and key chosen', () => {
    expect(blank).toMatchObject({
      issuer: ISSUERS[0],
      keyName: 'TEST',
      enabled: true,
      tenants: '',
    });
    expect(formValues(undefined, { keyNames: [], trustedIssuers: [] })).toMatchObject({
      issuer: '',
      keyName: '',
    });
  });

  test('a stored provider keeps its trusted issuer; one no longer trusted is not offered', () => {
    expect(formValues(stored, server)).toMatchObject({ issuer: ISSUERS[1], keyName: 'TEST' });
    expect(formValues({ ...stored, issuerTrusted: false }, server).issuer).toBe(ISSUERS[0]);
  });

  test('Entra sends tenants one per line, trimmed, and no ODS code', () => {
    const checked = validateProviderForm('entra', {
      ...blank,
      issuer: ' https://login.example/t/v2.0 ',
      clientId: ' app ',
      odsCode: 'RJ1',
      tenants: ' a \n\n b ',
    });
    expect(checked.input).toEqual({
      issuer: 'https://login.example/t/v2.0',
      clientId: 'app',
      keyName: 'TEST',
      keyId: null,
      tenantAllowlist: ['a', 'b'],
      enabled: true,
    });
  });

  test('an empty form names each missing field, top to bottom', () => {
    expect(validateProviderForm('cis2', { ...blank, issuer: '', keyName: '' }).problems).toEqual([
      { href: 'issuer', message: 'Choose the issuer' },
      { href: 'clientId', message: 'Enter the client id' },
      { href: 'keyName', message: 'Choose a key' },
      { href: 'odsCode', message: 'Enter your organisation’s ODS code' },
    ]);
    expect(
      validateProviderForm('entra', { ...blank, issuer: '' }).problems.map((p) => p.href),
    ).toEqual(['issuer', 'clientId', 'tenantAllowlist']);
  });

  test('the server’s field problems land on the form’s fields', () => {
    expect(providerFieldId('issuer')).toBe('issuer');
    expect(providerFieldId('tenantAllowlist.2')).toBe('tenantAllowlist');
    expect(providerFieldId('secret')).toBeNull();
  });
});
