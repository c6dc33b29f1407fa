import { FindingResource } from '../../../findings';
import { AccountSnapshot, KmsKeySnapshot } from '../../types';
import { Emit } from '../check';

export const keysResource = (s: AccountSnapshot, region: string): FindingResource => ({
  id: `arn:${s.partition}:kms:${region}:${s.account}:key/*`, type: 'AWS::KMS::Key', account: s.account, region,
});

export const keyResource = (s: AccountSnapshot, region: string, k: KmsKeySnapshot): FindingResource => ({
  id: k.arn, type: 'AWS::KMS::Key', account: s.account, region,
});

/** A key's name in messages: its first alias, else its id. */
export const keyName = (k: KmsKeySnapshot): string => k.aliases[0] ?? k.keyId;

/**
 * Runs `fn` for every hardened key of every audited region; the region list unreadable, the KMS part
 * not collected, a region missing or its listing failed: ERROR. A region with no hardened key gets a
 * PASS saying so (the deployment may keep its keys elsewhere).
 */
export function forEachKey(s: AccountSnapshot, emit: Emit, fn: (region: string, k: KmsKeySnapshot) => void): void {
  if (!s.regions.ok) return emit.error(keysResource(s, '*'), s.regions.failure);
  if (s.kms === undefined) return emit.cannotVerify(keysResource(s, '*'), 'the KMS keys (kms:ListAliases, tag:GetResources) were not collected');
  const byRegion = new Map(s.kms.map((r) => [r.region, r]));
  for (const region of s.regions.value) {
    const r = byRegion.get(region);
    if (!r) { emit.error(keysResource(s, region), { action: 'kms:ListAliases', kind: 'error', message: `region ${region} was not collected` }); continue; }
    if (!r.keys.ok) { emit.error(keysResource(s, region), r.keys.failure); continue; }
    if (r.keys.value.length === 0) { emit.pass(keysResource(s, region), `no key of the hardened environment in ${region}`); continue; }
    for (const k of r.keys.value) fn(region, k);
  }
}
