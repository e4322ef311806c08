import { BlockList, isIP } from 'node:net';

import { UsageError } from '../errors.js';

/** The addresses AstraDial sends from ("Security" in the webhook contract). */
export const ASTRADIAL_ADDRESSES = ['3.7.225.55', '61.2.96.163'] as const;

const ASTRADIAL_PRESET = 'astradial';
const MAPPED_IPV4_PREFIX = '::ffff:';

/** Which remote addresses may send; undefined in settings means anyone. */
export interface AllowList {
  isAllowed(address: string): boolean;
}

/**
 * Builds the list from `--allow-ip` values: addresses (IPv4 or IPv6), CIDR
 * ranges, or the preset `astradial`. Throws a UsageError naming a value it
 * cannot read.
 */
export function createAllowList(entries: string[]): AllowList {
  const list = new BlockList();
  for (const entry of entries) addEntry(list, entry.trim());
  return {
    isAllowed(address) {
      const plain = unmapIpv4(address);
      const family = isIP(plain) === 6 ? 'ipv6' : 'ipv4';
      return isIP(plain) !== 0 && list.check(plain, family);
    },
  };
}

function addEntry(list: BlockList, entry: string): void {
  if (entry.toLowerCase() === ASTRADIAL_PRESET) {
    for (const address of ASTRADIAL_ADDRESSES) list.addAddress(address);
    return;
  }
  const [rawAddress = '', prefixText, ...rest] = entry.split('/');
  const address = unmapIpv4(rawAddress);
  const version = isIP(address);
  const family = version === 6 ? 'ipv6' : 'ipv4';
  const prefix = prefixText === undefined ? undefined : Number(prefixText);
  const maxPrefix = version === 6 ? 128 : 32;
  const isPrefixValid =
    prefix === undefined ||
    (/^\d+$/.test(prefixText ?? '') && prefix <= maxPrefix);
  if (version === 0 || rest.length > 0 || !isPrefixValid) {
    throw new UsageError(
      'listen.invalidAllowIp',
      `--allow-ip "${entry}" is not an address, a range such as 10.0.0.0/8, or "astradial". Fix it and run again.`,
    );
  }
  if (prefix === undefined) list.addAddress(address, family);
  else list.addSubnet(address, prefix, family);
}

/**
 * A dual-stack socket reports an IPv4 client as `::ffff:1.2.3.4`; it is
 * checked, and shown, as the IPv4 address it is.
 */
export function unmapIpv4(address: string): string {
  if (!address.toLowerCase().startsWith(MAPPED_IPV4_PREFIX)) return address;
  const rest = address.slice(MAPPED_IPV4_PREFIX.length);
  return isIP(rest) === 4 ? rest : address;
}
