/** IPv4 / IPv6 addresses and CIDR blocks as bigints, for IpAddress / NotIpAddress. */

export interface Cidr { readonly v6: boolean; readonly base: bigint; readonly bits: number }

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = (n << 8n) | BigInt(Number(p));
  }
  return n;
}

function parseV6(text: string): bigint | undefined {
  let head = text;
  let tailV4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.') && lastColon >= 0) {
    tailV4 = parseV4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const group = (s: string) => (s === '' ? [] : s.split(':'));
  const left = group(halves[0]);
  const right = halves.length === 2 ? group(halves[1]) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let n = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== undefined) n = (n & ~0xffffffffn) | tailV4;
  return n;
}

/** Parses `10.0.0.0/8`, `10.1.2.3`, `2001:db8::/32`, `::1`; undefined when it is neither. */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, prefix, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const v6 = addr.includes(':');
  const base = v6 ? parseV6(addr) : parseV4(addr);
  if (base === undefined) return undefined;
  const max = v6 ? 128 : 32;
  const bits = prefix === undefined ? max : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!(bits >= 0 && bits <= max)) return undefined;
  return { v6, base, bits };
}

/** True when the address lies inside the block (same family). */
export function cidrContains(block: Cidr, address: Cidr): boolean {
  if (block.v6 !== address.v6) return false;
  const width = block.v6 ? 128n : 32n;
  const shift = width - BigInt(block.bits);
  return (block.base >> shift) === (address.base >> shift);
}

/** The text of an address (IPv6 as eight groups, uncompressed: every parser reads it). */
export function formatAddress(v6: boolean, n: bigint): string {
  const [groups, bits, radix, sep] = v6 ? [8, 16n, 16, ':'] : [4, 8n, 10, '.'];
  const mask = (1n << bits) - 1n;
  return Array.from({ length: groups }, (_, i) => ((n >> (bits * BigInt(groups - 1 - i))) & mask).toString(radix)).join(sep);
}

/** An address inside the block: its base with host part 7 (or the base itself when the block is too narrow to hold it). */
export function addressIn(block: Cidr): string {
  const hostBits = BigInt((block.v6 ? 128 : 32) - block.bits);
  return formatAddress(block.v6, hostBits >= 3n ? ((block.base >> hostBits) << hostBits) | 7n : block.base);
}
