import { exemptsOnlyMfaSelfService } from '../policies';

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
 * `Action: *`, or a `NotAction` that exempts only MFA self-service: `NotAction: *` or `s3:*` would
 * deny nothing (or leave the data open) without MFA, so it is not recognized.
 */
function coversAllActions(statement: Json): boolean {
  if (statement.NotAction !== undefined) {
    return exemptsOnlyMfaSelfService(asArray(statement.NotAction));
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
