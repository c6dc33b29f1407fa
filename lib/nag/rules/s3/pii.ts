import { CfnResource } from 'aws-cdk-lib';
import { DATA_CLASS_TAG_KEY } from '../../../constructs/tags';
import { ResourceIndex } from '../../resource-index';
import { list, obj, str } from '../common';

export { DATA_CLASS_TAG_KEY };

/**
 * Whether a bucket holds personal data: it carries the `hardening:data-class` tag (any value).
 * A tag whose key is an intrinsic throws CannotVerify. Memoized per bucket.
 */
export function isPiiBucket(ix: ResourceIndex, bucket: CfnResource): boolean {
  const cache = ix.memo('piiBuckets', () => new Map<CfnResource, boolean>());
  let pii = cache.get(bucket);
  if (pii === undefined) {
    pii = list(ix.props(bucket).Tags, 'Tags').some((t) => str(obj(t, 'tag')!.Key, 'tag Key') === DATA_CLASS_TAG_KEY);
    cache.set(bucket, pii);
  }
  return pii;
}
