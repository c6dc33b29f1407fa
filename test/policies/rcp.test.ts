import { RCP_NAMES, SCP_MAX_CHARS, loadPolicy, minifiedLength, rcpValues } from '../../lib/policies';
import { evaluate } from '../../lib/policy';
import { ContextValue } from '../../lib/policy/types';

/**
 * policies/rcp/data-perimeter.json attached above a member account, simulated with lib/policy on the
 * exfiltration steps of THREATS.md (T1537: to another account): a bucket or key policy that grants an
 * outsider, or the public, is overridden; the organization's principals and AWS services acting for it
 * keep working, EventBridge included (it sends no aws:SourceAccount to KMS).
 */
const ORG = 'o-a1b2c3d4e5';
const MEMBER = '555555555555';
const OUTSIDER = '999988887777';
const BUCKET = 'arn:aws:s3:::loans-pii-555555555555';
const KEY = `arn:aws:kms:us-east-1:${MEMBER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const perimeter = { name: 'data-perimeter', document: loadPolicy('rcp/data-perimeter', rcpValues({ organizationId: ORG })) };
const RCP_FULL = { name: 'RCPFullAWSAccess', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] } };
const openPolicy = (principal: unknown) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: '*', Resource: '*' }] });
const ADMIN = [{ name: 'AdministratorAccess', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }];
const TLS: Record<string, ContextValue> = { 'aws:SecureTransport': 'true' };

type Who = { arn: string; account?: string; orgId?: string; type?: 'AssumedRole' | 'Service' | 'Anonymous' };
function decide(who: Who, action: string, resource: string, context: Record<string, ContextValue>, withRcp = true): string {
  const isKey = resource.startsWith('arn:aws:kms:');
  return evaluate(
    { principal: { type: 'AssumedRole', ...who }, action, resource, context: { ...TLS, ...context }, ...(isKey ? {} : { resourceAccount: MEMBER }) },
    {
      identity: who.type === 'Service' || who.type === 'Anonymous' ? undefined : ADMIN,
      resourcePolicy: { name: 'resource policy', document: openPolicy(who.type === 'Service' ? { Service: who.arn } : '*') },
      rcps: withRcp ? [[RCP_FULL, perimeter]] : undefined,
    },
  ).decision;
}

describe('rcp/data-perimeter: the organization\'s data stays in the organization', () => {
  test('fits the 5,120-character limit of organization policies', () => {
    for (const n of RCP_NAMES) expect(minifiedLength(loadPolicy(n, rcpValues({ organizationId: ORG })))).toBeLessThan(SCP_MAX_CHARS);
  });

  test.each([
    ['a role of another organization reads a PII object a bucket policy opened to it', { arn: `arn:aws:iam::${OUTSIDER}:role/exfil`, account: OUTSIDER, orgId: 'o-foreign00000' }, 's3:GetObject', `${BUCKET}/borrowers.csv`],
    ['a role of an account outside any organization copies the object', { arn: `arn:aws:iam::${OUTSIDER}:role/exfil`, account: OUTSIDER }, 's3:GetObject', `${BUCKET}/borrowers.csv`],
    ['an outsider decrypts with the data key a key policy opened to it', { arn: `arn:aws:iam::${OUTSIDER}:role/exfil`, account: OUTSIDER, orgId: 'o-foreign00000' }, 'kms:Decrypt', KEY],
    ['an outsider assumes a role whose trust was opened to it', { arn: `arn:aws:iam::${OUTSIDER}:role/exfil`, account: OUTSIDER, orgId: 'o-foreign00000' }, 'sts:AssumeRole', `arn:aws:iam::${MEMBER}:role/data-reader`],
  ])('DENIED: %s (it is allowed without the RCP)', (_what, who, action, resource) => {
    expect(decide(who as Who, action, resource, {}, false)).toBe('Allow');
    expect(decide(who as Who, action, resource, {})).toBe('ExplicitDeny');
  });

  test('DENIED: anonymous reads of a bucket made public', () => {
    const anon: Who = { arn: '*', type: 'Anonymous' };
    expect(decide(anon, 's3:GetObject', `${BUCKET}/borrowers.csv`, {}, false)).toBe('Allow');
    expect(decide(anon, 's3:GetObject', `${BUCKET}/borrowers.csv`, {})).toBe('ExplicitDeny');
  });

  test('DENIED: a member of the organization without TLS', () => {
    expect(decide({ arn: `arn:aws:iam::${MEMBER}:role/app`, account: MEMBER, orgId: ORG }, 's3:GetObject', `${BUCKET}/x`, { 'aws:SecureTransport': 'false' })).toBe('ExplicitDeny');
  });

  test('DENIED: a service acting for an account of another organization (confused deputy)', () => {
    const svc: Who = { arn: 'cloudtrail.amazonaws.com', type: 'Service' };
    expect(decide(svc, 's3:PutObject', `${BUCKET}/AWSLogs/x`, { 'aws:SourceAccount': OUTSIDER, 'aws:SourceOrgID': 'o-foreign00000', 'aws:PrincipalIsAWSService': 'true' })).toBe('ExplicitDeny');
  });

  test.each([
    ['a role of the organization reads and decrypts', { arn: `arn:aws:iam::${MEMBER}:role/app`, account: MEMBER, orgId: ORG }, 's3:GetObject', `${BUCKET}/x`, {}],
    ['a role of another account of the organization decrypts', { arn: `arn:aws:iam::${OUTSIDER}:role/app`, account: OUTSIDER, orgId: ORG }, 'kms:Decrypt', KEY, {}],
    ['CloudTrail delivers the organization trail for an account of the organization', { arn: 'cloudtrail.amazonaws.com', type: 'Service' }, 's3:PutObject', `${BUCKET}/AWSLogs/x`,
      { 'aws:SourceAccount': MEMBER, 'aws:SourceOrgID': ORG, 'aws:PrincipalIsAWSService': 'true' }],
    ['EventBridge publishes to an encrypted topic (no aws:SourceAccount sent to KMS)', { arn: 'events.amazonaws.com', type: 'Service' }, 'kms:GenerateDataKey', KEY,
      { 'aws:PrincipalIsAWSService': 'true' }],
  ])('ALLOWED: %s', (_what, who, action, resource, context) => {
    expect(decide(who as Who, action, resource, context as Record<string, ContextValue>)).toBe('Allow');
  });

  test('rendering needs the organization id', () => {
    expect(() => rcpValues({})).toThrow('hardening:organizationId');
  });
});
