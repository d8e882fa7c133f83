import type { LookupAddress } from 'node:dns';
import fc from 'fast-check';
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
    ['fe80::1%eth0.100', true],
    // IPv4-compatible (deprecated, but a stack may still take it) and IPv4-translated forms.
    ['::127.0.0.1', true],
    ['::7f00:1', true],
    ['::169.254.169.254', true],
    ['::ffff:0:127.0.0.1', true],
    ['::10.0.0.1', false],
    ['::8.8.8.8', false],
    // NAT64: the well-known prefix carries only public addresses; the local-use /48 anything.
    ['64:ff9b::127.0.0.1', true],
    ['64:ff9b::7f00:1', true],
    ['64:ff9b::a9fe:a9fe', true],
    ['64:ff9b::10.0.0.1', true],
    ['64:ff9b::192.168.1.1', true],
    ['64:ff9b::8.8.8.8', false],
    ['64:ff9b:1::1', true],
    ['64:ff9b:1:ffff::8.8.8.8', true],
    ['64:ff9b:2::1', false],
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

describe('isLocalAddress: every IPv6 spelling of an IPv4 address is judged as that address', () => {
  const ipv4 = fc
    .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
    .map((octets) => octets.join('.'));
  // Loopback, "this host" and link-local are drawn often, not once in a few million.
  const anyIpv4 = fc.oneof(
    ipv4,
    ipv4.map((a) => a.replace(/^\d+/, '127')),
    ipv4.map((a) => a.replace(/^\d+/, '0')),
    ipv4.map((a) => a.replace(/^\d+\.\d+/, '169.254')),
  );
  const hex = (address: string) => {
    const [a = 0, b = 0, c = 0, d = 0] = address.split('.').map(Number);
    return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  };

  it('mapped, translated and compatible forms, dotted or in hex', () => {
    fc.assert(
      fc.property(anyIpv4, (address) => {
        const local = isLocalAddress(address);
        for (const prefix of ['::ffff:', '::ffff:0:', '::']) {
          expect(isLocalAddress(`${prefix}${address}`)).toBe(local);
          expect(isLocalAddress(`${prefix}${hex(address)}`)).toBe(local);
        }
      }),
    );
  });

  it('NAT64: local whatever is embedded in a local address, and every local-use address', () => {
    fc.assert(
      fc.property(anyIpv4, fc.nat(0xffff), (address, subnet) => {
        if (isLocalAddress(address)) expect(isLocalAddress(`64:ff9b::${address}`)).toBe(true);
        expect(isLocalAddress(`64:ff9b:1:${subnet.toString(16)}::${address}`)).toBe(true);
      }),
    );
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
