import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { isLocalAddress, LocalAddressRefused, lookupRefusingLocal } from './local-addresses';

describe('isLocalAddress: this machine and link-local, never a private network', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.5.5.5', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['::', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['169.254.169.254', true],
    ['::ffff:169.254.169.254', true],
    ['fe80::1', true],
    ['fe80::1%eth0', true],
    ['10.0.0.1', false],
    ['192.168.1.1', false],
    ['172.16.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['fd00::1', false],
    ['8.8.8.8', false],
    ['2001:db8::1', false],
    ['localhost', false],
  ])('%s → %s', (address, local) => {
    expect(isLocalAddress(address)).toBe(local);
  });
});

/** What the lookup answers for `hostname`, asked as net asks: for all addresses or for one. */
function lookUp(hostname: string, all: boolean) {
  return new Promise<{ error: Error | null; answer: string | LookupAddress[] }>((resolve) => {
    lookupRefusingLocal(hostname, { all }, (error, answer) => resolve({ error, answer }));
  });
}

describe('lookupRefusingLocal', () => {
  it.each([true, false])('refuses a name that resolves to this machine (all: %s)', async (all) => {
    const { error } = await lookUp('localhost', all);
    expect(error).toBeInstanceOf(LocalAddressRefused);
    expect(error?.message).not.toContain('127.0.0.1');
  });

  it('answers as dns.lookup does for an address that is not local', async () => {
    expect(await lookUp('10.0.0.1', false)).toEqual({ error: null, answer: '10.0.0.1' });
    expect(await lookUp('10.0.0.1', true)).toEqual({
      error: null,
      answer: [{ address: '10.0.0.1', family: 4 }],
    });
  });
});
