import { addressIn, cidrContains, parseCidr } from './ip';

/**
 * What the requests of the pack's questions and of the replay carry, one place for both: the addresses they
 * are sent from (documentation ranges, so no real host is ever named) and which keys mark a call a service
 * makes for its caller.
 */

/** An internet address (TEST-NET-3, RFC 5737): where a request from outside comes from unless its sender picks another. */
export const INTERNET_ADDRESS = '203.0.113.7';

/** A host inside a VPC, as AWS names it to a policy through a VPC endpoint (aws:VpcSourceIp). */
export const VPC_HOST_ADDRESS = '10.0.1.20';

/**
 * Addresses AWS never sends as aws:SourceIp: private (RFC 1918, RFC 4193), shared (RFC 6598), loopback and
 * link-local ranges.
 */
const NOT_INTERNET = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', 'fc00::/7', 'fe80::/10', '::1/128'].map((c) => parseCidr(c)!);

/**
 * One internet address inside each aws:SourceIp range a document names (an office's or a partner's egress,
 * allowed or exempted alike), where a caller on a host there calls from; none for a range holding only
 * addresses AWS never sends as aws:SourceIp (a host inside one reaches AWS from another address).
 */
export function addressesInside(ranges: readonly string[]): string[] {
  const out: string[] = [];
  for (const text of ranges) {
    const block = parseCidr(text);
    const address = block && addressIn(block);
    if (address && !NOT_INTERNET.some((p) => cidrContains(p, parseCidr(address)!))) out.push(address);
  }
  return out;
}

/**
 * Whether a request's context keys say an AWS service makes the call for its caller (aws:CalledVia,
 * aws:CalledViaFirst, aws:CalledViaLast, any case): AWS then also sends aws:ViaAWSService true, and the
 * address the call comes from is the service's, not one of the caller's.
 */
export function madeByService(keys: Iterable<string>): boolean {
  for (const k of keys) if (/^aws:calledvia/i.test(k)) return true;
  return false;
}
