import { Own, deniesWithoutMfa, mfaDenyCandidates } from '../policy/questions';

/**
 * Recognizes a deny-unless-MFA policy by what it does, not by its name: evaluated with lib/policy,
 * its Deny statements must deny every probe action (data, keys, secrets, compute, IAM, detection) to a
 * user of the account signing requests with long-term access keys (no aws:MultiFactorAuthPresent at
 * all) and in a console session without MFA (false), from any network and region. A `NotAction` may
 * exempt only MFA self-service. A plain `Bool` condition, or one narrowed by a second condition,
 * lets such requests walk past it.
 */

/** The account of a live document is not needed: probes use a placeholder account and the document's own wildcards. */
const LIVE: Own = { account: '000000000000', partition: 'aws', region: 'us-east-1' };

/** Whether this policy document denies (nearly) everything to a session without MFA. */
export function enforcesMfa(document: unknown, own: Own = LIVE): boolean {
  return deniesWithoutMfa([mfaDenyCandidates(document)], own).yes === true;
}
