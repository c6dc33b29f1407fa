import { AccountClient, paginateListRegions } from '@aws-sdk/client-account';
import { toFailure } from './errors';
import { Collected, failed, ok } from './types';

export { KNOWN_REGIONS, isKnownRegion } from './known-regions';

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
