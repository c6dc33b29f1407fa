import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, KMSClient, paginateListAliases } from '@aws-sdk/client-kms';
import { ResourceGroupsTaggingAPIClient, paginateGetResources } from '@aws-sdk/client-resource-groups-tagging-api';
import { MANAGED_BY_TAG } from '../constructs/tags';
import { toFailure } from './errors';
import { Collected, KmsKeySnapshot, KmsRegionSnapshot, failed, ok } from './types';

/** Aliases the constructs give their keys (`alias/hardening/...`, lib/constructs). */
export const HARDENED_ALIAS_PREFIX = 'alias/hardening/';
/** The tag every stack of the hardened environment carries (lib/stacks/hardened-environment.ts). */

async function oneKey(kms: KMSClient, keyId: string, arn: string, aliases: string[], foundBy: string): Promise<KmsKeySnapshot> {
  const call = async <T>(action: string, f: () => Promise<T>): Promise<Collected<T>> => {
    try { return ok(await f()); } catch (e) { return failed(toFailure(action, e)); }
  };
  const [metadata, rotation, policy] = await Promise.all([
    call('kms:DescribeKey', async () => {
      const m = (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
      return { manager: m?.KeyManager ?? 'UNKNOWN', spec: m?.KeySpec ?? 'UNKNOWN', state: m?.KeyState ?? 'UNKNOWN' };
    }),
    call('kms:GetKeyRotationStatus', async () => (await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled === true),
    call('kms:GetKeyPolicy', async () => {
      const text = (await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy;
      if (text === undefined) throw Object.assign(new Error('no Policy in the answer'), { name: 'EmptyAnswer' });
      return JSON.parse(text) as unknown;
    }),
  ]);
  return { keyId, arn, aliases, foundBy, metadata, rotation, policy };
}

/**
 * The hardened environment's keys in one region: every alias (kms:ListAliases, all pages) with the
 * hardening prefix, and every key tagged hardening:managed-by (tag:GetResources, all pages); then three
 * calls per key found (DescribeKey, GetKeyRotationStatus, GetKeyPolicy) — bounded by the keys the
 * environment made, not by every key of the account.
 */
export async function collectKmsRegion(kms: KMSClient, tagging: ResourceGroupsTaggingAPIClient, region: string, account: string, partition: string): Promise<KmsRegionSnapshot> {
  const found = new Map<string, { aliases: string[]; foundBy: string; arn: string }>();
  const aliasesOf = new Map<string, string[]>();
  try {
    for await (const page of paginateListAliases({ client: kms, pageSize: 100 }, {})) {
      for (const a of page.Aliases ?? []) {
        if (!a.TargetKeyId || !a.AliasName) continue;
        aliasesOf.set(a.TargetKeyId, [...(aliasesOf.get(a.TargetKeyId) ?? []), a.AliasName]);
        if (a.AliasName.startsWith(HARDENED_ALIAS_PREFIX) && !found.has(a.TargetKeyId)) {
          found.set(a.TargetKeyId, { aliases: [], foundBy: `alias ${a.AliasName}`, arn: `arn:${partition}:kms:${region}:${account}:key/${a.TargetKeyId}` });
        }
      }
    }
  } catch (e) {
    return { region, keys: failed(toFailure('kms:ListAliases', e)) };
  }
  try {
    const pages = paginateGetResources({ client: tagging }, { ResourceTypeFilters: ['kms:key'], TagFilters: [{ Key: MANAGED_BY_TAG.key }], ResourcesPerPage: 100 });
    for await (const page of pages) {
      for (const r of page.ResourceTagMappingList ?? []) {
        const arn = r.ResourceARN ?? '';
        const id = arn.split('/').pop() ?? '';
        if (id && !found.has(id)) found.set(id, { aliases: [], foundBy: `tag ${MANAGED_BY_TAG.key}`, arn });
      }
    }
  } catch (e) {
    return { region, keys: failed(toFailure('tag:GetResources', e)) };
  }
  const keys = await Promise.all([...found].map(([id, f]) => oneKey(kms, id, f.arn, (aliasesOf.get(id) ?? []).sort(), f.foundBy)));
  return { region, keys: ok(keys.sort((a, b) => a.arn.localeCompare(b.arn))) };
}
