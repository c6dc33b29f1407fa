import { AccountClient, paginateListRegions } from '@aws-sdk/client-account';
import { toFailure } from './errors';
import { Collected, failed, ok } from './types';

/** Every public AWS region (commercial, GovCloud, China) known to this release; --regions is checked against it. */
export const KNOWN_REGIONS: readonly string[] = [
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2',
  'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1',
  'us-west-2', 'us-gov-east-1', 'us-gov-west-1', 'cn-north-1', 'cn-northwest-1',
];

export function isKnownRegion(r: string): boolean {
  return KNOWN_REGIONS.includes(r);
}

/** The account's enabled regions (account:ListRegions, ENABLED and ENABLED_BY_DEFAULT), sorted. */
export async function collectEnabledRegions(account: AccountClient): Promise<Collected<string[]>> {
  try {
    const out: string[] = [];
    const pages = paginateListRegions({ client: account, pageSize: 50 }, { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'] });
    for await (const page of pages) {
      for (const r of page.Regions ?? []) if (r.RegionName) out.push(r.RegionName);
    }
    if (out.length === 0) return failed({ action: 'account:ListRegions', kind: 'error', message: 'no enabled region listed' });
    return ok(out.sort());
  } catch (e) {
    return failed(toFailure('account:ListRegions', e));
  }
}
