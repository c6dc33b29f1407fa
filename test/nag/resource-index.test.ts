/**
 * The ResourceIndex every rule reads the app through (lib/nag/resource-index.ts): what a reference
 * points at (a resource of the app, a pseudo parameter, a literal, or something it cannot follow), the
 * resource as its template will hold it, and where two resources or ARNs deploy relative to each other.
 * What matters most: a reference the index cannot follow is 'unresolved' (the rules then say "cannot
 * verify"), never a guess at some resource; an account or region it cannot compare is 'unknown'.
 */
import { App, CfnOutput, CfnParameter, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  ENVIRONMENT_GROUP_CONTEXT, EnvPart, ResourceIndex, STACKSET_TEMPLATE_METADATA, arnEnvironment, combineRelations,
  describeEnvironment, environmentOf, relatePart, sameEnvironment, stackSetTemplateInfo,
} from '../../lib/nag/resource-index';

const ACCOUNT = '111111111111';
const OTHER = '222222222222';
const env = { account: ACCOUNT, region: 'us-east-1' };

const topicIn = (s: Stack, id = 'T') => new sns.CfnTopic(s, id, { topicName: id });

describe('the resources of the app', () => {
  test('every synthesized resource of every stack, by type, in construct-tree order; an unattached policy is not one', () => {
    const app = new App();
    const a = new Stack(app, 'A', { env });
    const b = new Stack(app, 'B', { env });
    const t1 = topicIn(a, 'T1');
    const k = new kms.CfnKey(a, 'K', {});
    const t2 = topicIn(b, 'T2');
    new iam.Policy(a, 'Unattached', { statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })] });
    const ix = new ResourceIndex(app);
    expect(ix.resources).toEqual([t1, k, t2]);
    expect(ix.ofType('AWS::SNS::Topic')).toEqual([t1, t2]);
    expect(ix.ofType('AWS::KMS::Key')).toEqual([k]);
    expect(ix.ofType('AWS::IAM::Policy')).toEqual([]);
    expect(ix.ofType('AWS::S3::Bucket')).toEqual([]);
  });

  test('the organization id given to the index is what rules compare policy limits with', () => {
    const app = new App();
    expect(new ResourceIndex(app, { organizationId: 'o-abcdefghij' }).organizationId).toBe('o-abcdefghij');
    expect(new ResourceIndex(app).organizationId).toBeUndefined();
  });

  test('a logical id set by hand, or renamed on the stack, is the one the template holds', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const byHand = topicIn(s, 'ByHand');
    byHand.overrideLogicalId('HandNamed');
    const renamed = topicIn(s, 'Renamed');
    s.renameLogicalId(s.getLogicalId(renamed), 'RenamedTopic');
    const plain = topicIn(s, 'Plain');
    const ix = new ResourceIndex(app);
    expect([ix.logicalId(byHand), ix.logicalId(renamed), ix.logicalId(plain)]).toEqual(['HandNamed', 'RenamedTopic', s.getLogicalId(plain)]);
    const template = (s as unknown as { _toCloudFormation(): { Resources: Record<string, unknown> } })._toCloudFormation();
    expect(Object.keys(template.Resources).sort()).toEqual([ix.logicalId(byHand), ix.logicalId(plain), ix.logicalId(renamed)].sort());
  });

  test('memo builds a derived index once per validation and gives the same value after', () => {
    const ix = new ResourceIndex(new App());
    const build = jest.fn(() => ({ built: true }));
    const first = ix.memo('x', build);
    expect(ix.memo('x', build)).toBe(first);
    expect(build).toHaveBeenCalledTimes(1);
    // a memo whose value is undefined is remembered too
    const none = jest.fn(() => undefined);
    ix.memo('y', none);
    ix.memo('y', none);
    expect(none).toHaveBeenCalledTimes(1);
  });
});

describe('the resource as its template holds it', () => {
  test('policies and metadata come with the properties; absent ones are not invented', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const kept = new s3.CfnBucket(s, 'Kept', { bucketName: 'kept' });
    kept.cfnOptions.deletionPolicy = 'Retain' as never;
    kept.cfnOptions.updateReplacePolicy = 'Retain' as never;
    kept.cfnOptions.metadata = { note: 'x' };
    const plain = new s3.CfnBucket(s, 'Plain', {});
    plain.cfnOptions.metadata = {};
    const ix = new ResourceIndex(app);
    const k = ix.cfn(kept);
    expect([k.Type, k.DeletionPolicy, k.UpdateReplacePolicy, k.Metadata, { ...k.Properties }])
      .toEqual(['AWS::S3::Bucket', 'Retain', 'Retain', { note: 'x' }, { BucketName: 'kept' }]);
    const p = ix.cfn(plain);
    expect('DeletionPolicy' in p || 'UpdateReplacePolicy' in p || 'Metadata' in p).toBe(false);
    expect({ ...ix.props(plain) }).toEqual({});
  });

  test('an escape-hatch override is applied, and rawProp then gives nothing (only the rendering counts)', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const b = new s3.CfnBucket(s, 'B', { versioningConfiguration: { status: 'Enabled' } });
    b.addPropertyOverride('VersioningConfiguration.Status', 'Suspended');
    const plain = new s3.CfnBucket(s, 'P', { versioningConfiguration: { status: 'Enabled' } });
    const ix = new ResourceIndex(app);
    expect(ix.props(b).VersioningConfiguration).toEqual({ Status: 'Suspended' });
    expect(ix.rawProp(b, 'VersioningConfiguration')).toBeUndefined();
    expect(ix.rawProp(plain, 'VersioningConfiguration')).toEqual({ status: 'Enabled' });
    expect(ix.rawProp(plain, 'BucketName')).toBeUndefined();
  });

  test('a resource that cannot be rendered throws its error on every read, never an empty resource', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const broken = new CfnResource(s, 'Broken', { type: 'Custom::Broken', properties: { Value: 'x' } });
    broken.addOverride('Properties.Value', { 'Fn::Broken': Fn.importValue('x') });
    const spy = jest.spyOn(Stack.prototype, 'resolve').mockImplementation(() => { throw 'not an Error'; });
    const ix = new ResourceIndex(app);
    try {
      expect(() => ix.cfn(broken)).toThrow('not an Error');
    } finally {
      spy.mockRestore();
    }
    // the failure is remembered: the same error again, though resolving would now work
    expect(() => ix.cfn(broken)).toThrow('not an Error');
    expect(() => ix.props(broken)).toThrow(Error);
  });

  test('a number parameter is a reference, not the huge negative number CDK encodes it as', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const days = new CfnParameter(s, 'Days', { type: 'Number' });
    const q = new CfnResource(s, 'Q', { type: 'AWS::SQS::Queue', properties: { MessageRetentionPeriod: days.valueAsNumber, DelaySeconds: 5, FifoQueue: true } });
    const ix = new ResourceIndex(app);
    expect(ix.props(q)).toEqual({ MessageRetentionPeriod: { Ref: 'Days' }, DelaySeconds: 5, FifoQueue: true });
  });

  test('two resources of one shape keep their own references (a shared rendering never leaks one into the other)', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const k1 = new kms.CfnKey(s, 'K1', {});
    const k2 = new kms.CfnKey(s, 'K2', {});
    const b1 = new s3.CfnBucket(s, 'B1', { bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: k1.attrArn } }] } });
    const b2 = new s3.CfnBucket(s, 'B2', { bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: k2.attrArn } }] } });
    const ix = new ResourceIndex(app);
    const keyOf = (b: CfnResource) => (ix.props(b).BucketEncryption as { ServerSideEncryptionConfiguration: { ServerSideEncryptionByDefault: { KMSMasterKeyID: unknown } }[] })
      .ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID;
    expect(keyOf(b1)).toEqual({ 'Fn::GetAtt': ['K1', 'Arn'] });
    expect(keyOf(b2)).toEqual({ 'Fn::GetAtt': ['K2', 'Arn'] });
    expect(ix.resourceOf(b1, keyOf(b1))).toBe(k1);
    expect(ix.resourceOf(b2, keyOf(b2))).toBe(k2);
  });
});

describe('rendering is paid once per shape of value, not once per resource', () => {
  type Renderer = { renderProperties(p: Record<string, unknown>): Record<string, unknown> };
  const keyOf = (ix: ResourceIndex, b: CfnResource) => (ix.props(b).BucketEncryption as { ServerSideEncryptionConfiguration: { ServerSideEncryptionByDefault: { KMSMasterKeyID: unknown } }[] })
    .ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID;
  function buckets(n: number, make: (s: Stack, id: string, key: kms.CfnKey) => CfnResource = (s, id, key) => new s3.CfnBucket(s, id, {
    bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.attrArn } }] },
  })) {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const pairs = Array.from({ length: n }, (_, i) => {
      const key = new kms.CfnKey(s, `K${i}`, {});
      return { key, bucket: make(s, `B${i}`, key) };
    });
    return { app, pairs };
  }

  test('forty buckets differing only in their key: a handful of renderings, each bucket with its own key', () => {
    const { app, pairs } = buckets(40);
    const spy = jest.spyOn(s3.CfnBucket.prototype as unknown as Renderer, 'renderProperties');
    try {
      const ix = new ResourceIndex(app);
      for (const { key, bucket } of pairs) expect(ix.resourceOf(bucket, keyOf(ix, bucket))).toBe(key);
      expect(spy.mock.calls.length).toBeLessThan(10);
      // each property is rendered on first read only, and the resource once
      const before = spy.mock.calls.length;
      for (const { bucket } of pairs) expect(ix.cfn(bucket)).toBe(ix.cfn(bucket));
      for (const { key, bucket } of pairs) expect(ix.resourceOf(bucket, keyOf(ix, bucket))).toBe(key);
      expect(spy.mock.calls.length).toBe(before);
    } finally {
      spy.mockRestore();
    }
  });

  test('a value holding a token that is no intrinsic (a lazy list) is rendered on its own, correctly', () => {
    const { app, pairs } = buckets(3, (s, id, key) => new s3.CfnBucket(s, id, {
      bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: Fn.join('', [key.attrArn, '']) } }] },
    }));
    const ix = new ResourceIndex(app);
    for (const { key, bucket } of pairs) expect(keyOf(ix, bucket)).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [ix.logicalId(key), 'Arn'] }, '']] });
  });

  test('a subclass that overrides renderProperties is asked for every resource (its rendering may depend on more than the value)', () => {
    let calls = 0;
    class Counting extends s3.CfnBucket {
      protected renderProperties(props: Record<string, unknown>): Record<string, unknown> {
        calls++;
        return super.renderProperties(props);
      }
    }
    const { app, pairs } = buckets(12, (s, id, key) => new Counting(s, id, {
      bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.attrArn } }] },
    }));
    const ix = new ResourceIndex(app);
    for (const { key, bucket } of pairs) expect(ix.resourceOf(bucket, keyOf(ix, bucket))).toBe(key);
    expect(calls).toBeGreaterThanOrEqual(12);
  });

  test('two properties whose values are alike are each rendered by their own converter', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    // the same camelCase value: the ingress converter knows sourceSecurityGroupId, the egress one does not
    const rule = { ipProtocol: 'tcp', fromPort: 443, toPort: 443, sourceSecurityGroupId: 'sg-12345678', destinationSecurityGroupId: 'sg-87654321' };
    const g = new ec2.CfnSecurityGroup(s, 'G', { groupDescription: 'g', securityGroupIngress: [rule], securityGroupEgress: [rule] });
    const ix = new ResourceIndex(app);
    const full = Stack.of(g).resolve((g as unknown as { _toCloudFormation(): object })._toCloudFormation()) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    expect(full.Resources.G.Properties.SecurityGroupIngress).not.toEqual(full.Resources.G.Properties.SecurityGroupEgress);
    expect({ ...ix.props(g) }).toEqual(full.Resources.G.Properties);
  });
});

describe('what reading a property costs, and that every value is read as itself', () => {
  type Renderer = { renderProperties(p: Record<string, unknown>): Record<string, unknown> };
  /** The number of calls `spy` gets while `read` runs. */
  function callsDuring(spy: jest.SpyInstance, read: () => unknown): number {
    const before = spy.mock.calls.length;
    read();
    return spy.mock.calls.length - before;
  }
  const fullProps = (r: CfnResource) => (Stack.of(r).resolve((r as unknown as { _toCloudFormation(): object })._toCloudFormation()) as
    { Resources: Record<string, { Properties?: Record<string, unknown> }> }).Resources[Stack.of(r).getLogicalId(r)].Properties ?? {};

  test('a string, number or boolean is taken as it is; null and lists are resolved; only values holding objects go to the converter', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const r = new CfnResource(s, 'R', {
      type: 'Custom::Plain',
      properties: { S: 'x', N: 5, B: true, Nil: null, L: ['a', null, 1], Mixed: ['a', { b: 1 }], O: { a: 1 } },
    });
    const ix = new ResourceIndex(app);
    const props = ix.props(r);
    const render = jest.spyOn(CfnResource.prototype as unknown as Renderer, 'renderProperties');
    const resolve = jest.spyOn(Stack.prototype, 'resolve');
    try {
      expect([props.S, props.N, props.B, props.Nil, props.L]).toEqual(['x', 5, true, null, ['a', null, 1]]);
      expect(resolve.mock.calls.map(([v]) => v)).toEqual([null, ['a', null, 1]]);
      expect(render).not.toHaveBeenCalled();
      expect(props.Mixed).toEqual(['a', { b: 1 }]);
      expect(props.O).toEqual({ a: 1 });
      expect(render).toHaveBeenCalledTimes(2);
      // each property is resolved on its first read only
      expect([props.S, props.N, props.B, props.Nil, props.L, props.Mixed, props.O]).toEqual(['x', 5, true, null, ['a', null, 1], ['a', { b: 1 }], { a: 1 }]);
      expect([resolve.mock.calls.length, render.mock.calls.length]).toEqual([4, 2]);
    } finally {
      render.mockRestore();
      resolve.mockRestore();
    }
  });

  test('the properties are exactly those the template holds: one left undefined is not there, an empty structure is', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const b = new s3.CfnBucket(s, 'B', { bucketName: undefined, publicAccessBlockConfiguration: {}, versioningConfiguration: { status: 'Enabled' } });
    const g = new ec2.CfnSecurityGroup(s, 'G', { groupDescription: 'g', vpcId: undefined });
    const ix = new ResourceIndex(app);
    for (const r of [b, g]) {
      const full = fullProps(r);
      // the template holds no key whose value is undefined
      expect(Object.keys(ix.props(r)).sort()).toEqual(Object.keys(full).filter((k) => full[k] !== undefined).sort());
      expect({ ...ix.props(r) }).toEqual(fullProps(r));
    }
    expect(ix.props(b).PublicAccessBlockConfiguration).toEqual({});
  });

  test('a subclass whose renderer adds a property of its own is rendered whole, that property included', () => {
    class Stamped extends s3.CfnBucket {
      protected renderProperties(props: Record<string, unknown>): Record<string, unknown> {
        return { ...super.renderProperties(props), Tags: [{ Key: 'stamp', Value: 'added by the renderer' }] };
      }
    }
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const b = new Stamped(s, 'B', { bucketName: 'b' });
    const ix = new ResourceIndex(app);
    expect({ ...ix.props(b) }).toEqual({ BucketName: 'b', Tags: [{ Key: 'stamp', Value: 'added by the renderer' }] });
  });

  test('a subclass that keeps the generated renderer keeps its rendering paid once per shape of value', () => {
    class Named extends s3.CfnBucket {}
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const buckets = Array.from({ length: 12 }, (_, i) => new Named(s, `B${i}`, {
      objectLockEnabled: true,
      bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: new kms.CfnKey(s, `K${i}`, {}).attrArn } }] },
    }));
    const ix = new ResourceIndex(app);
    const spy = jest.spyOn(s3.CfnBucket.prototype as unknown as Renderer, 'renderProperties');
    try {
      const read = buckets.map((b) => ix.props(b).BucketEncryption);
      expect(spy.mock.calls.length).toBeLessThan(buckets.length);
      spy.mockRestore();
      expect(read).toEqual(buckets.map((b) => fullProps(b).BucketEncryption));
    } finally {
      spy.mockRestore();
    }
  });

  test('once a shape\'s first value is rendered, a new value costs one converter call and a value seen before (other intrinsics) none', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const rule = (port: number, source: string) => ({ ipProtocol: 'tcp', fromPort: port, toPort: port, sourceSecurityGroupId: source });
    const other = new ec2.CfnSecurityGroup(s, 'Other', { groupDescription: 'o' });
    const mk = (id: string, port: number, source: string) => new ec2.CfnSecurityGroup(s, id, { groupDescription: id, groupName: id, securityGroupIngress: [rule(port, source)] });
    const first = mk('First', 443, other.attrGroupId);
    const newValue = mk('NewValue', 8443, other.ref);
    const seen = mk('Seen', 443, Fn.importValue('SharedGroup'));
    const ix = new ResourceIndex(app);
    const spy = jest.spyOn(ec2.CfnSecurityGroup.prototype as unknown as Renderer, 'renderProperties');
    try {
      expect(callsDuring(spy, () => ix.props(first).SecurityGroupIngress)).toBeGreaterThan(0);
      expect(callsDuring(spy, () => ix.props(newValue).SecurityGroupIngress)).toBe(1);
      expect(callsDuring(spy, () => ix.props(seen).SecurityGroupIngress)).toBe(0);
      for (const g of [first, newValue, seen]) expect(ix.props(g).SecurityGroupIngress).toEqual(fullProps(g).SecurityGroupIngress);
    } finally {
      spy.mockRestore();
    }
  });

  test('a value holding sixty intrinsics is remembered like one holding one: the second group costs nothing', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const sources = Array.from({ length: 120 }, (_, i) => new ec2.CfnSecurityGroup(s, `Source${i}`, { groupDescription: 's' }));
    const mk = (id: string, from: ec2.CfnSecurityGroup[]) => new ec2.CfnSecurityGroup(s, id, {
      groupDescription: 'g', groupName: 'sixty', securityGroupIngress: from.map((src) => ({ ipProtocol: 'tcp', fromPort: 443, toPort: 443, sourceSecurityGroupId: src.attrGroupId })),
    });
    const [a, b] = [mk('A', sources.slice(0, 60)), mk('B', sources.slice(60))];
    const ix = new ResourceIndex(app);
    const spy = jest.spyOn(ec2.CfnSecurityGroup.prototype as unknown as Renderer, 'renderProperties');
    try {
      expect(callsDuring(spy, () => ix.props(a).SecurityGroupIngress)).toBeGreaterThan(0);
      expect(callsDuring(spy, () => ix.props(b).SecurityGroupIngress)).toBe(0);
    } finally {
      spy.mockRestore();
    }
    for (const g of [a, b]) expect(ix.props(g).SecurityGroupIngress).toEqual(fullProps(g).SecurityGroupIngress);
  });

  test('booleans, nulls and Refs inside a value are remembered like any value: the second bucket costs nothing', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const mk = (id: string) => new s3.CfnBucket(s, id, {
      publicAccessBlockConfiguration: { blockPublicAcls: true, blockPublicPolicy: false },
      bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: new kms.CfnKey(s, `${id}Key`, {}).ref }, bucketKeyEnabled: null as unknown as boolean }] },
    });
    const [a, b] = [mk('A'), mk('B')];
    const ix = new ResourceIndex(app);
    const spy = jest.spyOn(s3.CfnBucket.prototype as unknown as Renderer, 'renderProperties');
    const read = (x: CfnResource) => [ix.props(x).PublicAccessBlockConfiguration, ix.props(x).BucketEncryption];
    try {
      expect(callsDuring(spy, () => read(a))).toBeGreaterThan(0);
      expect(callsDuring(spy, () => read(b))).toBe(0);
      for (const x of [a, b]) expect(read(x)).toEqual([fullProps(x).PublicAccessBlockConfiguration, fullProps(x).BucketEncryption]);
    } finally {
      spy.mockRestore();
    }
  });

  test('values JSON cannot tell apart (0 and -0, NaN and null, a number and no number) are each read as themselves, in any order', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const ports: Record<string, number | null | undefined> = { Zero: 0, MinusZero: -0, NotANumber: NaN, Null: null, Absent: undefined };
    const groups = Object.entries(ports).map(([id, port]) =>
      new ec2.CfnSecurityGroup(s, id, { groupDescription: 'g', securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: port as number, cidrIp: '10.0.0.0/8' }] }));
    const fromPort = (v: unknown) => (v as { FromPort?: unknown }[])[0].FromPort;
    for (const order of [groups, [...groups].reverse()]) {
      const ix = new ResourceIndex(app);
      for (const g of order) {
        const expected = fromPort(fullProps(g).SecurityGroupIngress);
        expect(Object.is(fromPort(ix.props(g).SecurityGroupIngress), expected)).toBe(true);
      }
    }
  });

  test('a list element CDK refuses is refused even after a list JSON writes alike was accepted', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const mk = (id: string, origins: unknown[]) => new s3.CfnBucket(s, id, { corsConfiguration: { corsRules: [{ allowedMethods: ['GET'], allowedOrigins: origins as string[] }] } });
    const accepted = mk('Accepted', ['a', null]);
    const refused = mk('Refused', ['a', -0]);
    const ix = new ResourceIndex(app);
    expect(ix.props(accepted).CorsConfiguration).toEqual(fullProps(accepted).CorsConfiguration);
    expect(() => fullProps(refused)).toThrow('should be a string');
    expect(() => ix.props(refused).CorsConfiguration).toThrow('should be a string');
  });

  describe('which values are remembered: at most 32 levels deep and 8,192 characters of JSON', () => {
    function roles(docs: Record<string, unknown>) {
      const app = new App();
      const s = new Stack(app, 'S', { env });
      const made = Object.entries(docs).flatMap(([id, doc]) => [1, 2].map((n) => new iam.CfnRole(s, `${id}${n}`, { assumeRolePolicyDocument: doc })));
      return { ix: new ResourceIndex(app), made };
    }
    const nested = (depth: number): unknown => {
      let v: unknown = {};
      for (let i = 0; i < depth; i++) v = { a: v };
      return v;
    };
    const nestedLists = (depth: number): unknown => {
      let v: unknown = [];
      for (let i = 0; i < depth; i++) v = [v];
      return { l: v };
    };
    const padded = (jsonLength: number) => ({ p: 'x'.repeat(jsonLength - JSON.stringify({ p: '' }).length) });

    test.each([
      ['nested 32 levels', 0, nested(32)],
      ['nested 33 levels', 1, nested(33)],
      ['holding lists nested 31 levels', 0, nestedLists(31)],
      ['holding lists nested 32 levels', 1, nestedLists(32)],
      ['holding zeros', 0, { n: 0, l: [0, 0.5] }],
      ['of 8,192 characters of JSON', 0, padded(8192)],
      ['of 8,193 characters of JSON', 1, padded(8193)],
    ])('a document %s: the second role of the same document costs %d renderings', (_name, second, doc) => {
      const { ix, made: [one, two] } = roles({ R: doc });
      const spy = jest.spyOn(iam.CfnRole.prototype as unknown as Renderer, 'renderProperties');
      try {
        callsDuring(spy, () => ix.props(one).AssumeRolePolicyDocument);
        expect(callsDuring(spy, () => ix.props(two).AssumeRolePolicyDocument)).toBe(second);
        expect(ix.props(two).AssumeRolePolicyDocument).toEqual(doc);
      } finally {
        spy.mockRestore();
      }
    });
  });

  test('a validator wanting one of two properties (more than each alone requires) still renders each value', () => {
    class OneOf extends s3.CfnBucket {
      public static readonly CFN_RESOURCE_TYPE_NAME = 'AWS::S3::Bucket';
      protected renderProperties(props: Record<string, unknown>): Record<string, unknown> {
        if (props.bucketName === undefined && props.versioningConfiguration === undefined) throw new Error('bucketName or versioningConfiguration is required');
        return super.renderProperties(props);
      }
    }
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const b = new OneOf(s, 'B', { bucketName: 'b', versioningConfiguration: { status: 'Enabled' }, publicAccessBlockConfiguration: { blockPublicAcls: true } });
    const ix = new ResourceIndex(app);
    expect({ ...ix.props(b) }).toEqual(fullProps(b));
    expect(ix.props(b).PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true });
  });
});

describe('what a reference points at', () => {
  function exportingApp() {
    const app = new App();
    const producer = new Stack(app, 'Producer', { env });
    const consumer = new Stack(app, 'Consumer', { env });
    const key = new kms.CfnKey(producer, 'Key', {});
    new CfnOutput(producer, 'KeyArnOut', { value: key.attrArn, exportName: 'KeyArn' });
    new CfnOutput(producer, 'Literal', { value: 'arn:aws:kms:us-east-1:111111111111:key/abc', exportName: 'LiteralKey' });
    new CfnOutput(producer, 'NotExported', { value: key.ref });
    const t = topicIn(consumer);
    return { app, producer, consumer, key, t };
  }

  test.each([
    ['a literal string', 'alias/x', { kind: 'literal', value: 'alias/x' }],
    ['a pseudo parameter', { Ref: 'AWS::AccountId' }, { kind: 'pseudo', name: 'AWS::AccountId' }],
    ['a Ref to a resource of no stack', { Ref: 'Nowhere' }, { kind: 'unresolved', value: { Ref: 'Nowhere' } }],
    ['an import of an export no stack of the app defines', { 'Fn::ImportValue': 'Elsewhere' }, { kind: 'unresolved', value: { 'Fn::ImportValue': 'Elsewhere' } }],
    ['an import of an exported literal', { 'Fn::ImportValue': 'LiteralKey' }, { kind: 'literal', value: 'arn:aws:kms:us-east-1:111111111111:key/abc' }],
    ['an output of a stack the app does not hold', { 'Fn::GetStackOutput': { StackName: 'Other', OutputName: 'KeyArnOut' } }, { kind: 'unresolved' }],
    ['an output the stack does not have', { 'Fn::GetStackOutput': { StackName: 'Producer', OutputName: 'Missing' } }, { kind: 'unresolved' }],
    ['Fn::GetStackOutput without its names', { 'Fn::GetStackOutput': { StackName: 'Producer' } }, { kind: 'unresolved' }],
    ['Fn::GetStackOutput naming the output by a non-string', { 'Fn::GetStackOutput': { StackName: 'Producer', OutputName: ['KeyArnOut'] } }, { kind: 'unresolved' }],
    ['Fn::GetStackOutput with a non-string stack name', { 'Fn::GetStackOutput': { StackName: 1, OutputName: 'KeyArnOut' } }, { kind: 'unresolved' }],
    ['an import by a non-string name', { 'Fn::ImportValue': { 'Fn::Sub': 'KeyArn' } }, { kind: 'unresolved' }],
    ['another intrinsic', { 'Fn::Join': ['', ['a', 'b']] }, { kind: 'unresolved' }],
    ['an object of two keys', { Ref: 'Key', Other: 1 }, { kind: 'unresolved' }],
    ['a Ref that is not a string', { Ref: ['Key'] }, { kind: 'unresolved' }],
    ['Fn::GetAtt whose id is not a string', { 'Fn::GetAtt': [['Key'], 'Arn'] }, { kind: 'unresolved' }],
    ['a list', ['alias/x'], { kind: 'unresolved', value: ['alias/x'] }],
    ['null', null, { kind: 'unresolved', value: null }],
    ['a number', 5, { kind: 'unresolved', value: 5 }],
  ])('%s', (_name, value, expected) => {
    const { app, t } = exportingApp();
    expect(new ResourceIndex(app).deref(t, value)).toMatchObject(expected);
  });

  test('Ref, Fn::GetAtt (list and dotted string), an import of an export and a stack output reach the producing resource', () => {
    const { app, key, t, producer } = exportingApp();
    const ix = new ResourceIndex(app);
    const id = ix.logicalId(key);
    expect(ix.deref(key, { Ref: id })).toEqual({ kind: 'resource', node: key, attribute: undefined });
    expect(ix.deref(key, { 'Fn::GetAtt': [id, 'Arn'] })).toEqual({ kind: 'resource', node: key, attribute: 'Arn' });
    expect(ix.deref(key, { 'Fn::GetAtt': [id, { Ref: 'AttrParam' }] })).toEqual({ kind: 'resource', node: key, attribute: undefined });
    expect(ix.deref(key, { 'Fn::GetAtt': `${id}.Arn.Sub` })).toEqual({ kind: 'resource', node: key, attribute: 'Arn.Sub' });
    expect(ix.deref(producer, { Ref: id })).toEqual({ kind: 'resource', node: key, attribute: undefined });
    // from the consuming stack, through the export and through the output
    expect(ix.deref(t, { 'Fn::ImportValue': 'KeyArn' })).toEqual({ kind: 'resource', node: key, attribute: 'Arn' });
    expect(ix.deref(t, { 'Fn::GetStackOutput': { StackName: 'Producer', OutputName: 'NotExported' } })).toEqual({ kind: 'resource', node: key, attribute: undefined });
    expect(ix.resourceOf(t, { 'Fn::ImportValue': 'KeyArn' })).toBe(key);
    expect(ix.resourceOf(t, 'alias/x')).toBeUndefined();
    // a Ref to a logical id only another stack holds (one resource of that id in the app) still finds it
    expect(ix.deref(t, { Ref: id })).toEqual({ kind: 'resource', node: key, attribute: undefined });
  });

  test('a CDK token: its reference is followed without rendering; a token of a parameter resolves to its Ref', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const key = new kms.CfnKey(s, 'Key', {});
    const p = new CfnParameter(s, 'P');
    const t = topicIn(s);
    const ix = new ResourceIndex(app);
    expect(ix.deref(t, key.attrArn)).toEqual({ kind: 'resource', node: key });
    expect(ix.deref(t, p.valueAsString)).toEqual({ kind: 'unresolved', value: { Ref: 'P' } });
    expect(ix.deref(t, Fn.join('', ['a', 'b']))).toEqual({ kind: 'literal', value: 'ab' });
  });

  test('propTarget follows the reference the construct holds, naming the attribute (none for Ref)', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const key = new kms.CfnKey(s, 'Key', {});
    const byArn = new sns.CfnTopic(s, 'ByArn', { kmsMasterKeyId: key.attrArn });
    const byRef = new sns.CfnTopic(s, 'ByRef', { kmsMasterKeyId: key.ref });
    const byAlias = new sns.CfnTopic(s, 'ByAlias', { kmsMasterKeyId: 'alias/x' });
    const byJoin = new sns.CfnTopic(s, 'ByJoin', { kmsMasterKeyId: Fn.join('', ['alias/', 'y']) });
    const none = new sns.CfnTopic(s, 'None', {});
    const ix = new ResourceIndex(app);
    expect(ix.propTarget(byArn, 'KmsMasterKeyId')).toEqual({ kind: 'resource', node: key, attribute: 'Arn' });
    expect(ix.propTarget(byRef, 'KmsMasterKeyId')).toEqual({ kind: 'resource', node: key, attribute: undefined });
    expect(ix.propTarget(byAlias, 'KmsMasterKeyId')).toEqual({ kind: 'literal', value: 'alias/x' });
    expect(ix.propTarget(byJoin, 'KmsMasterKeyId')).toEqual({ kind: 'literal', value: 'alias/y' });
    expect(ix.propTarget(none, 'KmsMasterKeyId')).toEqual({ kind: 'unresolved', value: undefined });
  });

  test('propTarget follows a held reference without resolving the property; a reference concatenated with text is no resource', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const key = new kms.CfnKey(s, 'Key', {});
    const byArn = new sns.CfnTopic(s, 'ByArn', { kmsMasterKeyId: key.attrArn });
    const joined = new sns.CfnTopic(s, 'Joined', { kmsMasterKeyId: `${key.attrArn}/suffix` });
    const ix = new ResourceIndex(app);
    ix.cfn(byArn);
    const resolve = jest.spyOn(Stack.prototype, 'resolve');
    try {
      expect(ix.propTarget(byArn, 'KmsMasterKeyId')).toEqual({ kind: 'resource', node: key, attribute: 'Arn' });
      expect(resolve).not.toHaveBeenCalled();
    } finally {
      resolve.mockRestore();
    }
    expect(ix.propTarget(joined, 'KmsMasterKeyId')).toEqual({ kind: 'unresolved', value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Key', 'Arn'] }, '/suffix']] } });
    expect(ix.deref(joined, `${key.attrArn}/suffix`)).toEqual({ kind: 'unresolved', value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Key', 'Arn'] }, '/suffix']] } });
  });

  test('propTarget of an override pointing elsewhere follows the override, not the reference the construct held', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const key = new kms.CfnKey(s, 'Key', {});
    const t = new sns.CfnTopic(s, 'T', { kmsMasterKeyId: key.attrArn });
    t.addPropertyOverride('KmsMasterKeyId', 'alias/aws/sns');
    expect(new ResourceIndex(app).propTarget(t, 'KmsMasterKeyId')).toEqual({ kind: 'literal', value: 'alias/aws/sns' });
  });

  test('propTarget of a reference to a resource that is not synthesized is not that resource', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const policy = new iam.Policy(s, 'Unattached', { statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })] });
    const cfnPolicy = policy.node.defaultChild as CfnResource;
    const t = new sns.CfnTopic(s, 'T', { displayName: cfnPolicy.ref });
    const target = new ResourceIndex(app).propTarget(t, 'DisplayName');
    expect(target.kind === 'resource' && target.node === cfnPolicy && target.attribute === undefined).toBe(false);
  });

  describe('two stacks holding the same logical id', () => {
    function twins() {
      const app = new App();
      const a = new Stack(app, 'A', { env });
      const b = new Stack(app, 'B', { env });
      const ka = new kms.CfnKey(a, 'Key', {});
      const kb = new kms.CfnKey(b, 'Key', {});
      return { app, a, b, ka, kb };
    }

    test('from a stack, the Ref means that stack\'s own resource; from a stack without one, nothing', () => {
      const { app, a, b, ka, kb } = twins();
      const c = new Stack(app, 'C', { env });
      const ix = new ResourceIndex(app);
      const id = ix.logicalId(ka);
      expect(ix.deref(a, { Ref: id })).toEqual({ kind: 'resource', node: ka, attribute: undefined });
      expect(ix.deref(b, { Ref: id })).toEqual({ kind: 'resource', node: kb, attribute: undefined });
      expect(ix.deref(c, { Ref: id }).kind).toBe('unresolved');
    });

    test('from a resource: the one it holds a CDK reference to; its own stack\'s when it holds none; unresolved when it holds both', () => {
      const { app, b, ka, kb } = twins();
      const toA = new sns.CfnTopic(b, 'ToA', { kmsMasterKeyId: ka.attrArn });
      const toNone = new sns.CfnTopic(b, 'ToNone', { kmsMasterKeyId: 'alias/x' });
      const toBoth = new sns.CfnTopic(b, 'ToBoth', { kmsMasterKeyId: ka.attrArn, displayName: kb.ref });
      const ix = new ResourceIndex(app);
      const id = ix.logicalId(ka);
      expect(ix.deref(toA, { 'Fn::GetAtt': [id, 'Arn'] })).toEqual({ kind: 'resource', node: ka, attribute: 'Arn' });
      expect(ix.deref(toNone, { Ref: id })).toEqual({ kind: 'resource', node: kb, attribute: undefined });
      expect(ix.deref(toBoth, { Ref: id }).kind).toBe('unresolved');
    });

    test('from a resource: references to resources of other ids and to parameters do not count', () => {
      const { app, b, ka } = twins();
      const other = new kms.CfnKey(b, 'OtherKey', {});
      const p = new CfnParameter(b, 'TopicName');
      const toA = new sns.CfnTopic(b, 'ToA', { kmsMasterKeyId: ka.attrArn, displayName: other.ref, topicName: p.valueAsString });
      const ix = new ResourceIndex(app);
      expect(ix.deref(toA, { 'Fn::GetAtt': [ix.logicalId(ka), 'Arn'] })).toEqual({ kind: 'resource', node: ka, attribute: 'Arn' });
    });

    test('from a resource of a third stack holding no reference: neither (no own resource of that id)', () => {
      const { app, ka } = twins();
      const c = new Stack(app, 'C', { env });
      const t = topicIn(c);
      const ix = new ResourceIndex(app);
      expect(ix.deref(t, { Ref: ix.logicalId(ka) }).kind).toBe('unresolved');
    });

    test('a resource that cannot be rendered cannot say which it refers to: unresolved', () => {
      const { app, b, ka } = twins();
      const t = new CfnResource(b, 'T', { type: 'Custom::T', properties: { Key: ka.attrArn, Bad: { 'Fn::Thing': Fn.importValue('x') } } });
      const ix = new ResourceIndex(app);
      const spy = jest.spyOn(CfnResource.prototype as unknown as { _toCloudFormation(): object }, '_toCloudFormation').mockImplementation(() => { throw new Error('cannot render'); });
      try {
        expect(ix.deref(t, { Ref: ix.logicalId(ka) }).kind).toBe('unresolved');
      } finally {
        spy.mockRestore();
      }
    });

    test('a reference to an unattached policy of that id does not count as a reference to it', () => {
      const app = new App();
      const a = new Stack(app, 'A', { env });
      const b = new Stack(app, 'B', { env });
      const ka = new kms.CfnKey(a, 'Key', {});
      const kb = new kms.CfnKey(b, 'Key', {});
      // a resource of another type under the same logical id is no concern; what counts is the id the reference names
      const t = new sns.CfnTopic(b, 'T', { kmsMasterKeyId: ka.attrArn });
      const ix = new ResourceIndex(app);
      expect(ix.resourceOf(t, { Ref: ix.logicalId(kb) })).toBe(ka);
    });
  });
});

describe('the account and region of a stack', () => {
  test('literal account and region; an environment-agnostic stack has its group (the app unless the context names one)', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const g = new Stack(app, 'G');
    const grouped = new Stack(app, 'Grouped');
    grouped.node.setContext(ENVIRONMENT_GROUP_CONTEXT, 'file:a.json');
    const e = environmentOf(s);
    expect(e.account).toEqual({ literal: ACCOUNT, group: expect.stringMatching(/^app:/) });
    expect(e.region).toEqual({ literal: 'us-east-1', group: e.account.group });
    expect(environmentOf(g).account).toEqual({ group: e.account.group });
    expect(environmentOf(grouped).account).toEqual({ group: 'file:a.json' });
    expect(sameEnvironment(g, grouped)).toBe('unknown');
    expect(describeEnvironment(s)).toBe(`${ACCOUNT}/us-east-1`);
    expect(describeEnvironment(g)).toBe('${AWS::AccountId}/${AWS::Region}');
    expect(describeEnvironment(new Stack(app, 'Half', { env: { region: 'eu-west-1' } }))).toBe('${AWS::AccountId}/eu-west-1');
  });

  test('a StackSet template records the accounts it is never deployed to (twelve digits only); an agnostic account then excludes them', () => {
    const app = new App();
    const t = new Stack(app, 'T');
    t.node.setContext(STACKSET_TEMPLATE_METADATA, { excludedAccounts: [ACCOUNT, 'not-an-account', 12, 222222222222, '1234', '3333333333334', 'x444444444444'] });
    const pinned = new Stack(app, 'Pinned', { env });
    pinned.node.setContext(STACKSET_TEMPLATE_METADATA, { excludedAccounts: [OTHER] });
    const emptyList = new Stack(app, 'Empty');
    emptyList.node.setContext(STACKSET_TEMPLATE_METADATA, { excludedAccounts: [] });
    const noList = new Stack(app, 'NoList');
    noList.node.setContext(STACKSET_TEMPLATE_METADATA, { excludedAccounts: 'x' });
    const notObject = new Stack(app, 'NotObject');
    notObject.node.setContext(STACKSET_TEMPLATE_METADATA, 'yes');
    expect(stackSetTemplateInfo(t)).toEqual({ excludedAccounts: [ACCOUNT] });
    expect(stackSetTemplateInfo(noList)).toEqual({ excludedAccounts: [] });
    expect(stackSetTemplateInfo(notObject)).toBeUndefined();
    expect(stackSetTemplateInfo(new Stack(app, 'Plain'))).toBeUndefined();
    expect(environmentOf(t).account.excludes).toEqual([ACCOUNT]);
    // a literal account excludes nothing; an empty list adds no `excludes`
    expect(environmentOf(pinned).account).toEqual({ literal: ACCOUNT, group: expect.any(String) });
    expect('excludes' in environmentOf(emptyList).account).toBe(false);
    expect(environmentOf(t).region.excludes).toBeUndefined();
  });

  const lit = (v: string, group = 'g'): EnvPart => ({ literal: v, group });
  const free = (group = 'g', excludes?: string[]): EnvPart => ({ group, ...(excludes ? { excludes } : {}) });
  test.each([
    ['two equal literals', lit('1'), lit('1', 'h'), 'same'],
    ['two different literals', lit('1'), lit('2'), 'different'],
    ['a literal the other excludes', lit('1'), free('g', ['1']), 'different'],
    ['excluded, the other way round', free('g', ['1']), lit('1'), 'different'],
    ['a literal the other does not exclude', lit('1'), free('g', ['2']), 'unknown'],
    ['a literal against an unresolved value', lit('1'), free(), 'unknown'],
    ['an unresolved value against a literal', free(), lit('1'), 'unknown'],
    ['two unresolved values of one group', free('g'), free('g'), 'same'],
    ['two unresolved values of one group, excluding accounts', free('g', ['1']), free('g', ['2']), 'same'],
    ['two unresolved values of different groups', free('g'), free('h'), 'unknown'],
  ])('relatePart: %s', (_n, a, b, expected) => {
    expect(relatePart(a, b)).toBe(expected);
  });

  test.each([
    [['same', 'same'], 'same'],
    [['same', 'unknown'], 'unknown'],
    [['unknown', 'different'], 'different'],
    [['different', 'same'], 'different'],
    [[], 'same'],
  ] as const)('combineRelations %j -> %s', (rs, expected) => {
    expect(combineRelations(rs)).toBe(expected);
  });

  describe('arnEnvironment', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const agnostic = new Stack(app, 'G');
    test.each([
      [`arn:aws:sns:us-east-1:${ACCOUNT}:t`, 'same'],
      [`arn:aws:sns:us-east-1:${ACCOUNT}:t:extra:fields`, 'same'],
      [`arn:aws:sns:eu-west-1:${ACCOUNT}:t`, 'different'],
      [`arn:aws:sns:us-east-1:${OTHER}:t`, 'different'],
      ['arn:aws:sns:${AWS::Region}:${AWS::AccountId}:t', 'same'],
      ['arn:${AWS::Partition}:sns:us-east-1:${AWS::AccountId}:t', 'same'],
      [`arn:aws:iam::${ACCOUNT}:role/r`, 'same'],
      [`arn:aws:iam::${OTHER}:role/r`, 'different'],
      ['arn:aws:s3:::bucket', 'same'],
      [`arn:aws:sns:us-*:${ACCOUNT}:t`, 'unknown'],
      ['arn:aws:sns:us-east-1:1111*:t', 'unknown'],
      ['arn:aws:sns:${Region}:111111111111:t', 'unknown'],
      ['arn:aws:sns:us-east-1:${Acct}:t', 'unknown'],
      ['arn:aws:sns:us-east-1:${AWS::AccountId}0:t', 'unknown'],
      ['arn:aws:sns:${AWS::Region}-2:111111111111:t', 'unknown'],
      ['arn:aws:sns:us-east-1', 'unknown'],
      [`arn:aws:sns:us-east-1:${ACCOUNT}`, 'unknown'],
      [`urn:aws:sns:us-east-1:${ACCOUNT}:t`, 'unknown'],
    ])('%s from a stack in 111111111111/us-east-1 -> %s', (arn, rel) => {
      expect(arnEnvironment(s, arn)).toBe(rel);
    });
    test('an environment-agnostic stack: placeholders are its own; literals cannot be compared', () => {
      expect(arnEnvironment(agnostic, 'arn:aws:sns:${AWS::Region}:${AWS::AccountId}:t')).toBe('same');
      expect(arnEnvironment(agnostic, `arn:aws:sns:us-east-1:${ACCOUNT}:t`)).toBe('unknown');
      expect(arnEnvironment(agnostic, 'arn:aws:s3:::b')).toBe('same');
    });
    test('a StackSet template is never in an account it excludes', () => {
      const t = new Stack(app, 'T');
      t.node.setContext(STACKSET_TEMPLATE_METADATA, { excludedAccounts: [OTHER] });
      expect(arnEnvironment(t, `arn:aws:iam::${OTHER}:role/r`)).toBe('different');
      expect(arnEnvironment(t, `arn:aws:iam::${ACCOUNT}:role/r`)).toBe('unknown');
    });
  });
});
