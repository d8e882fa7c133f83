import { lookup as dnsLookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * This machine and its link: loopback (127/8, ::1), "this host" (0/8, which Linux connects
 * to loopback, and ::), and link-local (169.254/16, where clouds keep their metadata
 * service, and fe80::/10), as ipaddr.js names its ranges. Private ranges are not here:
 * hospital integration engines live on private networks.
 */
const LOCAL_RANGES: ReadonlySet<string> = new Set(['unspecified', 'loopback', 'linkLocal']);

/**
 * IPv6 forms that carry an IPv4 address in their last 32 bits and reach it: IPv4-mapped
 * (::ffff:127.0.0.1), IPv4-translated (::ffff:0:127.0.0.1) and IPv4-compatible (::127.0.0.1,
 * ::7f00:1; deprecated, but still the IPv4 address to a stack that takes it). `::` and `::1` are
 * in ::/96 too, and come out as 0.0.0.0 and 0.0.0.1: "this host" either way.
 */
const EMBEDDING = [
  ipaddr.IPv6.parseCIDR('::ffff:0:0/96'),
  ipaddr.IPv6.parseCIDR('::ffff:0:0:0/96'),
  ipaddr.IPv6.parseCIDR('::/96'),
];
/**
 * NAT64 (RFC 6052): a gateway turns 64:ff9b::<IPv4> into that IPv4 address, from its side of
 * the network. The well-known prefix may only carry public addresses, so one carrying anything
 * else (private, loopback, reserved…) is treated as local. The local-use 64:ff9b:1::/48
 * (RFC 8215) places the IPv4 address where its operator chooses, so all of it is local.
 */
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');
const NAT64_LOCAL_USE = ipaddr.IPv6.parseCIDR('64:ff9b:1::/48');

const ipv4Of = (ip: ipaddr.IPv6) => new ipaddr.IPv4(ip.toByteArray().slice(12));

function isLocalIp(ip: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (ip.kind() === 'ipv4') return LOCAL_RANGES.has(ip.range());
  const v6 = ip as ipaddr.IPv6;
  if (v6.match(NAT64_LOCAL_USE)) return true;
  if (v6.match(NAT64_WELL_KNOWN)) return ipv4Of(v6).range() !== 'unicast';
  if (EMBEDDING.some((range) => v6.match(range))) return isLocalIp(ipv4Of(v6));
  return LOCAL_RANGES.has(v6.range());
}

/**
 * Whether an IP address (v4 or v6, without brackets; a zone allowed) is this machine or
 * link-local, in any of its IPv6 spellings. A name is not an address, so false: names are
 * checked by what they resolve to (lookupRefusingLocal).
 */
export function isLocalAddress(address: string): boolean {
  // Node's own test of what a socket takes as an address, so nothing else is parsed as one.
  if (isIP(address) === 0) return false;
  // The zone (fe80::1%eth0) names an interface, not a place: the address decides.
  return isLocalIp(ipaddr.parse(address.replace(/%.*$/, '')));
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
