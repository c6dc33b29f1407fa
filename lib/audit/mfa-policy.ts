import { loadPolicy } from '../policies';

/**
 * Recognizes a deny-unless-MFA policy by what it says, not by its name: a Deny statement on all
 * actions (`*`, or `NotAction` listing only MFA self-service exemptions) with `BoolIfExists`
 * `aws:MultiFactorAuthPresent` `false`. A plain `Bool` condition is not enough: requests signed with
 * long-term access keys carry no MFA key at all, so they would walk past it.
 */

type Json = Record<string, unknown>;

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

function parseDocument(doc: unknown): Json | undefined {
  if (typeof doc === 'string') {
    try {
      return parseDocument(JSON.parse(doc));
    } catch {
      return undefined;
    }
  }
  return doc && typeof doc === 'object' ? (doc as Json) : undefined;
}

function deniesWithoutMfa(condition: unknown): boolean {
  if (!condition || typeof condition !== 'object') return false;
  for (const [operator, block] of Object.entries(condition as Json)) {
    if (operator !== 'BoolIfExists' || !block || typeof block !== 'object') continue;
    for (const [k, v] of Object.entries(block as Json)) {
      if (k.toLowerCase() !== 'aws:multifactorauthpresent') continue;
      const values = asArray(v).map((x) => String(x).toLowerCase());
      if (values.length > 0 && values.every((x) => x === 'false')) return true;
    }
  }
  return false;
}

/**
 * Actions AWS's own deny-unless-MFA examples also leave reachable without MFA (reading one's device,
 * changing a password at first sign-in); none of them reaches data.
 */
const DOCUMENTED_EXTRA_EXEMPTIONS = ['iam:GetMFADevice', 'iam:ListUsers', 'iam:ChangePassword', 'iam:GetAccountPasswordPolicy'];

let exemptions: ReadonlySet<string> | undefined;

/**
 * The actions a deny-unless-MFA statement may leave out of its `NotAction` (lower case): the list of
 * policies/iam/require-mfa.json — read once, never copied here — plus the documented extras.
 */
export function mfaSelfServiceExemptions(): ReadonlySet<string> {
  if (!exemptions) {
    const doc = loadPolicy('iam/require-mfa', { Partition: 'aws', AccountId: '000000000000' });
    const deny = doc.Statement.find((s) => s.Effect === 'Deny' && s.NotAction !== undefined);
    if (!deny) throw new Error('policies/iam/require-mfa.json has no Deny statement with NotAction');
    exemptions = new Set([...asArray(deny.NotAction), ...DOCUMENTED_EXTRA_EXEMPTIONS].map((a) => String(a).toLowerCase()));
  }
  return exemptions;
}

/**
 * `Action: *`, or a `NotAction` that exempts only MFA self-service: `NotAction: *` or `s3:*` would
 * deny nothing (or leave the data open) without MFA, so it is not recognized.
 */
function coversAllActions(statement: Json): boolean {
  if (statement.NotAction !== undefined) {
    const allowed = mfaSelfServiceExemptions();
    const listed = asArray(statement.NotAction);
    return listed.length > 0 && listed.every((a) => typeof a === 'string' && allowed.has(a.toLowerCase()));
  }
  return asArray(statement.Action).some((a) => a === '*');
}

function coversAllResources(statement: Json): boolean {
  if (statement.NotResource !== undefined) return false;
  return asArray(statement.Resource).some((r) => r === '*');
}

/** Whether this policy document denies (nearly) everything to a session without MFA. */
export function enforcesMfa(document: unknown): boolean {
  const doc = parseDocument(document);
  if (!doc) return false;
  return asArray(doc.Statement).some((s) => {
    if (!s || typeof s !== 'object') return false;
    const st = s as Json;
    return st.Effect === 'Deny' && coversAllActions(st) && coversAllResources(st) && deniesWithoutMfa(st.Condition);
  });
}
