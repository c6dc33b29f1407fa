import { readFileSync } from 'fs';
import { join } from 'path';
import { AWS_OWNED_BUCKETS_FILE, awsOwnedBuckets, awsOwnedObjectArns, isAwsOwnedObjectPattern, parseAwsOwnedBuckets, policiesRoot } from '../../lib/policies';

/** The file as it is, parsed fresh, to be changed by one test at a time. */
const raw = () => JSON.parse(readFileSync(join(policiesRoot(), AWS_OWNED_BUCKETS_FILE), 'utf8'));
const group = (r: { Groups: Array<Record<string, unknown>> }, sid: string) => r.Groups.find((g) => g.Sid === sid)!;

describe('policies/vpce/s3-aws-owned-buckets.json', () => {
  test('loads: read-only, every group with a documentation source of AWS, every bucket named for the region', () => {
    const f = awsOwnedBuckets();
    expect(f.actions).toEqual(['s3:GetObject']);
    expect(f.compilation.url).toBe('https://github.com/aws-samples/data-perimeter-policy-examples/blob/main/vpc_endpoint_policies/README.md');
    for (const g of f.groups) {
      expect(g.sources.length).toBeGreaterThan(0);
      for (const s of g.sources) expect(s.url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      for (const o of g.objects) expect(o.split('/')[0]).toContain('{{Region}}');
    }
  });

  test('admits by default what workloads need: OS repositories, SSM and Patch Manager, CloudWatch agent, ECR layers', () => {
    expect(awsOwnedBuckets().groups.filter((g) => g.admittedByDefault).map((g) => g.sid)).toEqual([
      'AwsOwnedAmazonLinux2Repositories', 'AwsOwnedAmazonLinux2023Repositories', 'AwsOwnedSystemsManagerAgent', 'AwsOwnedPatchManager', 'AwsOwnedCloudWatchAgent', 'AwsOwnedEcrImageLayers',
    ]);
  });

  test('Patch Manager\'s per-region names are those of AWS\'s reference table', () => {
    const pm = awsOwnedBuckets().groups.find((g) => g.sid === 'AwsOwnedPatchManager')!;
    expect(Object.keys(pm.objectsInRegion)).toHaveLength(29);
    expect(pm.objectsInRegion['us-east-1']).toEqual(['aws-patch-manager-us-east-1-1970c647d/*', 'aws-patchmanager-macos-us-east-1-1970c647d/*']);
    expect(pm.objectsInRegion['me-south-1']).toEqual(['aws-patch-manager-me-south-1-a53fc9dce/*', 'aws-patchmanager-macos-me-south-1-a53fc9dce/*', 'patch-baseline-snapshot-me-south-1-uduvl7q8/*']);
  });

  test.each([
    ['a write action', (r: any) => { r.Actions = ['s3:GetObject', 's3:PutObject']; }, /Actions\.1: /],
    ['ListBucket (no documented exception needs it)', (r: any) => { r.Actions = ['s3:ListBucket']; }, /Actions\.0: /],
    ['a wildcard for the region', (r: any) => { group(r, 'AwsOwnedEcrImageLayers').Objects = ['prod-*-starport-layer-bucket/*']; }, /AwsOwnedEcrImageLayers: "prod-\*-starport-layer-bucket\/\*" has a wildcard in the bucket name/],
    ['a bucket without the region', (r: any) => { group(r, 'AwsOwnedCloudWatchAgent').Objects = ['amazoncloudwatch-agent/*']; }, /"amazoncloudwatch-agent\/\*" must name the region in the bucket name \(\{\{Region\}\}\): exceptions are region-scoped/],
    ['a bucket ARN (no key pattern)', (r: any) => { group(r, 'AwsOwnedCloudWatchAgent').Objects = ['amazoncloudwatch-agent-{{Region}}']; }, /must be <bucket>\/<key pattern>/],
    ['another placeholder', (r: any) => { group(r, 'AwsOwnedCloudWatchAgent').Objects = ['amazoncloudwatch-agent-{{Region}}-{{Account}}/*']; }, /uses a placeholder other than \{\{Region\}\}/],
    ['a per-region bucket of another region', (r: any) => { (group(r, 'AwsOwnedPatchManager').ObjectsInRegion as Record<string, string[]>)['us-east-1'] = ['aws-patch-manager-us-west-2-34d7f99f8/*']; }, /group AwsOwnedPatchManager in us-east-1: .* must name the region in the bucket name \(us-east-1\)/],
    ['a group without a source', (r: any) => { group(r, 'AwsOwnedEcrImageLayers').Sources = []; }, /Groups\.5\.Sources: /],
    ['a source that is not a URL', (r: any) => { group(r, 'AwsOwnedEcrImageLayers').Sources = [{ Title: 'ECR', Url: 'docs' }]; }, /must be an https URL/],
    ['a Sid twice', (r: any) => { group(r, 'AwsOwnedEcrImageLayers').Sid = 'AwsOwnedCloudWatchAgent'; }, /group AwsOwnedCloudWatchAgent appears twice/],
    ['a group naming no bucket', (r: any) => { group(r, 'AwsOwnedEcrImageLayers').Objects = []; }, /group AwsOwnedEcrImageLayers names no bucket/],
  ])('refuses %s, saying what is wrong', (_what, change, message) => {
    expect(() => parseAwsOwnedBuckets(raw())).not.toThrow();
    const r = raw();
    change(r);
    expect(() => parseAwsOwnedBuckets(r)).toThrow(message);
  });
});

describe('awsOwnedObjectArns', () => {
  const pm = () => awsOwnedBuckets().groups.find((g) => g.sid === 'AwsOwnedPatchManager')!;
  const ssm = () => awsOwnedBuckets().groups.find((g) => g.sid === 'AwsOwnedSystemsManagerAgent')!;

  test('fills the region into the names, and adds the per-region names when the region is known', () => {
    expect(awsOwnedObjectArns(ssm(), 'aws', 'eu-west-1')).toContain('arn:aws:s3:::eu-west-1-birdwatcher-prod/*');
    expect(awsOwnedObjectArns(pm(), 'aws', 'eu-west-1')).toEqual(['arn:aws:s3:::aws-patch-manager-eu-west-1-5522fb710/*', 'arn:aws:s3:::aws-patchmanager-macos-eu-west-1-5522fb710/*']);
  });

  test('leaves the per-region names out when the region is a token', () => {
    expect(awsOwnedObjectArns(pm(), 'aws', '${Token[AWS.Region.9]}', false)).toEqual([]);
    expect(awsOwnedObjectArns(ssm(), 'aws', '${Token[AWS.Region.9]}', false)).toContain('arn:aws:s3:::aws-ssm-${Token[AWS.Region.9]}/*');
  });
});

describe('isAwsOwnedObjectPattern', () => {
  test.each([
    ['an admitted pattern itself', 'arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*', true],
    ['an object inside it', 'arn:aws:s3:::amazonlinux-2-repos-us-east-1/2/core/latest/x86_64/mirror.list', true],
    ['a narrower pattern inside it', 'arn:aws:s3:::aws-ssm-us-east-1/Modules/*', true],
    ['a narrower pattern inside a prefixed admitted one', 'arn:aws:s3:::ec2imagebuilder-managed-resources-us-east-1-prod/components/aws/*', true],
    ['the per-region Patch Manager bucket of the region', 'arn:aws:s3:::aws-patch-manager-us-east-1-1970c647d/*', true],
    ['outside the admitted prefix', 'arn:aws:s3:::ec2imagebuilder-managed-resources-us-east-1-prod/other/*', false],
    ['the bucket itself (ListBucket)', 'arn:aws:s3:::aws-ssm-us-east-1', false],
    ['the same bucket of another region', 'arn:aws:s3:::aws-ssm-eu-west-1/*', false],
    ['another region\'s Patch Manager bucket', 'arn:aws:s3:::aws-patch-manager-us-west-2-34d7f99f8/*', false],
    ['a wildcard bucket name', 'arn:aws:s3:::aws-ssm-*/*', false],
    ['every bucket', 'arn:aws:s3:::*/*', false],
    ['a look-alike name', 'arn:aws:s3:::aws-ssm-us-east-1-drop/*', false],
    ['another partition', 'arn:aws-cn:s3:::aws-ssm-us-east-1/*', false],
    ['everything', '*', false],
  ])('%s: %s -> %s', (_what, resource, expected) => {
    expect(isAwsOwnedObjectPattern(resource, 'aws', 'us-east-1')).toBe(expected);
  });
});

describe('docs/stacks.md', () => {
  test('names every group of the file, with whether it is admitted by default', () => {
    const doc = readFileSync(join(policiesRoot(), '..', 'docs', 'stacks.md'), 'utf8');
    for (const g of awsOwnedBuckets().groups) {
      expect(doc).toMatch(new RegExp(`\\| \`${g.sid}\` \\| ${g.admittedByDefault ? 'yes' : 'no'} \\|`));
    }
  });
});
