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
 * Whether a request's context keys say an AWS service makes the call for its caller (aws:CalledVia,
 * aws:CalledViaFirst, aws:CalledViaLast, any case): AWS then also sends aws:ViaAWSService true, and the
 * address the call comes from is the service's, not one of the caller's.
 */
export function madeByService(keys: Iterable<string>): boolean {
  for (const k of keys) if (/^aws:calledvia/i.test(k)) return true;
  return false;
}
