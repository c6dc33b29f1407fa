/**
 * The helpers every BreachLessons rule reads CloudFormation with (lib/nag/rules/common.ts), tested on
 * their own with real CDK constructs and the ResourceIndex the pack builds. What matters most: a value
 * the helper cannot resolve (a parameter, an import from outside the app, an intrinsic) raises
 * "cannot verify", never reads as compliant; and both sides of every boundary are decided right.
 */
import { App, Aws, CfnOutput, CfnParameter, CfnResource, Fn, NestedStack, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { isUnknown } from '../../../lib/policy';
import { Answer, OWN_ACCOUNT_PLACEHOLDER } from '../../../lib/policy/questions';
import { ResourceIndex } from '../../../lib/nag/resource-index';
import { CannotVerify } from '../../../lib/nag/types';
import { synthFast } from '../helpers';
import {
  NagRuleCompliance, OPEN_CIDRS, bool, cannotVerify, cidrWithin, compliantIf, conditionValues, coversPort, decided,
  ipv4Range, isAwsManagedAlias, isCustomerManagedKey, isOnly443, joinLiteral, list, num, obj, ownOf, permission,
  policyJson, principalKinds, propIsCustomerManagedKey, reasons, resourceIsStar, sharedAnswer, sharedResult, statements,
  str, strings, syntheticValue,
  regionText,
} from '../../../lib/nag/rules/common';

/** Builds an app with one stack, then the index the pack would build over it. */
function app<T>(build: (s: Stack) => T, props: StackProps = { env: { region: 'us-east-1' } }, organizationId?: string) {
  const a = new App();
  const s = new Stack(a, 'S', props);
  const r = build(s);
  const ix = new ResourceIndex(a, { organizationId });
  return { a, s, r, ix };
}

/** The L1 resource of a construct (its default child, or itself). */
const cfn = (c: { node: { defaultChild?: unknown } } | CfnResource): CfnResource =>
  (c instanceof CfnResource ? c : c.node.defaultChild) as CfnResource;

/** Runs `f` and returns the CannotVerify message it throws; fails when it throws nothing or something else. */
function cannot(f: () => unknown): string {
  try {
    const v = f();
    throw new Error(`expected cannot verify, got ${JSON.stringify(v)}`);
  } catch (e) {
    expect(e).toBeInstanceOf(CannotVerify);
    return (e as Error).message;
  }
}

const paramOf = (s: Stack, id = 'P') => new CfnParameter(s, id);
const numParam = (s: Stack, id = 'P') => new CfnParameter(s, id, { type: 'Number' }).valueAsNumber;

// ---- scalar properties --------------------------------------------------------------------------

describe('cannotVerify', () => {
  test('names what could not be verified and shows the unresolved value as JSON', () => {
    expect(cannot(() => cannotVerify('BucketEncryption', { Ref: 'P' }))).toBe('cannot verify BucketEncryption: unresolved value {"Ref":"P"}');
  });
  test('a value JSON cannot show is shown as text', () => {
    expect(cannot(() => cannotVerify('Thing', undefined))).toBe('cannot verify Thing: unresolved value undefined');
  });
});

describe('bool', () => {
  test('literal booleans and their CloudFormation strings are read', () => {
    expect(bool(true, 'x')).toBe(true);
    expect(bool('true', 'x')).toBe(true);
    expect(bool(false, 'x')).toBe(false);
    expect(bool('false', 'x')).toBe(false);
    expect(bool(undefined, 'x')).toBeUndefined();
  });
  test('a parameter is cannot verify, never true or false', () => {
    const { ix, r } = app((s) => new CfnResource(s, 'T', {
      type: 'AWS::CloudTrail::Trail', properties: { IsLogging: true, S3BucketName: 'b', IsMultiRegionTrail: paramOf(s).value },
    }));
    const v = ix.props(r).IsMultiRegionTrail;
    expect(cannot(() => bool(v, 'IsMultiRegionTrail'))).toBe('cannot verify IsMultiRegionTrail: unresolved value {"Ref":"P"}');
  });
  test('other strings and numbers are not booleans', () => {
    cannot(() => bool('yes', 'x'));
    cannot(() => bool(1, 'x'));
    cannot(() => bool({ 'Fn::If': ['C', true, false] }, 'x'));
  });
});

describe('num', () => {
  test('numbers and numeric strings', () => {
    expect(num(7, 'x')).toBe(7);
    expect(num('30', 'x')).toBe(30);
    expect(num('365', 'x')).toBe(365);
    expect(num('-1', 'x')).toBe(-1);
    expect(num('1.25', 'x')).toBe(1.25);
    expect(num('0', 'x')).toBe(0);
    expect(num(undefined, 'x')).toBeUndefined();
  });
  test('a numeric parameter (valueAsNumber) is cannot verify', () => {
    const { ix, r } = app((s) => new logs.CfnLogGroup(s, 'L', { retentionInDays: numParam(s) }));
    expect(cannot(() => num(ix.props(r).RetentionInDays, 'RetentionInDays'))).toMatch(/RetentionInDays: unresolved value \{"Ref":"P"\}/);
  });
  test('strings that only hold a number somewhere are not numbers', () => {
    for (const s of ['7days', 'x7', '1.', '.5', '1.2.3', '', ' 7', '7 ', '--1']) cannot(() => num(s, 'x'));
    cannot(() => num(true, 'x'));
    cannot(() => num(['30'], 'x'));
  });
});

describe('str', () => {
  test('strings, and numbers as text', () => {
    expect(str('aws:kms', 'x')).toBe('aws:kms');
    expect(str('', 'x')).toBe('');
    expect(str(22, 'x')).toBe('22');
    expect(str(undefined, 'x')).toBeUndefined();
  });
  test('an import from outside the app is cannot verify', () => {
    const { ix, r } = app((s) => new sqs.CfnQueue(s, 'Q', { kmsMasterKeyId: Fn.importValue('SharedKey') }));
    expect(cannot(() => str(ix.props(r).KmsMasterKeyId, 'KmsMasterKeyId'))).toMatch(/KmsMasterKeyId: unresolved value \{"Fn::ImportValue":"SharedKey"\}/);
    cannot(() => str(true, 'x'));
  });
});

describe('list', () => {
  test('a list is itself, a single value a one-element list, absent an empty list', () => {
    expect(list(['a', 'b'], 'x')).toEqual(['a', 'b']);
    expect(list('s3:GetObject', 'x')).toEqual(['s3:GetObject']);
    expect(list({ Effect: 'Allow', Action: '*' }, 'x')).toEqual([{ Effect: 'Allow', Action: '*' }]);
    expect(list(undefined, 'x')).toEqual([]);
    expect(list(null, 'x')).toEqual([null]);
  });
  test('an intrinsic that yields a list is cannot verify', () => {
    const { ix, r } = app((s) => new ec2.CfnSecurityGroup(s, 'G', {
      groupDescription: 'g', securityGroupIngress: Fn.split(',', paramOf(s).valueAsString) as unknown as ec2.CfnSecurityGroup.IngressProperty[],
    }));
    expect(cannot(() => list(ix.props(r).SecurityGroupIngress, 'SecurityGroupIngress'))).toMatch(/^cannot verify SecurityGroupIngress: unresolved value \{"Fn::Split"/);
    cannot(() => list({ Ref: 'Subnets' }, 'x'));
    cannot(() => list({ 'Fn::If': ['C', ['a'], ['b']] }, 'x'));
  });
  test('an object holding an intrinsic key among others is not one value', () => {
    cannot(() => list({ Ref: 'X', Extra: 1 }, 'x'));
    cannot(() => list({ Extra: 1, 'Fn::GetAtt': ['A', 'B'] }, 'x'));
  });
});

describe('obj', () => {
  test('a plain object is itself; absent is undefined', () => {
    const o = { Effect: 'Allow' };
    expect(obj(o, 'x')).toBe(o);
    expect(obj(undefined, 'x')).toBeUndefined();
    expect(obj({}, 'x')).toEqual({});
    expect(obj({ Ref: 'X', Other: 1 }, 'x')).toEqual({ Ref: 'X', Other: 1 });
  });
  test('an intrinsic, a list, a string or null is cannot verify', () => {
    expect(cannot(() => obj({ Ref: 'P' }, 'Config'))).toBe('cannot verify Config: unresolved value {"Ref":"P"}');
    cannot(() => obj({ 'Fn::If': ['C', {}, {}] }, 'x'));
    cannot(() => obj([], 'x'));
    cannot(() => obj('text', 'x'));
    cannot(() => obj(null, 'x'));
  });
  test('an object with one ordinary key is not an intrinsic', () => {
    expect(obj({ Status: 'Enabled' }, 'x')).toEqual({ Status: 'Enabled' });
    expect(obj({ Refs: 1 }, 'x')).toEqual({ Refs: 1 });
    expect(obj({ 'Not::Fn::X': 1 }, 'x')).toEqual({ 'Not::Fn::X': 1 });
  });
});

describe('compliantIf and reasons', () => {
  test('a true check is compliant, a false one not', () => {
    expect(compliantIf(true)).toBe(NagRuleCompliance.COMPLIANT);
    expect(compliantIf(false)).toBe(NagRuleCompliance.NON_COMPLIANT);
  });
  test('no reasons is compliant; reasons are kept as the evidence', () => {
    expect(reasons([])).toBe(NagRuleCompliance.COMPLIANT);
    expect(reasons(['port 22 open to 0.0.0.0/0'])).toEqual(['port 22 open to 0.0.0.0/0']);
  });
});

// ---- keys ---------------------------------------------------------------------------------------

describe('isAwsManagedAlias', () => {
  test('alias/aws/... by name and by ARN is AWS-managed', () => {
    expect(isAwsManagedAlias('alias/aws/s3')).toBe(true);
    expect(isAwsManagedAlias('arn:aws:kms:us-east-1:111122223333:alias/aws/sqs')).toBe(true);
  });
  test('customer aliases, key ARNs and ids are not', () => {
    expect(isAwsManagedAlias('alias/awsome')).toBe(false);
    expect(isAwsManagedAlias('alias/aws-keys')).toBe(false);
    expect(isAwsManagedAlias('alias/team/alias/aws/x')).toBe(false);
    expect(isAwsManagedAlias('arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab')).toBe(false);
    expect(isAwsManagedAlias('1234abcd-12ab-34cd-56ef-1234567890ab')).toBe(false);
  });
});

describe('isCustomerManagedKey / propIsCustomerManagedKey', () => {
  const queue = (key: (s: Stack) => string | undefined) => {
    const { ix, r } = app((s) => new sqs.CfnQueue(s, 'Q', { kmsMasterKeyId: key(s) }));
    return { ix, r };
  };
  const viaProp = (key: (s: Stack) => string | undefined) => {
    const { ix, r } = queue(key);
    return propIsCustomerManagedKey(ix, r, 'KmsMasterKeyId');
  };
  const viaValue = (key: (s: Stack) => string | undefined) => {
    const { ix, r } = queue(key);
    return isCustomerManagedKey(ix, r, ix.props(r).KmsMasterKeyId, 'KmsMasterKeyId');
  };

  test('a key of the app, by ARN (Fn::GetAtt) and by id (Ref), is customer-managed', () => {
    for (const f of [viaProp, viaValue]) {
      expect(f((s) => new kms.Key(s, 'K').keyArn)).toBe(true);
      expect(f((s) => new kms.Key(s, 'K').keyId)).toBe(true);
    }
  });
  test('a replica key of the app is customer-managed', () => {
    for (const f of [viaProp, viaValue]) {
      expect(f((s) => new kms.CfnReplicaKey(s, 'K', { keyPolicy: {}, primaryKeyArn: 'arn:aws:kms:us-west-2:111122223333:key/mrk-1' }).attrArn)).toBe(true);
    }
  });
  test('an alias of the app is customer-managed unless it names alias/aws/...', () => {
    for (const f of [viaProp, viaValue]) {
      expect(f((s) => new kms.Alias(s, 'A', { aliasName: 'alias/team', targetKey: new kms.Key(s, 'K') }).aliasName)).toBe(true);
      expect(f((s) => new kms.CfnAlias(s, 'A', { aliasName: 'alias/team', targetKeyId: 'k' }).ref)).toBe(true);
      expect(f((s) => new kms.CfnAlias(s, 'A', { aliasName: 'alias/aws/sqs', targetKeyId: 'k' }).ref)).toBe(false);
    }
  });
  test('another kind of resource of the app is not a key', () => {
    for (const f of [viaProp, viaValue]) expect(f((s) => new s3.CfnBucket(s, 'B').ref)).toBe(false);
  });
  test('literal key ARNs, ids and customer aliases are customer-managed; alias/aws/... is not', () => {
    for (const f of [viaProp, viaValue]) {
      expect(f(() => 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab')).toBe(true);
      expect(f(() => '1234abcd-12ab-34cd-56ef-1234567890ab')).toBe(true);
      expect(f(() => 'alias/team')).toBe(true);
      expect(f(() => 'alias/aws/sqs')).toBe(false);
      expect(f(() => 'arn:aws:kms:us-east-1:111122223333:alias/aws/sqs')).toBe(false);
    }
  });
  test('no key (absent or empty) is not a customer key', () => {
    for (const f of [viaProp, viaValue]) {
      expect(f(() => undefined)).toBe(false);
      expect(f(() => '')).toBe(false);
    }
  });
  test('a pseudo parameter is not a key', () => {
    for (const f of [viaProp, viaValue]) expect(f(() => Aws.ACCOUNT_ID)).toBe(false);
  });
  test('the AWS-managed alias built with Fn::Join of pseudo parameters is not a customer key', () => {
    for (const f of [viaProp, viaValue]) {
      expect(f(() => `arn:${Aws.PARTITION}:kms:${Aws.REGION}:${Aws.ACCOUNT_ID}:alias/aws/sqs`)).toBe(false);
      expect(f(() => Fn.sub('arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/aws/sqs'))).toBe(false);
    }
  });
  test('a parameter, an import from outside the app or a built ARN of a customer alias is cannot verify', () => {
    for (const f of [viaProp, viaValue]) {
      expect(cannot(() => f((s) => paramOf(s).valueAsString))).toBe('cannot verify KmsMasterKeyId: unresolved value {"Ref":"P"}');
      expect(cannot(() => f(() => Fn.importValue('SharedKey')))).toMatch(/KmsMasterKeyId: unresolved value \{"Fn::ImportValue":"SharedKey"\}/);
      cannot(() => f(() => `arn:${Aws.PARTITION}:kms:${Aws.REGION}:${Aws.ACCOUNT_ID}:alias/team`));
      cannot(() => f((s) => `arn:aws:kms:us-east-1:111122223333:alias/${paramOf(s).valueAsString}`));
    }
  });
  test('a key exported by a stack of the app and imported is followed to the key', () => {
    const a = new App();
    const p = new Stack(a, 'P', { env: { region: 'us-east-1' } });
    const key = new kms.Key(p, 'K');
    new CfnOutput(p, 'KeyArn', { value: key.keyArn, exportName: 'SharedKeyArn' });
    new CfnOutput(p, 'Aws', { value: 'alias/aws/sqs', exportName: 'AwsAlias' });
    const c = new Stack(a, 'C', { env: { region: 'us-east-1' } });
    const q1 = new sqs.CfnQueue(c, 'Q1', { kmsMasterKeyId: Fn.importValue('SharedKeyArn') });
    const q2 = new sqs.CfnQueue(c, 'Q2', { kmsMasterKeyId: Fn.importValue('AwsAlias') });
    const ix = new ResourceIndex(a);
    expect(propIsCustomerManagedKey(ix, q1, 'KmsMasterKeyId')).toBe(true);
    expect(propIsCustomerManagedKey(ix, q2, 'KmsMasterKeyId')).toBe(false);
  });
  test('a key of another stack is followed by reference, even where the consuming stack holds a resource of the same logical id', () => {
    const a = new App();
    const p = new Stack(a, 'P', { env: { account: '111122223333', region: 'us-east-1' } });
    const key = new kms.Key(p, 'K');
    const c = new Stack(a, 'C', { env: { account: '111122223333', region: 'us-east-1' } });
    new s3.Bucket(c, 'K');
    const q = new sqs.CfnQueue(c, 'Q', { kmsMasterKeyId: key.keyArn });
    const ix = new ResourceIndex(a);
    expect(ix.logicalId(cfn(key))).toBe(ix.logicalId(c.node.findChild('K').node.defaultChild as CfnResource));
    expect(propIsCustomerManagedKey(ix, q, 'KmsMasterKeyId')).toBe(true);
  });
  test('a key of the parent stack used in a nested stack, read after synthesis (when the template passes it as a nested-stack parameter), is followed to the key', () => {
    const a = new App();
    const p = new Stack(a, 'P', { env: { account: '111122223333', region: 'us-east-1' } });
    const key = new kms.Key(p, 'K');
    const q = new sqs.CfnQueue(new NestedStack(p, 'N'), 'Q', { kmsMasterKeyId: key.keyArn });
    synthFast(a);
    const ix = new ResourceIndex(a);
    expect(ix.props(q).KmsMasterKeyId).toEqual({ Ref: expect.stringMatching(/^referenceto/) });
    expect(propIsCustomerManagedKey(ix, q, 'KmsMasterKeyId')).toBe(true);
  });
  test('a property set by an escape-hatch override is read as rendered', () => {
    const build = (v: unknown) => {
      const { ix, r } = app((s) => {
        const q = new sqs.CfnQueue(s, 'Q', { kmsMasterKeyId: 'alias/aws/sqs' });
        q.addPropertyOverride('KmsMasterKeyId', v);
        return q;
      });
      return () => propIsCustomerManagedKey(ix, r, 'KmsMasterKeyId');
    };
    expect(build('arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab')()).toBe(true);
    expect(build('alias/aws/sqs')()).toBe(false);
    expect(cannot(build({ Ref: 'Elsewhere' }))).toMatch(/KmsMasterKeyId/);
  });
  test('an L2 bucket with a key of the app and one with S3-managed encryption', () => {
    const { ix, r } = app((s) => ({
      kmsBucket: cfn(new s3.Bucket(s, 'K', { encryptionKey: new kms.Key(s, 'Key') })),
      managed: cfn(new s3.Bucket(s, 'M', { encryption: s3.BucketEncryption.KMS_MANAGED })),
    }));
    const keyOf = (b: CfnResource) => {
      const enc = ix.props(b).BucketEncryption as { ServerSideEncryptionConfiguration: Array<{ ServerSideEncryptionByDefault: { KMSMasterKeyID?: unknown } }> };
      return enc.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID;
    };
    expect(isCustomerManagedKey(ix, r.kmsBucket, keyOf(r.kmsBucket), 'KMSMasterKeyID')).toBe(true);
    expect(isCustomerManagedKey(ix, r.managed, keyOf(r.managed), 'KMSMasterKeyID')).toBe(false);
  });
});

describe('joinLiteral', () => {
  test('a string is itself; a pseudo parameter is its placeholder', () => {
    expect(joinLiteral('arn:aws:s3:::b')).toBe('arn:aws:s3:::b');
    expect(joinLiteral({ Ref: 'AWS::AccountId' })).toBe('${AWS::AccountId}');
  });
  test('Fn::Join of literals and pseudo parameters is rendered with its separator', () => {
    const { ix, r } = app((s) => new sqs.CfnQueue(s, 'Q', { kmsMasterKeyId: `arn:${Aws.PARTITION}:kms:${Aws.REGION}:${Aws.ACCOUNT_ID}:alias/aws/sqs` }));
    expect(joinLiteral(ix.props(r).KmsMasterKeyId)).toBe('arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/aws/sqs');
    expect(joinLiteral({ 'Fn::Join': [':', ['a', { Ref: 'AWS::Region' }, 'c']] })).toBe('a:${AWS::Region}:c');
    expect(joinLiteral({ 'Fn::Join': ['', ['a', { 'Fn::Join': ['-', ['b', 'c']] }]] })).toBe('ab-c');
  });
  test('Fn::Sub of pseudo parameters is rendered like the join it stands for', () => {
    expect(joinLiteral({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' })).toBe('arn:${AWS::Partition}:iam::${AWS::AccountId}:root');
    expect(joinLiteral({ 'Fn::Sub': ['arn:aws:iam::${Acct}:root', { Acct: '111122223333' }] })).toBe('arn:aws:iam::111122223333:root');
  });
  test('a join holding a token (a parameter, a resource attribute, an import) is undefined', () => {
    const { ix, r } = app((s) => new sqs.CfnQueue(s, 'Q', { kmsMasterKeyId: `alias/${paramOf(s).valueAsString}` }));
    expect(joinLiteral(ix.props(r).KmsMasterKeyId)).toBeUndefined();
    expect(joinLiteral({ 'Fn::Join': ['', ['a', { 'Fn::GetAtt': ['K', 'Arn'] }]] })).toBeUndefined();
    expect(joinLiteral({ 'Fn::Join': ['', [{ 'Fn::ImportValue': 'X' }, 'a']] })).toBeUndefined();
    expect(joinLiteral({ 'Fn::Sub': 'arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/${KeyId}' })).toBeUndefined();
  });
  test('malformed joins, other intrinsics and non-strings are undefined', () => {
    expect(joinLiteral({ Ref: 'Param' })).toBeUndefined();
    expect(joinLiteral({ Ref: 5 })).toBeUndefined();
    expect(joinLiteral({ 'Fn::Join': [{ Ref: 'Sep' }, ['a', 'b']] })).toBeUndefined();
    expect(joinLiteral({ 'Fn::Join': ['', { Ref: 'List' }] })).toBeUndefined();
    expect(joinLiteral({ 'Fn::Join': '' })).toBeUndefined();
    expect(joinLiteral({ 'Fn::Sub': { Ref: 'Template' } })).toBeUndefined();
    expect(joinLiteral({ 'Fn::Sub': 'text', Other: 1 })).toBeUndefined();
    expect(joinLiteral({ 'Fn::Sub': 'x', 'Fn::Join': ['', ['y']] })).toBe('y');
    expect(joinLiteral({ 'Fn::Select': [0, ['a']] })).toBeUndefined();
    expect(joinLiteral(5)).toBeUndefined();
    expect(joinLiteral(null)).toBeUndefined();
    expect(joinLiteral(undefined)).toBeUndefined();
  });
});

// ---- policies -----------------------------------------------------------------------------------

describe('statements', () => {
  const stmt = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
  test('a single statement object and a list of statements', () => {
    expect(statements({ Version: '2012-10-17', Statement: stmt }, 'policy')).toEqual([stmt]);
    expect(statements({ Statement: [stmt, { ...stmt, Effect: 'Deny' }] }, 'policy')).toEqual([stmt, { ...stmt, Effect: 'Deny' }]);
    expect(statements({ Version: '2012-10-17' }, 'policy')).toEqual([]);
    expect(statements(undefined, 'policy')).toEqual([]);
  });
  test('a JSON string document is parsed', () => {
    expect(statements(JSON.stringify({ Statement: stmt }), 'policy')).toEqual([stmt]);
  });
  test('a document of a CDK policy', () => {
    const { ix, r } = app((s) => {
      const b = new s3.Bucket(s, 'B');
      b.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [b.arnForObjects('*')] }));
      return cfn(b.policy!);
    });
    const got = statements(ix.props(r).PolicyDocument, 'bucket policy');
    expect(got).toHaveLength(1);
    expect(got[0].Principal).toEqual({ AWS: '*' });
  });
  test('an unreadable document is cannot verify, naming which part', () => {
    expect(cannot(() => statements('{not json', 'key policy'))).toBe('cannot verify key policy: unresolved value "{not json"');
    expect(cannot(() => statements({ Ref: 'Doc' }, 'key policy'))).toBe('cannot verify key policy: unresolved value {"Ref":"Doc"}');
    expect(cannot(() => statements({ Statement: { 'Fn::If': ['C', [], []] } }, 'key policy'))).toMatch(/^cannot verify key policy statements: /);
    expect(cannot(() => statements({ Statement: [stmt, { 'Fn::If': ['C', stmt, stmt] }] }, 'key policy'))).toMatch(/^cannot verify key policy statement: /);
    expect(cannot(() => statements(JSON.stringify({ Statement: { Ref: 'S' } }), 'key policy'))).toMatch(/^cannot verify key policy: /);
  });
  test('a parameter as the whole document is cannot verify', () => {
    const { ix, r } = app((s) => new s3.CfnBucketPolicy(s, 'BP', { bucket: 'b', policyDocument: paramOf(s).value }));
    cannot(() => statements(ix.props(r).PolicyDocument, 'bucket policy'));
  });
});

describe('strings', () => {
  test('a string or a list of strings; joins of pseudo parameters rendered', () => {
    expect(strings('s3:*', 'Action')).toEqual(['s3:*']);
    expect(strings(['s3:GetObject', 's3:PutObject'], 'Action')).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(strings(undefined, 'Action')).toEqual([]);
    expect(strings([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::b/*']] }], 'Resource')).toEqual(['arn:${AWS::Partition}:s3:::b/*']);
  });
  test('an element that is a token is cannot verify', () => {
    expect(cannot(() => strings(['a', { Ref: 'P' }], 'Resource'))).toBe('cannot verify Resource: unresolved value {"Ref":"P"}');
    expect(cannot(() => strings({ Ref: 'P' }, 'Resource'))).toBe('cannot verify Resource: unresolved value {"Ref":"P"}');
    cannot(() => strings([{ 'Fn::GetAtt': ['B', 'Arn'] }], 'Resource'));
    cannot(() => strings([5], 'Resource'));
  });
});

describe('resourceIsStar', () => {
  const on = (resource: (s: Stack) => unknown, extra?: (s: Stack) => void) => {
    const { ix, r } = app((s) => {
      extra?.(s);
      const role = new iam.Role(s, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      return cfn(new iam.Policy(s, 'Pol', { roles: [role], statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [resource(s) as string] })] }));
    });
    const doc = ix.props(r).PolicyDocument as { Statement: Array<{ Resource: unknown }> };
    return () => resourceIsStar(ix, r, doc.Statement[0].Resource);
  };
  test('"*" alone or in a list admits every resource', () => {
    expect(on(() => '*')()).toBe(true);
    expect(resourceIsStar(undefined as unknown as ResourceIndex, undefined as unknown as CfnResource, ['arn:aws:s3:::b/*', '*'])).toBe(true);
  });
  test('specific ARNs, literal or built from resources and pseudo parameters, do not', () => {
    expect(on(() => 'arn:aws:s3:::b/*')()).toBe(false);
    expect(on((s) => new s3.Bucket(s, 'B').arnForObjects('*'))()).toBe(false);
    expect(on((s) => new s3.Bucket(s, 'B').bucketArn)()).toBe(false);
    expect(on((s) => new sqs.CfnQueue(s, 'Q').ref)()).toBe(false);
    expect(on(() => Fn.sub('arn:aws:s3:::${AWS::AccountId}-logs/*'))()).toBe(false);
    expect(on(() => Aws.ACCOUNT_ID)()).toBe(false);
    const { ix, s } = app(() => undefined);
    expect(resourceIsStar(ix, new sqs.CfnQueue(s, 'Q'), [{ 'Fn::GetAtt': ['NotInThisApp', 'Arn'] }])).toBe(false);
  });
  test('a "*" exported by a stack of the app and imported is every resource; an exported ARN is not', () => {
    expect(on(() => Fn.importValue('Star'), (s) => new CfnOutput(s, 'O', { value: '*', exportName: 'Star' }))()).toBe(true);
    expect(on(() => Fn.importValue('Arn'), (s) => new CfnOutput(s, 'O', { value: 'arn:aws:s3:::b', exportName: 'Arn' }))()).toBe(false);
  });
  test('a parameter (which could be "*") or an import from outside the app is cannot verify', () => {
    expect(cannot(on((s) => paramOf(s).valueAsString))).toBe('cannot verify Resource: unresolved value {"Ref":"P"}');
    cannot(on(() => Fn.importValue('Elsewhere')));
  });
  test('a "*" after a parameter still counts; a parameter after "*" is not reached', () => {
    const { ix, s } = app((st) => paramOf(st));
    const node = new sqs.CfnQueue(s, 'Q');
    expect(resourceIsStar(ix, node, ['*', { Ref: 'P' }])).toBe(true);
    expect(cannot(() => resourceIsStar(ix, node, [{ Ref: 'P' }, '*']))).toMatch(/Resource/);
    expect(cannot(() => resourceIsStar(ix, node, [null]))).toMatch(/Resource/);
  });
});

describe('conditionValues', () => {
  const cond = { StringEquals: { 'AWS:SourceAccount': '111122223333', 'aws:sourcevpce': ['vpce-1', 'vpce-2'] }, Bool: { 'aws:SecureTransport': false }, NumericLessThan: 'bad' };
  test('the values under an operator, keys compared case-insensitively, as strings', () => {
    expect(conditionValues(cond, 'StringEquals', 'aws:sourceaccount')).toEqual(['111122223333']);
    expect(conditionValues(cond, 'StringEquals', 'aws:SourceVpce')).toEqual(['vpce-1', 'vpce-2']);
    expect(conditionValues(cond, 'Bool', 'aws:SecureTransport')).toEqual(['false']);
  });
  test('another operator, an absent key or no condition gives nothing', () => {
    expect(conditionValues(cond, 'StringLike', 'aws:SourceAccount')).toEqual([]);
    expect(conditionValues(cond, 'stringequals', 'aws:SourceAccount')).toEqual([]);
    expect(conditionValues(cond, 'StringEquals', 'aws:SourceArn')).toEqual([]);
    expect(conditionValues(cond, 'NumericLessThan', 'x')).toEqual([]);
    expect(conditionValues({ Bool: null }, 'Bool', 'aws:SecureTransport')).toEqual([]);
    expect(conditionValues({ Bool: 'true' }, 'Bool', '0')).toEqual([]);
    expect(conditionValues(undefined, 'Bool', 'aws:SecureTransport')).toEqual([]);
    expect(conditionValues(null, 'Bool', 'aws:SecureTransport')).toEqual([]);
    expect(conditionValues('Bool', 'Bool', 'aws:SecureTransport')).toEqual([]);
  });
  test('the operator found after another one', () => {
    const c = { StringLike: { 'aws:SourceArn': 'arn:*' }, StringEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:t' } };
    expect(conditionValues(c, 'StringEquals', 'aws:SourceArn')).toEqual(['arn:aws:sns:us-east-1:111122223333:t']);
  });
});

describe('principalKinds', () => {
  /** The kinds of the principals of a role's trust policy, as the trust rules read it. */
  const trust = (principal: (s: Stack) => iam.IPrincipal, extra?: (s: Stack) => void) => {
    const { ix, r } = app((s) => {
      extra?.(s);
      return cfn(new iam.Role(s, 'Subject', { assumedBy: principal(s) }));
    });
    const doc = ix.props(r).AssumeRolePolicyDocument as { Statement: Array<{ Principal: unknown }> };
    return () => doc.Statement.flatMap((st) => principalKinds(ix, r, st.Principal, 'trust Principal'));
  };
  const raw = (principal: unknown, extra?: (s: Stack) => void) => {
    const { ix, s } = app((st) => extra?.(st));
    const node = new sqs.CfnQueue(s, 'Q');
    return () => principalKinds(ix, node, principal, 'Principal');
  };

  test('"*" and {AWS: "*"} are anyone', () => {
    expect(raw('*')()).toEqual(['any']);
    expect(raw({ AWS: '*' })()).toEqual(['any']);
    expect(trust(() => new iam.AnyPrincipal())()).toEqual(['any']);
  });
  test('the account, as root ARN, as a bare account id, and as the own account pseudo parameter', () => {
    expect(raw({ AWS: 'arn:aws:iam::111122223333:root' })()).toEqual(['account']);
    expect(raw({ AWS: '111122223333' })()).toEqual(['account']);
    expect(raw({ AWS: { Ref: 'AWS::AccountId' } })()).toEqual(['account']);
    expect(trust(() => new iam.AccountRootPrincipal())()).toEqual(['account']);
    expect(trust(() => new iam.AccountPrincipal('111122223333'))()).toEqual(['account']);
  });
  test('account-like values that are not an account id or root are cannot verify', () => {
    cannot(raw({ AWS: '1111222233334' }));
    cannot(raw({ AWS: '11112222333' }));
    cannot(raw({ AWS: 'x111122223333' }));
    cannot(raw({ AWS: 'arn:aws:iam::111122223333:rootkit' }));
    expect(cannot(raw({ AWS: 'arn:aws:iam::111122223333:group/admins' }))).toBe('cannot verify Principal: unresolved value "arn:aws:iam::111122223333:group/admins"');
  });
  test('users and roles by ARN, including an assumed-role session', () => {
    expect(raw({ AWS: 'arn:aws:iam::111122223333:user/alice' })()).toEqual(['user']);
    expect(raw({ AWS: 'arn:aws:iam::111122223333:role/ops' })()).toEqual(['role']);
    expect(raw({ AWS: 'arn:aws:sts::111122223333:assumed-role/ops/session' })()).toEqual(['role']);
    expect(raw({ AWS: 'arn:aws:iam::111122223333:user/role/x' })()).toEqual(['user']);
    cannot(raw({ AWS: 'arn:aws:iam::111122223333:userx/alice' }));
    cannot(raw({ AWS: 'arn:aws:iam::111122223333:rolex/ops' }));
    cannot(raw({ AWS: 'arn:aws:iam::111122223333:role' }));
  });
  test('a role and a user of the app, by ARN and by name', () => {
    expect(trust((s) => new iam.ArnPrincipal(new iam.Role(s, 'Other', { assumedBy: new iam.AccountRootPrincipal() }).roleArn))()).toEqual(['role']);
    expect(trust((s) => new iam.ArnPrincipal(new iam.User(s, 'U').userArn))()).toEqual(['user']);
    expect(raw({ AWS: { Ref: 'U' } }, (s) => new iam.CfnUser(s, 'U'))()).toEqual(['user']);
    expect(raw({ AWS: { 'Fn::GetAtt': ['R', 'Arn'] } }, (s) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: {} }))()).toEqual(['role']);
  });
  test('services and federated principals, one kind per value', () => {
    expect(trust(() => new iam.ServicePrincipal('lambda.amazonaws.com'))()).toEqual(['service']);
    expect(raw({ Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] })()).toEqual(['service', 'service']);
    expect(trust(() => new iam.FederatedPrincipal('cognito-identity.amazonaws.com', {}, 'sts:AssumeRoleWithWebIdentity'))()).toEqual(['federated']);
    expect(raw({ Federated: ['arn:aws:iam::111122223333:saml-provider/idp', 'accounts.google.com'] })()).toEqual(['federated', 'federated']);
    expect(raw({ CanonicalUser: 'abc' })()).toEqual(['other']);
  });
  test('a list mixing kinds gives every kind, in order', () => {
    expect(raw({ AWS: ['arn:aws:iam::111122223333:role/ops', '*', '444455556666'], Service: 'ec2.amazonaws.com', Federated: 'x' })())
      .toEqual(['role', 'any', 'account', 'service', 'federated']);
    expect(trust((s) => new iam.CompositePrincipal(new iam.ServicePrincipal('ec2.amazonaws.com'), new iam.AccountPrincipal('111122223333'),
      new iam.ArnPrincipal(new iam.Role(s, 'Other', { assumedBy: new iam.AccountRootPrincipal() }).roleArn)))().sort())
      .toEqual(['account', 'role', 'service']);
  });
  test('no principal is no kind', () => {
    expect(raw(undefined)()).toEqual([]);
  });
  test('a parameter, an import from outside, another resource or a principal that is an intrinsic is cannot verify', () => {
    expect(cannot(trust((s) => new iam.ArnPrincipal(paramOf(s).valueAsString)))).toBe('cannot verify trust Principal: unresolved value {"Ref":"P"}');
    cannot(raw({ AWS: { 'Fn::ImportValue': 'Elsewhere' } }));
    cannot(raw({ AWS: { 'Fn::GetAtt': ['B', 'Arn'] } }, (s) => new s3.CfnBucket(s, 'B')));
    cannot(raw({ AWS: ['arn:aws:iam::111122223333:role/ops', { Ref: 'P' }] }, (s) => paramOf(s)));
    cannot(raw({ Ref: 'P' }, (s) => paramOf(s)));
    cannot(raw('arn:aws:iam::111122223333:root'));
  });
  test('the own account or a role exported by a stack of the app and imported', () => {
    const acct = (s: Stack) => new CfnOutput(s, 'O', { value: Aws.ACCOUNT_ID, exportName: 'Acct' });
    expect(raw({ AWS: { 'Fn::ImportValue': 'Acct' } }, acct)()).toEqual(['account']);
    const region = (s: Stack) => new CfnOutput(s, 'O', { value: Aws.REGION, exportName: 'Region' });
    cannot(raw({ AWS: { 'Fn::ImportValue': 'Region' } }, region));
    const role = (s: Stack) => new CfnOutput(s, 'O', { value: new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: {} }).attrArn, exportName: 'RoleArn' });
    expect(raw({ AWS: { 'Fn::ImportValue': 'RoleArn' } }, role)()).toEqual(['role']);
  });
});

// ---- networks -----------------------------------------------------------------------------------

describe('OPEN_CIDRS', () => {
  test('the IPv4 and IPv6 whole internet, nothing narrower', () => {
    expect(OPEN_CIDRS.has('0.0.0.0/0')).toBe(true);
    expect(OPEN_CIDRS.has('::/0')).toBe(true);
    expect(OPEN_CIDRS.has('0.0.0.0/1')).toBe(false);
    expect(OPEN_CIDRS.has('::/1')).toBe(false);
    expect(OPEN_CIDRS.size).toBe(2);
  });
  test('Peer.anyIpv4 and Peer.anyIpv6 render as open CIDRs', () => {
    const { ix, r } = app((s) => {
      const g = new ec2.SecurityGroup(s, 'G', { vpc: new ec2.Vpc(s, 'V', { maxAzs: 1, natGateways: 0 }) });
      g.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
      g.addIngressRule(ec2.Peer.anyIpv6(), ec2.Port.tcp(22));
      return cfn(g);
    });
    const rules = list(ix.props(r).SecurityGroupIngress, 'ingress') as Array<Record<string, unknown>>;
    expect(rules.map((x) => OPEN_CIDRS.has(permission(x, 'ingress').cidr!))).toEqual([true, true]);
  });
});

describe('ipv4Range', () => {
  test('first and last address of a block', () => {
    expect(ipv4Range('10.0.0.0/8')).toEqual([167772160, 184549375]);
    expect(ipv4Range('0.0.0.0/0')).toEqual([0, 4294967295]);
    expect(ipv4Range('0.0.0.0/1')).toEqual([0, 2147483647]);
    expect(ipv4Range('128.0.0.0/1')).toEqual([2147483648, 4294967295]);
    expect(ipv4Range('255.255.255.255/32')).toEqual([4294967295, 4294967295]);
    expect(ipv4Range('203.0.113.7/32')).toEqual([3405803783, 3405803783]);
  });
  test('a host address with a prefix is the whole block it lies in', () => {
    expect(ipv4Range('192.168.1.7/24')).toEqual([3232235776, 3232236031]);
    expect(ipv4Range('10.1.2.3/16')).toEqual([167837696, 167903231]);
  });
  test('IPv6, bare addresses and malformed text are not IPv4 blocks', () => {
    for (const c of ['::/0', '2001:db8::/32', '10.0.0.0', 'pl-12345', '10.0.0/8', 'a10.0.0.0/8', '10.0.0.0/8x', '10.0.0.0/', '/8', '10.0.0.0/8/1', '10..0.0/8']) {
      expect(ipv4Range(c)).toBeUndefined();
    }
  });
});

describe('cidrWithin', () => {
  test('a block inside another, at either edge, or equal to it is within', () => {
    expect(cidrWithin('10.0.0.0/8', '10.0.0.0/8')).toBe(true);
    expect(cidrWithin('10.0.0.0/32', '10.0.0.0/8')).toBe(true);
    expect(cidrWithin('10.255.255.255/32', '10.0.0.0/8')).toBe(true);
    expect(cidrWithin('10.1.0.0/16', '10.0.0.0/8')).toBe(true);
    expect(cidrWithin('10.0.0.0/16', '0.0.0.0/0')).toBe(true);
  });
  test('a block just outside either edge, or larger, is not', () => {
    expect(cidrWithin('9.255.255.255/32', '10.0.0.0/8')).toBe(false);
    expect(cidrWithin('11.0.0.0/32', '10.0.0.0/8')).toBe(false);
    expect(cidrWithin('10.0.0.0/7', '10.0.0.0/8')).toBe(false);
    expect(cidrWithin('0.0.0.0/0', '10.0.0.0/8')).toBe(false);
    expect(cidrWithin('0.0.0.0/0', '0.0.0.0/1')).toBe(false);
    expect(cidrWithin('128.0.0.0/1', '0.0.0.0/1')).toBe(false);
    expect(cidrWithin('9.0.0.0/8', '10.0.0.0/7')).toBe(false);
  });
  test('IPv6 or anything not an IPv4 block is never within', () => {
    expect(cidrWithin('::/0', '0.0.0.0/0')).toBe(false);
    expect(cidrWithin('10.0.0.0/16', '::/0')).toBe(false);
    expect(cidrWithin('10.0.0.0/16', 'pl-123')).toBe(false);
  });
});

describe('permission', () => {
  /** The rendered properties of a security-group ingress resource, as the rules read it. */
  const ingress = (props: (s: Stack) => Record<string, unknown>) => {
    const { ix, r } = app((s) => new CfnResource(s, 'I', { type: 'AWS::EC2::SecurityGroupIngress', properties: props(s) }));
    return ix.props(r);
  };
  test('a TCP range from a CIDR', () => {
    expect(permission(ingress(() => ({ IpProtocol: 'tcp', FromPort: 22, ToPort: 23, CidrIp: '0.0.0.0/0', GroupId: 'sg-1' })), 'ingress'))
      .toEqual({ protocol: 'tcp', from: 22, to: 23, cidr: '0.0.0.0/0', sourceGroup: undefined, prefixList: undefined });
  });
  test('the protocol is compared lower-case; numeric strings are ports', () => {
    expect(permission({ IpProtocol: 'TCP', FromPort: '443', ToPort: '443' }, 'r')).toMatchObject({ protocol: 'tcp', from: 443, to: 443 });
    expect(permission({ IpProtocol: 6, FromPort: 443, ToPort: 443 }, 'r')).toMatchObject({ protocol: '6', from: 443, to: 443 });
  });
  test('all protocols (-1, "all" or absent) is every port whatever the ports say', () => {
    expect(permission({ IpProtocol: '-1', FromPort: 22, ToPort: 22, CidrIpv6: '::/0' }, 'r')).toMatchObject({ protocol: '-1', from: 0, to: 65535, cidr: '::/0' });
    expect(permission({ IpProtocol: 'all', FromPort: 22, ToPort: 22 }, 'r')).toMatchObject({ protocol: '-1', from: 0, to: 65535 });
    expect(permission({ IpProtocol: 'ALL' }, 'r')).toMatchObject({ protocol: '-1', from: 0, to: 65535 });
    expect(permission({ FromPort: 22, ToPort: 22 }, 'r')).toMatchObject({ protocol: '-1', from: 0, to: 65535 });
    expect(permission(ingress((s) => ({ IpProtocol: '-1', FromPort: numParam(s), ToPort: numParam(s, 'Q') })), 'r'))
      .toMatchObject({ protocol: '-1', from: 0, to: 65535 });
  });
  test('absent ports are the whole range; -1 (ICMP style) is the whole range', () => {
    expect(permission({ IpProtocol: 'tcp' }, 'r')).toMatchObject({ from: 0, to: 65535 });
    expect(permission({ IpProtocol: 'tcp', FromPort: -1, ToPort: -1 }, 'r')).toMatchObject({ from: 0, to: 65535 });
    expect(permission({ IpProtocol: 'tcp', FromPort: 0, ToPort: 0 }, 'r')).toMatchObject({ from: 0, to: 0 });
    expect(permission({ IpProtocol: 'tcp', FromPort: 1, ToPort: 1 }, 'r')).toMatchObject({ from: 1, to: 1 });
  });
  test('the source: IPv4 CIDR first, else IPv6 CIDR, security group or prefix list', () => {
    expect(permission({ IpProtocol: '-1', CidrIp: '10.0.0.0/8', CidrIpv6: '::/0' }, 'r').cidr).toBe('10.0.0.0/8');
    expect(permission({ IpProtocol: '-1', CidrIpv6: '::/0' }, 'r').cidr).toBe('::/0');
    expect(permission({ IpProtocol: '-1', SourceSecurityGroupId: 'sg-1', SourceSecurityGroupName: 'n' }, 'r')).toMatchObject({ cidr: undefined, sourceGroup: 'sg-1' });
    expect(permission({ IpProtocol: '-1', SourceSecurityGroupName: 'n', DestinationSecurityGroupId: 'sg-2' }, 'r').sourceGroup).toBe('n');
    expect(permission({ IpProtocol: '-1', DestinationSecurityGroupId: 'sg-2' }, 'r').sourceGroup).toBe('sg-2');
    expect(permission({ IpProtocol: '-1', SourcePrefixListId: 'pl-1', DestinationPrefixListId: 'pl-2' }, 'r').prefixList).toBe('pl-1');
    expect(permission({ IpProtocol: '-1', DestinationPrefixListId: 'pl-2' }, 'r').prefixList).toBe('pl-2');
  });
  test('a parameter for the protocol, a port or the CIDR is cannot verify, naming the field', () => {
    expect(cannot(() => permission(ingress((s) => ({ IpProtocol: paramOf(s).valueAsString, CidrIp: '0.0.0.0/0' })), 'ingress of G'))).toMatch(/^cannot verify ingress of G IpProtocol: /);
    expect(cannot(() => permission(ingress((s) => ({ IpProtocol: 'tcp', FromPort: numParam(s), ToPort: 22 })), 'ingress of G'))).toMatch(/^cannot verify ingress of G FromPort: /);
    expect(cannot(() => permission(ingress((s) => ({ IpProtocol: 'tcp', FromPort: 22, ToPort: numParam(s) })), 'ingress of G'))).toMatch(/^cannot verify ingress of G ToPort: /);
    expect(cannot(() => permission(ingress((s) => ({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: paramOf(s).valueAsString })), 'ingress of G'))).toMatch(/^cannot verify ingress of G CidrIp: /);
    expect(cannot(() => permission(ingress((s) => ({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv6: paramOf(s).valueAsString })), 'ingress of G'))).toMatch(/^cannot verify ingress of G CidrIpv6: /);
  });
});

describe('coversPort', () => {
  test('TCP or all protocols, from and to inclusive', () => {
    const tcp = { protocol: 'tcp', from: 20, to: 22 };
    expect(coversPort(tcp, 20)).toBe(true);
    expect(coversPort(tcp, 22)).toBe(true);
    expect(coversPort(tcp, 19)).toBe(false);
    expect(coversPort(tcp, 23)).toBe(false);
    expect(coversPort({ protocol: '6', from: 22, to: 22 }, 22)).toBe(true);
    expect(coversPort({ protocol: '-1', from: 0, to: 65535 }, 3389)).toBe(true);
  });
  test('UDP and ICMP never cover a TCP port', () => {
    expect(coversPort({ protocol: 'udp', from: 0, to: 65535 }, 22)).toBe(false);
    expect(coversPort({ protocol: '17', from: 0, to: 65535 }, 22)).toBe(false);
    expect(coversPort({ protocol: 'icmp', from: 0, to: 65535 }, 22)).toBe(false);
  });
  test('an L2 rule for port 22 from anywhere', () => {
    const p = permission({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }, 'r');
    expect([coversPort(p, 21), coversPort(p, 22), coversPort(p, 23)]).toEqual([false, true, false]);
  });
});

describe('isOnly443', () => {
  test('exactly TCP 443', () => {
    expect(isOnly443({ protocol: 'tcp', from: 443, to: 443 })).toBe(true);
    expect(isOnly443({ protocol: '6', from: 443, to: 443 })).toBe(true);
  });
  test('a wider range, another port, all protocols or UDP is not', () => {
    expect(isOnly443({ protocol: 'tcp', from: 442, to: 443 })).toBe(false);
    expect(isOnly443({ protocol: 'tcp', from: 443, to: 444 })).toBe(false);
    expect(isOnly443({ protocol: 'tcp', from: 80, to: 80 })).toBe(false);
    expect(isOnly443({ protocol: '-1', from: 443, to: 443 })).toBe(false);
    expect(isOnly443({ protocol: 'udp', from: 443, to: 443 })).toBe(false);
  });
});

// ---- policy documents for lib/policy ------------------------------------------------------------

describe('ownOf', () => {
  test('an environment-agnostic stack: the account placeholder, aws, us-east-1', () => {
    const { ix, s, r } = app((st) => new sqs.CfnQueue(st, 'Q'), {});
    expect(ownOf(ix, r)).toEqual({ account: OWN_ACCOUNT_PLACEHOLDER, organizationId: undefined, partition: 'aws', region: 'us-east-1' });
    expect(ownOf(ix, s)).toBe(ownOf(ix, r));
  });
  test('a stack with an environment: its account and region, the configured organization', () => {
    const { ix, r } = app((st) => new sqs.CfnQueue(st, 'Q'), { env: { account: '111122223333', region: 'eu-west-1' } }, 'o-abc123');
    expect(ownOf(ix, r)).toEqual({ account: '111122223333', organizationId: 'o-abc123', partition: 'aws', region: 'eu-west-1' });
  });
  test('two stacks of one app each have their own', () => {
    const a = new App();
    const s1 = new Stack(a, 'One', { env: { account: '111122223333', region: 'eu-west-1' } });
    const s2 = new Stack(a, 'Two', { env: { account: '444455556666', region: 'us-west-2' } });
    const ix = new ResourceIndex(a);
    expect(ownOf(ix, s1).account).toBe('111122223333');
    expect(ownOf(ix, s2)).toMatchObject({ account: '444455556666', region: 'us-west-2' });
  });
});

describe('syntheticValue', () => {
  const env = { env: { account: '111122223333', region: 'eu-west-1' } };
  const value = (make: (s: Stack) => CfnResource | { node: { defaultChild?: unknown } }, attribute: string | undefined, props: StackProps = env) => {
    const { ix, r } = app((s) => cfn(make(s)), props);
    return { v: syntheticValue(ix, r, attribute), id: ix.logicalId(r) };
  };
  const reason = (v: unknown) => (isUnknown(v) ? v.reason : `not unknown: ${String(v)}`);

  test('a role by ARN and by name; its name when set literally', () => {
    const role = (s: Stack) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: {} });
    let x = value(role, 'Arn');
    expect(x.v).toBe(`arn:aws:iam::111122223333:role/${x.id}`);
    expect(value(role, undefined).v).toBe(x.id);
    x = value((s) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: {}, roleName: 'ops' }), 'Arn');
    expect(x.v).toBe('arn:aws:iam::111122223333:role/ops');
    expect(value((s) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: {}, roleName: 'ops' }), undefined).v).toBe('ops');
    expect(value((s) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: {}, roleName: 'ops' }), 'arn').v).toBe('arn:aws:iam::111122223333:role/ops');
    expect(reason(value(role, 'RoleId').v)).toBe(`Fn::GetAtt ${x.id}.RoleId`);
  });
  test('a name that is a parameter is not used; an overridden literal name is', () => {
    const x = value((s) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: {}, roleName: paramOf(s).valueAsString }), 'Arn');
    expect(x.v).toBe(`arn:aws:iam::111122223333:role/${x.id}`);
    const y = value((s) => {
      const r = new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: {} });
      r.addPropertyOverride('RoleName', 'overridden');
      return r;
    }, 'Arn');
    expect(y.v).toBe('arn:aws:iam::111122223333:role/overridden');
    const z = value((s) => {
      const r = new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: {} });
      r.addPropertyOverride('RoleName', { Ref: 'P' });
      return r;
    }, 'Arn');
    expect(z.v).toBe(`arn:aws:iam::111122223333:role/${z.id}`);
  });
  test('a user by ARN and by name', () => {
    const x = value((s) => new iam.CfnUser(s, 'U', { userName: 'alice' }), 'Arn');
    expect(x.v).toBe('arn:aws:iam::111122223333:user/alice');
    expect(value((s) => new iam.CfnUser(s, 'U', { userName: 'alice' }), undefined).v).toBe('alice');
    const y = value((s) => new iam.CfnUser(s, 'U'), 'Arn');
    expect(y.v).toBe(`arn:aws:iam::111122223333:user/${y.id}`);
  });
  test('an environment-agnostic stack uses the account placeholder', () => {
    const x = value((s) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: {} }), 'Arn', {});
    expect(x.v).toBe(`arn:aws:iam::${OWN_ACCOUNT_PLACEHOLDER}:role/${x.id}`);
  });
  test('a bucket by ARN and by name', () => {
    const x = value((s) => new s3.CfnBucket(s, 'B'), 'Arn');
    expect(x.v).toBe(`arn:aws:s3:::${x.id.toLowerCase()}-bucket`);
    expect(value((s) => new s3.CfnBucket(s, 'B'), undefined).v).toBe(`${x.id.toLowerCase()}-bucket`);
    expect(value((s) => new s3.CfnBucket(s, 'B', { bucketName: 'logs' }), 'Arn').v).toBe('arn:aws:s3:::logs');
    expect(value((s) => new s3.CfnBucket(s, 'B', { bucketName: 'logs' }), undefined).v).toBe('logs');
    expect(reason(value((s) => new s3.CfnBucket(s, 'B'), 'DomainName').v)).toBe(`Fn::GetAtt ${x.id}.DomainName`);
  });
  test('a key and a replica key by ARN, id and KeyId', () => {
    const x = value((s) => new kms.CfnKey(s, 'K'), 'Arn');
    expect(x.v).toBe(`arn:aws:kms:eu-west-1:111122223333:key/${x.id}`);
    expect(value((s) => new kms.CfnKey(s, 'K'), undefined).v).toBe(x.id);
    expect(value((s) => new kms.CfnKey(s, 'K'), 'KeyId').v).toBe(x.id);
    const y = value((s) => new kms.CfnReplicaKey(s, 'K', { keyPolicy: {}, primaryKeyArn: 'arn:aws:kms:us-west-2:111122223333:key/mrk-1' }), 'Arn');
    expect(y.v).toBe(`arn:aws:kms:eu-west-1:111122223333:key/${y.id}`);
    expect(isUnknown(value((s) => new kms.CfnKey(s, 'K'), 'Other').v)).toBe(true);
  });
  test('a topic by Ref and TopicArn, with its literal name', () => {
    const x = value((s) => new sns.CfnTopic(s, 'T'), undefined);
    expect(x.v).toBe(`arn:aws:sns:eu-west-1:111122223333:${x.id}`);
    expect(value((s) => new sns.CfnTopic(s, 'T', { topicName: 'alerts' }), 'TopicArn').v).toBe('arn:aws:sns:eu-west-1:111122223333:alerts');
    expect(isUnknown(value((s) => new sns.CfnTopic(s, 'T'), 'TopicName').v)).toBe(true);
  });
  test('a log group by ARN (with the trailing :*) and by name', () => {
    const x = value((s) => new logs.CfnLogGroup(s, 'L'), 'Arn');
    expect(x.v).toBe(`arn:aws:logs:eu-west-1:111122223333:log-group:logs-${x.id}:*`);
    expect(value((s) => new logs.CfnLogGroup(s, 'L'), undefined).v).toBe(`logs-${x.id}`);
    expect(value((s) => new logs.CfnLogGroup(s, 'L', { logGroupName: '/app' }), 'Arn').v).toBe('arn:aws:logs:eu-west-1:111122223333:log-group:/app:*');
    expect(value((s) => new logs.CfnLogGroup(s, 'L', { logGroupName: '/app' }), undefined).v).toBe('/app');
    expect(isUnknown(value((s) => new logs.CfnLogGroup(s, 'L'), 'Other').v)).toBe(true);
  });
  test('a trail by ARN and by name', () => {
    const trail = (name?: string) => (s: Stack) => new cloudtrail.CfnTrail(s, 'T', { isLogging: true, s3BucketName: 'b', trailName: name });
    const x = value(trail(), 'Arn');
    expect(x.v).toBe(`arn:aws:cloudtrail:eu-west-1:111122223333:trail/cloudtrail-${x.id}`);
    expect(value(trail(), undefined).v).toBe(`cloudtrail-${x.id}`);
    expect(value(trail('org'), 'Arn').v).toBe('arn:aws:cloudtrail:eu-west-1:111122223333:trail/org');
    expect(value(trail('org'), undefined).v).toBe('org');
    expect(isUnknown(value(trail(), 'SnsTopicArn').v)).toBe(true);
  });
  test('a queue by ARN; its URL (Ref) is unknown', () => {
    const x = value((s) => new sqs.CfnQueue(s, 'Q'), 'Arn');
    expect(x.v).toBe(`arn:aws:sqs:eu-west-1:111122223333:${x.id}`);
    expect(value((s) => new sqs.CfnQueue(s, 'Q', { queueName: 'jobs' }), 'Arn').v).toBe('arn:aws:sqs:eu-west-1:111122223333:jobs');
    expect(reason(value((s) => new sqs.CfnQueue(s, 'Q'), undefined).v)).toBe(`Fn::GetAtt ${x.id}.undefined`);
  });
  test('a managed policy: Ref and PolicyArn are its ARN with its path, its literal name when set', () => {
    const policy = (props: Partial<iam.CfnManagedPolicyProps> = {}) => (s: Stack) => new iam.CfnManagedPolicy(s, 'M', { policyDocument: {}, ...props });
    const x = value(policy(), undefined);
    expect(x.v).toBe(`arn:aws:iam::111122223333:policy/${x.id}`);
    expect(value(policy(), 'PolicyArn').v).toBe(`arn:aws:iam::111122223333:policy/${x.id}`);
    expect(value(policy({ path: '/team/', managedPolicyName: 'deploy' }), undefined).v).toBe('arn:aws:iam::111122223333:policy/team/deploy');
    expect(value(policy({ path: '/team/' }), 'PolicyArn').v).toBe(`arn:aws:iam::111122223333:policy/team/${x.id}`);
    expect(reason(value(policy(), 'DefaultVersionId').v)).toBe(`Fn::GetAtt ${x.id}.DefaultVersionId`);
  });
  test('any other resource: a generic ARN and name of its service', () => {
    const x = value((s) => new dynamodb.CfnTable(s, 'D', { keySchema: [{ attributeName: 'k', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'k', attributeType: 'S' }] }), 'Arn');
    expect(x.v).toBe(`arn:aws:dynamodb:eu-west-1:111122223333:${x.id}`);
    expect(value((s) => new dynamodb.CfnTable(s, 'D', { keySchema: [{ attributeName: 'k', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'k', attributeType: 'S' }] }), undefined).v).toBe(`dynamodb-${x.id}`);
    expect(isUnknown(value((s) => new dynamodb.CfnTable(s, 'D', { keySchema: [{ attributeName: 'k', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'k', attributeType: 'S' }] }), 'StreamArn').v)).toBe(true);
    const y = value((s) => new CfnResource(s, 'C', { type: 'Custom::Thing' }), 'Arn');
    expect(y.v).toBe(`arn:aws:thing:eu-west-1:111122223333:${y.id}`);
    const z = value((s) => new CfnResource(s, 'C', { type: 'Weird' }), undefined);
    expect(z.v).toBe(`unknown-${z.id}`);
  });
});

describe('policyJson', () => {
  const env = { env: { account: '111122223333', region: 'eu-west-1' } };
  /** A bucket policy built with CDK, converted as the policy questions read it. */
  const bucketPolicy = (statement: (s: Stack, b: s3.Bucket) => iam.PolicyStatement, props: StackProps = env) => {
    const { ix, r } = app((s) => {
      const b = new s3.Bucket(s, 'B');
      b.addToResourcePolicy(statement(s, b));
      return { policy: cfn(b.policy!), bucket: cfn(b) };
    }, props);
    const doc = ix.props(r.policy).PolicyDocument;
    return { ix, r, doc, out: () => policyJson(ix, r.policy, doc) as { Statement: Array<Record<string, unknown>> } };
  };

  test('references to resources of the app become their stand-ins; pseudo parameters the own values', () => {
    const { ix, r, out } = bucketPolicy((_s, b) => new iam.PolicyStatement({
      principals: [new iam.AccountRootPrincipal()], actions: ['s3:GetObject'], resources: [b.arnForObjects('*'), b.bucketArn],
      conditions: { StringEquals: { 'aws:SourceArn': `arn:${Aws.PARTITION}:sns:${Aws.REGION}:${Aws.ACCOUNT_ID}:t`, 'aws:Url': Aws.URL_SUFFIX } },
    }));
    const arn = syntheticValue(ix, r.bucket, 'Arn');
    expect(out().Statement[0]).toEqual({
      Effect: 'Allow', Action: 's3:GetObject', Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Resource: [`${arn}/*`, arn],
      Condition: { StringEquals: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:111122223333:t', 'aws:Url': 'amazonaws.com' } },
    });
  });
  test('an environment-agnostic stack: the account placeholder and us-east-1', () => {
    const { out } = bucketPolicy(() => new iam.PolicyStatement({
      principals: [new iam.AccountRootPrincipal()], actions: ['s3:GetObject'], resources: [`arn:aws:sns:${Aws.REGION}:${Aws.ACCOUNT_ID}:t`],
    }), {});
    expect(out().Statement[0].Principal).toEqual({ AWS: `arn:aws:iam::${OWN_ACCOUNT_PLACEHOLDER}:root` });
    expect(out().Statement[0].Resource).toBe(`arn:aws:sns:us-east-1:${OWN_ACCOUNT_PLACEHOLDER}:t`);
  });
  test('a parameter inside the document is an unknown marker there; the rest is converted', () => {
    const { out } = bucketPolicy((s) => new iam.PolicyStatement({ principals: [new iam.ArnPrincipal(paramOf(s).valueAsString)], actions: ['s3:GetObject'], resources: ['*'] }));
    const p = (out().Statement[0].Principal as { AWS: unknown }).AWS;
    expect(isUnknown(p) && p.reason).toBe('unresolved value {"Ref":"P"}');
    expect(out().Statement[0].Resource).toBe('*');
  });
  test('a join holding a parameter is unknown, named by the parameter', () => {
    const { out } = bucketPolicy((s) => new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [`arn:aws:s3:::${paramOf(s).valueAsString}/*`] }));
    const res = out().Statement[0].Resource;
    expect(isUnknown(res) && res.reason).toBe('unresolved value {"Ref":"P"}');
  });
  test('a whole document that is a parameter, or is not JSON, is cannot verify', () => {
    const { ix, r } = app((s) => new s3.CfnBucketPolicy(s, 'BP', { bucket: 'b', policyDocument: paramOf(s).value }));
    expect(cannot(() => policyJson(ix, r, ix.props(r).PolicyDocument))).toBe('cannot verify the policy document: unresolved value {"Ref":"P"}');
    expect(cannot(() => policyJson(ix, r, '{"Statement": ['))).toBe('cannot verify the policy document (not JSON): unresolved value "{\\"Statement\\": ["');
  });
  test('a JSON string document is parsed and converted', () => {
    const { ix, r } = app((s) => new s3.CfnBucketPolicy(s, 'BP', { bucket: 'b', policyDocument: {} }), env);
    expect(policyJson(ix, r, JSON.stringify({ Statement: { Effect: 'Allow', Resource: '*' } }))).toEqual({ Statement: { Effect: 'Allow', Resource: '*' } });
    expect(policyJson(ix, r, undefined)).toBeUndefined();
    expect(policyJson(ix, r, 5)).toBe(5);
    expect(policyJson(ix, r, null)).toBeNull();
    expect(policyJson(ix, r, 'null')).toBeNull();
  });
  test('the converted document is computed once per document', () => {
    const { ix, r } = app((s) => new s3.CfnBucketPolicy(s, 'BP', { bucket: 'b', policyDocument: {} }), env);
    const doc = { Statement: [{ Effect: 'Allow', Resource: { 'Fn::Sub': 'arn:aws:s3:::${AWS::AccountId}/*' } }] };
    const first = policyJson(ix, r, doc);
    expect(first).toEqual({ Statement: [{ Effect: 'Allow', Resource: 'arn:aws:s3:::111122223333/*' }] });
    expect(policyJson(ix, r, doc)).toBe(first);
  });
  /** Converts a raw document in a stack holding a role R, a bucket B and a parameter P. */
  const convert = (doc: unknown) => {
    const { ix, r } = app((s) => {
      paramOf(s);
      const role = new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: {}, roleName: 'ops' });
      const bucket = new s3.CfnBucket(s, 'B', { bucketName: 'data' });
      role.overrideLogicalId('R');
      bucket.overrideLogicalId('B');
      return new s3.CfnBucketPolicy(s, 'BP', { bucket: 'b', policyDocument: {} });
    }, env);
    return (policyJson(ix, r, { X: doc }) as { X: unknown }).X;
  };
  const reasonOf = (v: unknown) => (isUnknown(v) ? v.reason : `not unknown: ${JSON.stringify(v)}`);
  test('Fn::Sub: pseudo parameters, resources by name and attribute, escaped text', () => {
    expect(convert({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${B}/${AWS::Region}/${AWS::URLSuffix}' })).toBe('arn:aws:s3:::data/eu-west-1/amazonaws.com');
    expect(convert({ 'Fn::Sub': '${R.Arn}' })).toBe('arn:aws:iam::111122223333:role/ops');
    expect(convert({ 'Fn::Sub': '${B.Arn}/*' })).toBe('arn:aws:s3:::data/*');
    expect(convert({ 'Fn::Sub': '${!Literal}-${AWS::AccountId}' })).toBe('${Literal}-111122223333');
  });
  test('Fn::Sub of something unresolvable is unknown, naming the first one', () => {
    expect(reasonOf(convert({ 'Fn::Sub': 'arn:aws:s3:::${P}/${Q}' }))).toBe('Fn::Sub ${P}');
    expect(reasonOf(convert({ 'Fn::Sub': '${AWS::StackName}-${P}' }))).toBe('Fn::Sub ${AWS::StackName}');
    expect(reasonOf(convert({ 'Fn::Sub': '${AWS::NoValue}' }))).toBe('Fn::Sub ${AWS::NoValue}');
    expect(reasonOf(convert({ 'Fn::Sub': '${B.DomainName}' }))).toBe('Fn::Sub ${B.DomainName}');
  });
  test('Ref and Fn::GetAtt of resources, pseudo parameters, and other pseudo parameters unknown', () => {
    expect(convert({ Ref: 'R' })).toBe('ops');
    expect(convert({ 'Fn::GetAtt': ['R', 'Arn'] })).toBe('arn:aws:iam::111122223333:role/ops');
    expect(convert({ 'Fn::GetAtt': 'B.Arn' })).toBe('arn:aws:s3:::data');
    expect(convert({ Ref: 'AWS::Region' })).toBe('eu-west-1');
    expect(convert({ Ref: 'AWS::Partition' })).toBe('aws');
    expect(reasonOf(convert({ Ref: 'AWS::StackName' }))).toBe('pseudo parameter AWS::StackName');
    expect(reasonOf(convert({ 'Fn::GetAtt': ['B', 'DomainName'] }))).toBe('Fn::GetAtt B.DomainName');
  });
  test('joins: literal parts joined, an unknown part makes the join unknown', () => {
    expect(convert({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'B' }, '/*']] })).toBe('arn:aws:s3:::data/*');
    expect(convert({ 'Fn::Join': ['/', [{ 'Fn::GetAtt': ['B', 'Arn'] }, 'x']] })).toBe('arn:aws:s3:::data/x');
    expect(reasonOf(convert({ 'Fn::Join': ['', ['a', { Ref: 'P' }]] }))).toBe('unresolved value {"Ref":"P"}');
    expect(reasonOf(convert({ 'Fn::Join': ['', ['a', { Ref: 'AWS::NoValue' }]] }))).toBe('Fn::Join of ["a",{"Ref":"AWS::NoValue"}]');
    expect(reasonOf(convert({ 'Fn::Join': ['', ['a', 5]] }))).toBe('Fn::Join of ["a",5]');
    expect(reasonOf(convert({ 'Fn::Join': [{ Ref: 'Sep' }, ['a']] }))).toMatch(/^unresolved value /);
    expect(reasonOf(convert({ 'Fn::Select': [0, ['a']] }))).toBe('unresolved value {"Fn::Select":[0,["a"]]}');
  });
  test('null values are kept as they are', () => {
    expect(convert({ Statement: [{ Effect: 'Allow', Condition: null }] })).toEqual({ Statement: [{ Effect: 'Allow', Condition: null }] });
  });
  test('Fn::GetAtt whose attribute name is itself a Ref is unknown, not the resource name', () => {
    expect(isUnknown(convert({ 'Fn::GetAtt': ['R', { Ref: 'P' }] }))).toBe(true);
  });
  test('a document that is a single intrinsic rendering a string is that string', () => {
    const { ix, r } = app((s) => new s3.CfnBucketPolicy(s, 'BP', { bucket: 'b', policyDocument: {} }), env);
    expect(policyJson(ix, r, { 'Fn::Sub': 'arn:aws:s3:::${AWS::AccountId}' })).toBe('arn:aws:s3:::111122223333');
    expect(policyJson(ix, r, { Ref: 'AWS::Region' })).toBe('eu-west-1');
  });
  test('AWS::NoValue drops a list element or an object key', () => {
    expect(convert({ Statement: [{ Effect: 'Allow', Sid: { Ref: 'AWS::NoValue' }, Action: ['a', { Ref: 'AWS::NoValue' }, 'b'] }] }))
      .toEqual({ Statement: [{ Effect: 'Allow', Action: ['a', 'b'] }] });
  });
  test('an object with an intrinsic-looking key among others is converted key by key', () => {
    expect(convert({ Ref: 'AWS::Region', Other: { Ref: 'AWS::AccountId' } })).toEqual({ Ref: 'AWS::Region', Other: '111122223333' });
  });
  test('a resource exported by a stack of the app and imported is its stand-in; an exported literal its value', () => {
    const a = new App();
    const p = new Stack(a, 'P', env);
    const role = new iam.CfnRole(p, 'R', { assumeRolePolicyDocument: {}, roleName: 'ops' });
    new CfnOutput(p, 'RoleArn', { value: role.attrArn, exportName: 'RoleArn' });
    new CfnOutput(p, 'Lit', { value: 'arn:aws:iam::111122223333:role/lit', exportName: 'Lit' });
    new CfnOutput(p, 'Acct', { value: Aws.ACCOUNT_ID, exportName: 'Acct' });
    const c = new Stack(a, 'C', env);
    const bp = new s3.CfnBucketPolicy(c, 'BP', { bucket: 'b', policyDocument: {} });
    const ix = new ResourceIndex(a);
    expect(policyJson(ix, bp, { A: { 'Fn::ImportValue': 'RoleArn' }, B: { 'Fn::ImportValue': 'Lit' }, C: { 'Fn::ImportValue': 'Acct' } }))
      .toEqual({ A: 'arn:aws:iam::111122223333:role/ops', B: 'arn:aws:iam::111122223333:role/lit', C: '111122223333' });
  });
});

// ---- answers ------------------------------------------------------------------------------------

describe('decided', () => {
  test('yes and no are kept', () => {
    expect(decided({ yes: true, why: ['statement 1 allows it'] }, 'q')).toBe(true);
    expect(decided({ yes: false, why: [] }, 'q')).toBe(false);
  });
  test('an unknown answer is cannot verify, naming the question and every reason, with the own account shown as the pseudo parameter', () => {
    const msg = cannot(() => decided({ yes: 'unknown', why: [`principal arn:aws:iam::${OWN_ACCOUNT_PLACEHOLDER}:root may be ${OWN_ACCOUNT_PLACEHOLDER}`, 'Fn::Sub ${P}'] }, 'whether outsiders can read the bucket'));
    expect(msg).toBe('cannot verify whether outsiders can read the bucket: principal arn:aws:iam::${AWS::AccountId}:root may be ${AWS::AccountId}; Fn::Sub ${P}');
  });
});

describe('sharedAnswer / sharedResult', () => {
  const env = { env: { account: '111122223333', region: 'eu-west-1' } };
  /** Buckets whose policies differ only by the bucket (and by a role each grants), converted as the rules do. */
  const buckets = (n: number, statement: (s: Stack, b: s3.Bucket, i: number) => iam.PolicyStatement, props: StackProps = env) => {
    const { ix, s, r } = app((st) => Array.from({ length: n }, (_, i) => {
      const b = new s3.Bucket(st, `B${i}`);
      b.addToResourcePolicy(statement(st, b, i));
      return { bucket: cfn(b), policy: cfn(b.policy!) };
    }), props);
    return {
      ix, s, own: ownOf(ix, s),
      items: r.map(({ bucket, policy }) => ({ arn: syntheticValue(ix, bucket, 'Arn') as string, doc: policyJson(ix, policy, ix.props(policy).PolicyDocument) })),
    };
  };
  const grant = (actions = ['s3:GetObject']) => (_s: Stack, b: s3.Bucket) =>
    new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions, resources: [b.arnForObjects('*')] });

  test('the same policy shape is asked once; each answer names its own bucket', () => {
    const { ix, own, items } = buckets(2, grant());
    const asked: string[] = [];
    const ask = (docs: readonly unknown[], subject: string): Answer => {
      asked.push(subject);
      expect(JSON.stringify(docs)).toContain(`${subject}/*`);
      return { yes: true, why: [`anyone can read ${subject}/*`] };
    };
    const answers = items.map((x) => sharedAnswer(ix, 'outsiders', [x.doc], x.arn, own, ask));
    expect(asked).toEqual(['arn:aws:s3:::breachlessons-subject']);
    expect(answers).toEqual(items.map((x) => ({ yes: true, why: [`anyone can read ${x.arn}/*`] })));
    expect(items[0].arn).not.toBe(items[1].arn);
  });
  test('an answer without reasons is returned as it is', () => {
    const { ix, own, items } = buckets(1, grant());
    const a: Answer = { yes: false, why: [] };
    expect(sharedAnswer(ix, 'q', [items[0].doc], items[0].arn, own, () => a)).toBe(a);
  });
  test('different shapes, questions or own identities are asked apart', () => {
    const { ix, own, items } = buckets(2, (s, b, i) => grant(i === 0 ? ['s3:GetObject'] : ['s3:PutObject'])(s, b));
    let n = 0;
    const ask = (): Answer => { n++; return { yes: false, why: [] }; };
    for (const x of items) sharedAnswer(ix, 'q', [x.doc], x.arn, own, ask);
    expect(n).toBe(2);
    sharedAnswer(ix, 'other question', [items[0].doc], items[0].arn, own, ask);
    expect(n).toBe(3);
    sharedAnswer(ix, 'q', [items[0].doc], items[0].arn, { ...own, account: '444455556666' }, ask);
    expect(n).toBe(4);
    sharedAnswer(ix, 'q', [items[0].doc], items[0].arn, { ...own, organizationId: 'o-abc' }, ask);
    expect(n).toBe(5);
    sharedAnswer(ix, 'q', [items[0].doc], items[0].arn, { ...own, partition: 'aws-cn' }, ask);
    expect(n).toBe(6);
    sharedAnswer(ix, 'q', [items[0].doc], items[0].arn, { ...own, region: 'us-west-2' }, ask);
    expect(n).toBe(7);
    sharedAnswer(ix, 'q', [items[0].doc], items[0].arn, own, ask);
    expect(n).toBe(7);
  });
  test('a wildcard that could match the bucket only partly is asked as written, with the real bucket', () => {
    const { ix, own, items } = buckets(2, (_s, b) => new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [`arn:aws:s3:::${Aws.ACCOUNT_ID}*`, b.arnForObjects('*')],
    }));
    const asked: string[] = [];
    for (const x of items) sharedAnswer(ix, 'q', [x.doc], x.arn, own, (_d, subject) => { asked.push(subject); return { yes: false, why: [] }; });
    expect(asked).toEqual(items.map((x) => x.arn));
  });
  test('a document naming the bucket both by name and by ARN is asked as written', () => {
    const { ix, own, items } = buckets(2, (_s, b) => new iam.PolicyStatement({
      principals: [new iam.AccountPrincipal('444455556666')], actions: ['s3:GetObject'], resources: [b.arnForObjects('*')], conditions: { StringEquals: { 's3:x': b.bucketName } },
    }));
    const asked: string[] = [];
    for (const x of items) sharedAnswer(ix, 'q', [x.doc], x.arn, own, (_d, subject) => { asked.push(subject); return { yes: false, why: [] }; });
    expect(asked).toEqual(items.map((x) => x.arn));
  });
  test('other resources the documents name are renamed and named back in the answer', () => {
    const { ix, own, items } = buckets(2, (s, b, i) => new iam.PolicyStatement({
      principals: [new iam.ArnPrincipal(new iam.Role(s, `Role${i}`, { assumedBy: new iam.AccountRootPrincipal() }).roleArn)],
      actions: ['s3:GetObject'], resources: [b.arnForObjects('*')],
    }));
    const roleOf = (doc: unknown) => ((doc as { Statement: Array<{ Principal: { AWS: string } }> }).Statement[0].Principal.AWS);
    let n = 0;
    const ask = (docs: readonly unknown[], subject: string): Answer => {
      n++;
      const role = roleOf(docs[0]);
      expect(role).toBe('arn:aws:iam::111122223333:role/breachlessons-r1');
      return { yes: true, why: [`${role} can read ${subject}`] };
    };
    const answers = items.map((x) => sharedAnswer(ix, 'q', [x.doc], x.arn, own, ask));
    expect(n).toBe(1);
    expect(answers.map((a) => a.why[0])).toEqual(items.map((x) => `${roleOf(x.doc)} can read ${x.arn}`));
    expect(roleOf(items[0].doc)).not.toBe(roleOf(items[1].doc));
  });
  test('policies that differ only by the roles they name are asked once, whichever role has the longer name', () => {
    const { ix, own, items } = buckets(2, (s, b, i) => {
      const short = new iam.Role(s, `R${i}`, { assumedBy: new iam.AccountRootPrincipal() }).roleArn;
      const long = new iam.Role(s, `Role${i}WithALongerName`, { assumedBy: new iam.AccountRootPrincipal() }).roleArn;
      return new iam.PolicyStatement({ principals: (i === 0 ? [short, long] : [long, short]).map((arn) => new iam.ArnPrincipal(arn)), actions: ['s3:GetObject'], resources: [b.arnForObjects('*')] });
    });
    const principals = (doc: unknown) => (doc as { Statement: Array<{ Principal: { AWS: string[] } }> }).Statement[0].Principal.AWS;
    let n = 0;
    const answers = items.map((x) => sharedAnswer(ix, 'q', [x.doc], x.arn, own, (docs) => { n++; return { yes: true, why: principals(docs[0]).map((p) => `${p} can read`) }; }));
    expect(n).toBe(1);
    answers.forEach((a, i) => expect(a.why).toEqual(principals(items[i].doc).map((p) => `${p} can read`)));
    expect(principals(items[0].doc)[0].length).toBeLessThan(principals(items[0].doc)[1].length);
    expect(principals(items[1].doc)[0].length).toBeGreaterThan(principals(items[1].doc)[1].length);
  });
  test('with more than nine other resources, r1 is never read inside r10', () => {
    const { ix, own, items } = buckets(2, (s, b, i) => new iam.PolicyStatement({
      principals: Array.from({ length: 10 }, (_, k) => new iam.ArnPrincipal(new iam.Role(s, `Role${i}x${k}${'y'.repeat(k)}`, { assumedBy: new iam.AccountRootPrincipal() }).roleArn)),
      actions: ['s3:GetObject'], resources: [b.arnForObjects('*')],
    }));
    const ask = (docs: readonly unknown[]): Answer => ({ yes: true, why: (docs[0] as { Statement: Array<{ Principal: { AWS: string[] } }> }).Statement[0].Principal.AWS });
    const answers = items.map((x) => sharedAnswer(ix, 'q', [x.doc], x.arn, own, ask));
    answers.forEach((a, i) => expect([...a.why].sort()).toEqual([...(items[i].doc as { Statement: Array<{ Principal: { AWS: string[] } }> }).Statement[0].Principal.AWS].sort()));
  });
  test('several documents: each is renamed, the answer shared', () => {
    const { ix, own, items } = buckets(2, grant());
    let n = 0;
    const ask = (docs: readonly unknown[], subject: string): Answer => { n++; expect(docs).toHaveLength(2); return { yes: true, why: [subject] }; };
    const extra = { Statement: [{ Effect: 'Deny', Resource: '*' }] };
    const answers = items.map((x) => sharedAnswer(ix, 'q', [x.doc, extra], x.arn, own, ask));
    expect(n).toBe(1);
    expect(answers.map((a) => a.why[0])).toEqual(items.map((x) => x.arn));
  });
  /** Asks every bucket's question with `docsOf` its documents; returns the subjects asked. */
  const askAll = (b: ReturnType<typeof buckets>, docsOf: (doc: unknown) => unknown[], own = b.own, question = 'q') => {
    const asked: string[] = [];
    const answers = b.items.map((x) => sharedAnswer(b.ix, question, docsOf(x.doc), x.arn, own, (docs, subject) => {
      asked.push(subject);
      return { yes: true, why: [`${subject} answered from ${JSON.stringify(docs)}`] };
    }));
    // The documents asked about are the bucket's own, with the bucket's ARN in place of the subject's.
    answers.forEach((a, i) => expect(a.why).toEqual([`${b.items[i].arn} answered from ${JSON.stringify(docsOf(b.items[i].doc))}`]));
    return asked;
  };
  const CANONICAL = 'arn:aws:s3:::breachlessons-subject';

  test('a missing or null document beside the policy is shared too', () => {
    const b = buckets(2, grant());
    expect(askAll(b, (d) => [d, undefined], b.own, 'q1')).toEqual([CANONICAL]);
    expect(askAll(b, (d) => [d, null], b.own, 'q2')).toEqual([CANONICAL]);
    expect(askAll(b, () => [null], b.own, 'q3')).toEqual([CANONICAL]);
    expect(askAll(b, () => [undefined], b.own, 'q4')).toEqual([CANONICAL]);
    expect(askAll(b, () => ['text'], b.own, 'q5')).toEqual([CANONICAL]);
  });
  test('the same document alone and with another is asked apart, each with its own documents', () => {
    const b = buckets(2, grant());
    const extra = { Statement: [{ Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }] };
    expect(askAll(b, (d) => [d])).toEqual([CANONICAL]);
    expect(askAll(b, (d) => [d, extra])).toEqual([CANONICAL]);
    expect(askAll(b, (d) => [extra, d])).toEqual([CANONICAL]);
    expect(askAll(b, (d) => [d])).toEqual([]);
    const other = { Statement: [{ Effect: 'Deny', Action: 's3:PutObject', Resource: '*' }] };
    expect(askAll(b, (d) => [d, other])).toEqual([CANONICAL]);
  });
  test('a document holding an escaped quote is shared, unless a wildcard may match the bucket partly', () => {
    const quoted = buckets(2, (_s, bk) => new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [bk.arnForObjects('*')], conditions: { StringEquals: { 'aws:UserAgent': 'say "hi"' } },
    }));
    expect(askAll(quoted, (d) => [d])).toEqual([CANONICAL]);
    const partial = buckets(2, (_s, bk) => new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b*', bk.arnForObjects('*')], conditions: { StringEquals: { 'aws:UserAgent': 'say "hi"' } },
    }));
    expect(askAll(partial, (d) => [d])).toEqual(partial.items.map((x) => x.arn));
  });
  test('a partial wildcard in one document and an escaped quote in another: asked as written', () => {
    const partial = buckets(2, (_s, bk) => new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b*', bk.arnForObjects('*')],
    }));
    const quoted = { Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::other', Condition: { StringEquals: { 'aws:UserAgent': 'say "hi"' } } }] };
    expect(askAll(partial, (d) => [d, quoted])).toEqual(partial.items.map((x) => x.arn));
    expect(askAll(partial, (d) => [quoted, d])).toEqual(partial.items.map((x) => x.arn));
  });
  test('a wildcard over the whole service prefix matches every bucket alike: shared', () => {
    const b = buckets(2, (_s, bk) => new iam.PolicyStatement({
      principals: [new iam.AccountPrincipal('444455556666')], actions: ['s3:GetObject'], resources: ['arn:aws:s3:*', bk.arnForObjects('*')],
    }));
    expect(askAll(b, (d) => [d])).toEqual([CANONICAL]);
  });
  test('a partial wildcard next to another resource of the app: asked as written', () => {
    const b = buckets(2, (s, bk, i) => new iam.PolicyStatement({
      principals: [new iam.ArnPrincipal(new iam.Role(s, `Role${i}`, { assumedBy: new iam.AccountRootPrincipal() }).roleArn)],
      actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b*', bk.arnForObjects('*')],
    }));
    expect(askAll(b, (d) => [d])).toEqual(b.items.map((x) => x.arn));
  });
  test('a document naming a resource whose stand-in is unknown (a queue URL) is answered for each bucket', () => {
    const b = buckets(2, (s, bk, i) => new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [bk.arnForObjects('*')],
      conditions: { StringEquals: { 'aws:x': new sqs.Queue(s, `Q${i}`).queueUrl } },
    }));
    expect(askAll(b, (d) => [d])).toHaveLength(2);
  });
  test('documents without any wildcard naming another resource by its plain name are shared', () => {
    const named = (quote: string) => buckets(2, (s, bk, i) => new iam.PolicyStatement({
      principals: [new iam.AccountPrincipal('444455556666')], actions: ['s3:GetObject'], resources: [bk.bucketArn],
      conditions: { StringEquals: { 'aws:PrincipalTag/team': new iam.Role(s, `Role${i}`, { assumedBy: new iam.AccountRootPrincipal() }).roleName, 'aws:UserAgent': quote } },
    }));
    expect(askAll(named('plain'), (d) => [d])).toEqual([CANONICAL]);
    expect(askAll(named('say "hi"'), (d) => [d])).toEqual([CANONICAL]);
  });
  test('two different organizations are asked apart', () => {
    const b = buckets(1, grant());
    let n = 0;
    const ask = (): Answer => { n++; return { yes: false, why: [] }; };
    sharedAnswer(b.ix, 'q', [b.items[0].doc], b.items[0].arn, { ...b.own, organizationId: 'o-abc' }, ask);
    sharedAnswer(b.ix, 'q', [b.items[0].doc], b.items[0].arn, { ...b.own, organizationId: 'o-xyz' }, ask);
    expect(n).toBe(2);
  });
  test('sharedResult renames any result through back', () => {
    const { ix, own, items } = buckets(2, grant());
    let n = 0;
    const results = items.map((x) => sharedResult(ix, 'r', [x.doc], x.arn, own,
      (_d, subject) => { n++; return { names: [subject], count: 1 }; },
      (res, back) => ({ names: res.names.map(back), count: res.count })));
    expect(n).toBe(1);
    expect(results).toEqual(items.map((x) => ({ names: [x.arn], count: 1 })));
  });
});

describe('regionText: a region as a message shows it', () => {
  test('a literal as is, the AWS::Region pseudo parameter as the stack\'s region, anything else as its JSON', () => {
    expect(regionText('eu-west-1')).toBe('eu-west-1');
    expect(regionText({ Ref: 'AWS::Region' })).toBe("in the stack's region");
    expect(regionText({ Ref: 'RegionParam' })).toBe('{"Ref":"RegionParam"}');
    expect(regionText(undefined)).toBe('undefined');
    expect(regionText(null)).toBe('null');
    expect(regionText(Aws.REGION)).toMatch(/^"\$\{Token\[/);
  });
});
