/**
 * The addresses requests are sent from by the pack's questions and the replay, one place for both: from the
 * documentation ranges, so no real host is ever named.
 */

/** An internet address (TEST-NET-3, RFC 5737): where a request from outside comes from unless its sender picks another. */
export const INTERNET_ADDRESS = '203.0.113.7';

/** A host inside a VPC, as AWS names it to a policy through a VPC endpoint (aws:VpcSourceIp). */
export const VPC_HOST_ADDRESS = '10.0.1.20';
