import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * This machine and its link: loopback (127/8, ::1), "this host" (0/8, which Linux connects
 * to loopback, and ::), and link-local (169.254/16, where clouds keep their metadata
 * service, and fe80::/10). BlockList checks an IPv4-mapped IPv6 address (::ffff:127.0.0.1,
 * ::ffff:7f00:1) against the IPv4 rules, so either spelling of one address is caught.
 * Private ranges are not here: hospital integration engines live on private networks.
 */
const LOCAL = new BlockList();
LOCAL.addSubnet('127.0.0.0', 8, 'ipv4');
LOCAL.addSubnet('0.0.0.0', 8, 'ipv4');
LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LOCAL.addAddress('::1', 'ipv6');
LOCAL.addAddress('::', 'ipv6');
LOCAL.addSubnet('fe80::', 10, 'ipv6');

/**
 * Whether an IP address (v4 or v6, without brackets) is this machine or link-local. A name is
 * not an address, so false: names are checked by what they resolve to (lookupRefusingLocal).
 */
export function isLocalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return LOCAL.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** A connection refused because its name resolved to this machine or a link-local address. */
export class LocalAddressRefused extends Error {
  readonly code = 'ELOCALADDRESS';
  constructor() {
    super('the name resolves to this machine or a link-local address');
    this.name = 'LocalAddressRefused';
  }
}

/**
 * A `lookup` for net, http and https that fails with LocalAddressRefused when any address
 * the name resolves to is this machine or link-local. The socket connects only to what this
 * lookup answered, so a name that changes its answer between a check and the connection (DNS
 * rebinding) gains nothing. A literal IP address never reaches a lookup: check it apart.
 */
export const lookupRefusingLocal: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '');
    // One local answer among public ones is refused too: it is a name that points here.
    if (addresses.some(({ address }) => isLocalAddress(address))) {
      return callback(new LocalAddressRefused(), '');
    }
    if (options.all) return callback(null, addresses);
    const [first] = addresses;
    if (!first) return callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), '');
    callback(null, first.address, first.family);
  });
};
