import { describe, expect, test } from 'vitest';
import { formValues, providerFieldId, validateProviderForm } from './staffSso';

const blank = formValues(undefined, ['TEST']);

describe('the staff single sign-on form', () => {
  test('a new provider starts enabled, with the only key chosen', () => {
    expect(blank).toMatchObject({ keyName: 'TEST', enabled: true, tenants: '' });
    expect(formValues(undefined, []).keyName).toBe('');
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
    expect(validateProviderForm('cis2', { ...blank, keyName: '' }).problems).toEqual([
      { href: 'issuer', message: 'Enter the issuer' },
      { href: 'clientId', message: 'Enter the client id' },
      { href: 'keyName', message: 'Choose a key' },
      { href: 'odsCode', message: 'Enter your organisation’s ODS code' },
    ]);
    expect(validateProviderForm('entra', blank).problems.map((p) => p.href)).toEqual([
      'issuer',
      'clientId',
      'tenantAllowlist',
    ]);
  });

  test('the server’s field problems land on the form’s fields', () => {
    expect(providerFieldId('issuer')).toBe('issuer');
    expect(providerFieldId('tenantAllowlist.2')).toBe('tenantAllowlist');
    expect(providerFieldId('secret')).toBeNull();
  });
});
