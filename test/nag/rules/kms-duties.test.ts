/**
 * KMSKeyPolicySeparatesDuties beyond kms.test.ts: which principals the rule tries against a key policy
 * (the own account, a foreign one, the accounts and organizations the policy names, whoever an
 * aws:PrincipalArn condition admits, each in the sessions and organizations the policies ask about),
 * what the finding then names, and key policies it cannot read.
 */
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Finding } from '../../../lib/findings';
import { evaluateScope } from '../../../lib/nag/evaluate';
import { rulesNamed } from '../../../lib/nag/rules';
import { FOREIGN_ORG } from '../../../lib/policy/questions';
import { Construct } from 'constructs';
import { CustomerManagedKey } from '../../../lib/constructs/customer-managed-key';
import { ServiceControlPolicies } from '../../../lib/constructs/service-control-policies';
import { StackSetTemplate, StackSetTemplateSynthesizer, StackSetTemplates } from '../../../lib/constructs/stackset-template';
import { scpValues } from '../../../lib/policies';
import { featureFlags } from '../../helpers/app';
import { param } from '../helpers';

const RULE = 'KMSKeyPolicySeparatesDuties';
const FINDING = 'The key policy lets the same principal administer the key and use it for encryption and decryption';
const OWN = '111122223333';
const ROOT = `arn:aws:iam::${OWN}:root`;
const ADMIN = `arn:aws:iam::${OWN}:role/KeyAdmin`;

type Statement = Record<string, unknown>;

/**
 * The rule's one finding on an L1 key in a stack of account 111122223333: its statements are given, or
 * built in the stack (`(s) => [...]`); `organizationId` is the organization the pack is configured with.
 */
function finding(statements: Statement[] | ((s: Stack) => Statement[]), organizationId?: string, keyPolicy?: (s: Stack) => unknown): Finding {
  const app = new App();
  const s = new Stack(app, 'S', { env: { account: OWN, region: 'us-east-1' } });
  const Statement = typeof statements === 'function' ? statements(s) : statements;
  new kms.CfnKey(s, 'K', { keyPolicy: keyPolicy ? keyPolicy(s) : { Version: '2012-10-17', Statement } });
  const all = evaluateScope(app, { rules: rulesNamed(RULE), now: new Date('2026-01-01T00:00:00Z'), organizationId });
  expect(all).toHaveLength(1);
  return all[0];
}
/** kms:* to `Principal`, narrowed by `Condition`. */
const all = (Principal: unknown, Condition?: Record<string, unknown>): Statement => ({ Sid: 'All', Effect: 'Allow', Principal, Action: 'kms:*', Resource: '*', ...(Condition ? { Condition } : {}) });
const fails = (f: Finding, ...grants: string[]) => expect([f.status, f.message]).toEqual(['FAIL', `${FINDING} (${grants.join('; ')})`]);
const errs = (f: Finding, why: string) => {
  expect(f.status).toBe('ERROR');
  expect(f.message).toContain(why);
};

describe('Principal "*" limited to the accounts a condition names', () => {
  test('Noncompliance: everyone in the own account is named once, as everyone (the own account is tried anyway)', () => {
    fails(finding([all('*', { StringEquals: { 'aws:PrincipalAccount': OWN } })]), 'All grants everyone kms:*');
  });
  test('Noncompliance: everyone in account 444455556666 (the account of AWS\'s examples) is named once', () => {
    fails(finding([all('*', { StringEquals: { 'aws:PrincipalAccount': '444455556666' } })]), 'All grants everyone kms:*');
  });
  test('Noncompliance: everyone in account 000000000000 is that account, like any other (it passed)', () => {
    const f = finding([all('*', { StringEquals: { 'aws:PrincipalAccount': '000000000000' } })]);
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('All grants everyone in account');
  });
});

describe('a principal the rule cannot resolve beside one it can', () => {
  test('Noncompliance: kms:* to a parameter and to the account root: the account is named once, by its grant', () => {
    fails(finding((s) => [
      { Sid: 'Param', Effect: 'Allow', Principal: { AWS: param(s) }, Action: 'kms:Decrypt', Resource: '*' },
      { Sid: 'Own', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' },
    ]), `Own grants account ${OWN} kms:* without conditions`);
  });
});

describe('organizations: the own one (configured), those the policy names, and a foreign one', () => {
  const sameOrgAsKey = all('*', { StringEquals: { 'aws:PrincipalOrgID': '${aws:ResourceOrgID}' } });
  test('Noncompliance: kms:* to everyone in the key\'s own organization (aws:ResourceOrgID, which AWS sends for the key) (it passed)', () => {
    fails(finding([sameOrgAsKey], 'o-abcdefghij'), 'All grants everyone (in organization o-abcdefghij) kms:*');
  });
  test('Unresolved: the same grant when the pack is given no organization', () => {
    errs(finding([sameOrgAsKey]), 'the own organization id (none configured)');
  });
  test('Noncompliance: kms:* to everyone outside the own organization names a principal of a foreign one', () => {
    const f = finding([all('*', { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } })], 'o-abcdefghij');
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`All grants everyone (in organization ${FOREIGN_ORG}) kms:*`);
  });
  test('Noncompliance: an organization and MFA are both named', () => {
    fails(finding([all('*', { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } })]),
      'All grants everyone (in organization o-abcdefghij, in a session with MFA) kms:*');
  });
});

describe('a role named as the principal is tried in every session and organization the policies ask about (each passed)', () => {
  test('Noncompliance: kms:* to the role KeyAdmin in its sessions with MFA', () => {
    fails(finding([all({ AWS: ADMIN }, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } })]), `All grants ${ADMIN} (in a session with MFA) kms:*`);
  });
  test('Noncompliance: kms:* to the role KeyAdmin when its account is in the organization', () => {
    fails(finding([all({ AWS: ADMIN }, { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } })]), `All grants ${ADMIN} (in organization o-abcdefghij) kms:*`);
  });
  test('Unresolved: kms:* to the role KeyAdmin for a session name (aws:userid, chosen by whoever assumes the role)', () => {
    errs(finding([all({ AWS: ADMIN }, { StringLike: { 'aws:userid': '*:alice' } })]), "the caller's aws:userid");
  });
  test('Noncompliance: a role of the app named in the key policy whose own policy denies key use without MFA still uses it with MFA', () => {
    const f = finding((s) => {
      const role = new iam.Role(s, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
      role.addToPolicy(iam.PolicyStatement.fromJson({ Effect: 'Deny', Action: 'kms:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } }));
      return [all({ AWS: role.roleArn })];
    });
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('All grants S/Admin/Resource (in a session with MFA) kms:* without conditions');
  });
  /** kms:* to a role of the app by name, whose own policy denies kms:* unless `condition`. */
  const ownDeny = (condition: Record<string, unknown>) => finding((s) => {
    const role = new iam.Role(s, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
    role.addToPolicy(iam.PolicyStatement.fromJson({ Effect: 'Deny', Action: 'kms:*', Resource: '*', Condition: condition }));
    return [all({ AWS: role.roleArn })];
  });
  test('Noncompliance: a role of the app whose own policy denies key use outside organization o-abcdefghij still uses it inside', () => {
    fails(ownDeny({ StringNotEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } }), 'All grants S/Admin/Resource (in organization o-abcdefghij) kms:* without conditions');
  });
  test('Noncompliance: a role of the app whose own policy denies key use but to one session name (aws:userid): that session may', () => {
    fails(ownDeny({ StringNotLike: { 'aws:userid': '*:breakglass' } }), 'All grants S/Admin/Resource kms:* without conditions');
  });
});

describe('aws:PrincipalArn: the principals of the account a condition admits', () => {
  test('Noncompliance: kms:* to the account root for sessions of the role KeyAdmin (its ARN and type AssumedRole)', () => {
    fails(finding([all({ AWS: ROOT }, { ArnEquals: { 'aws:PrincipalArn': ADMIN }, StringEquals: { 'aws:PrincipalType': 'AssumedRole' } })]),
      `All grants ${ADMIN} (through the grant to account ${OWN}) kms:*`);
  });
  test('Noncompliance: kms:* to the account root for a user of the app in a group (whose policies the app does not show)', () => {
    const f = finding((s) => {
      const user = new iam.User(s, 'Ops', { groups: [new iam.Group(s, 'G')] });
      return [all({ AWS: ROOT }, { ArnEquals: { 'aws:PrincipalArn': user.userArn } })];
    });
    fails(f, `All grants S/Ops/Resource (through the grant to account ${OWN}) kms:*`);
  });
  test('Noncompliance: every principal of the account (a pattern naming no role or user) is tried as a role of the account', () => {
    fails(finding([all({ AWS: ROOT }, { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWN}:*` } })]),
      `All grants account ${OWN} kms:*`, `All grants arn:aws:iam::${OWN}:role/breachlessons-any (through the grant to account ${OWN}) kms:*`);
  });
  test('Noncompliance: kms:* to the account root for every role of the account (role/*): the account\'s roles and a role of any name', () => {
    fails(finding([all({ AWS: ROOT }, { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWN}:role/*` } })]),
      `All grants account ${OWN} kms:*`, `All grants arn:aws:iam::${OWN}:role/any (through the grant to account ${OWN}) kms:*`);
  });
  test('Noncompliance: a pattern whose name starts with a wildcard (*user/*) admits the account\'s users: the account is named', () => {
    fails(finding([all({ AWS: ROOT }, { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWN}:*user/*` } })]), `All grants account ${OWN} kms:*`);
  });
  test('Noncompliance: a pattern for any partition is tried in the stack\'s partition', () => {
    fails(finding([all({ AWS: ROOT }, { ArnLike: { 'aws:PrincipalArn': `arn:*:iam::${OWN}:role/KeyAdmin` } })]),
      `All grants ${ADMIN} (through the grant to account ${OWN}) kms:*`);
  });
  test('Noncompliance: a role ARN under another key (aws:SourceArn) or not an ARN (a leading space) admits no principal of its own', () => {
    fails(finding([all({ AWS: ROOT }, {
      ArnNotEquals: { 'aws:SourceArn': `arn:aws:iam::${OWN}:role/Other` }, StringNotEquals: { 'aws:PrincipalArn': ` ${ADMIN}` },
    })]), `All grants account ${OWN} kms:*`);
  });
});

describe('key policies the rule cannot read are never a pass', () => {
  test('Unresolved: a principal that is no ARN, account or "*" (true) (it passed)', () => {
    errs(finding([all({ AWS: true })]), 'cannot verify the key policy Principal: unresolved value true');
  });
  test('Unresolved: an empty statement slot (null)', () => {
    errs(finding([null as unknown as Statement]), 'cannot verify key policy statement: unresolved value null');
  });
  test('Unresolved: a Condition that is null, or an operator mapping to null, is named as such', () => {
    errs(finding([{ ...all({ AWS: ROOT }), Condition: null }]), 'Condition must be an object, got null');
    errs(finding([all({ AWS: ROOT }, { StringEquals: null })]), 'condition StringEquals must map keys to values, got null');
  });
  test('Unresolved: a key policy that is no document (a list, or null left by an override)', () => {
    errs(finding([], undefined, () => JSON.stringify([])), 'cannot verify the key policy');
    errs(finding([], undefined, () => true), 'cannot verify the key policy: ');
    const app = new App();
    const s = new Stack(app, 'S', { env: { account: OWN, region: 'us-east-1' } });
    new kms.CfnKey(s, 'K', { keyPolicy: {} }).addPropertyOverride('KeyPolicy', null);
    const [f] = evaluateScope(app, { rules: rulesNamed(RULE) });
    errs(f, 'cannot verify the key policy');
  });
});

/**
 * The stacksets-exec-* guard (lib/nag/rules/kms/stackset-execution-guard.ts), through
 * KMSKeyPolicyNamedAdministrators on a CustomerManagedKey of a StackSet template: which StackSets of
 * the app may deploy the template, and what an error names.
 */
describe('the StackSets that may deploy a StackSet template', () => {
  const MGMT = '111111111111';
  const OUS = ['ou-ab12-cdefgh34', 'ou-ab12-ijklmn56'];
  const VALUES = scpValues({ stackPrefix: 'Hardening', breakGlassRoleName: 'Hardening-break-glass', pipelineRoleName: 'Hardening-pipeline', allowedRegions: ['us-east-1'], securityToolingAccountId: '222222222222' });
  const PREFS = { maxConcurrentPercentage: 25, failureTolerancePercentage: 0, regionConcurrencyType: 'SEQUENTIAL' as const };
  const KEY = 'Templates/Baseline/Key/Resource/Resource';
  const serviceManaged = (scope: Construct, id: string, organizationalUnitIds: string[]) => new cloudformation.CfnStackSet(scope, id, {
    stackSetName: id.toLowerCase(), permissionModel: 'SERVICE_MANAGED', templateBody: '{}',
    stackInstancesGroup: [{ regions: ['us-east-1'], deploymentTargets: { organizationalUnitIds } }],
  });
  /** A management stack whose SCP guards the stacksets-exec-* name at `guarded`; `build` adds StackSets; the template Baseline holds the key. */
  function keyFinding(guarded: string[], build: (management: Stack, app: { parent: Stack; stage: StackSetTemplates }) => void): Finding {
    const app = new App({ context: featureFlags() });
    const management = new Stack(app, 'Management', { env: { account: MGMT, region: 'us-east-1' } });
    new ServiceControlPolicies(management, 'Scps', { values: VALUES, targetIds: guarded, policies: ['scp/protect-security-services'] });
    const stage = new StackSetTemplates(app, 'Templates');
    const template = stage.add(new Stack(stage, 'Baseline', { synthesizer: new StackSetTemplateSynthesizer({ excludedAccounts: [MGMT] }) }));
    new CustomerManagedKey(template, 'Key', { alias: 'baseline/vault' });
    const parent = new Stack(app, 'Parent', { env: { account: '222222222222', region: 'us-east-1' } });
    build(management, { parent, stage });
    const hits = evaluateScope(app, { rules: rulesNamed('KMSKeyPolicyNamedAdministrators'), now: new Date('2026-01-01T00:00:00Z') }).filter((f) => f.resource.id === KEY);
    expect(hits).toHaveLength(1);
    return hits[0];
  }

  test('Compliance: a StackSet the user wraps in a construct of their own (exposed as stackSet) may deploy any template: its OUs are guarded', () => {
    class OrgDeployment extends Construct {
      public readonly stackSet: cloudformation.CfnStackSet;
      constructor(scope: Construct, id: string) {
        super(scope, id);
        this.stackSet = serviceManaged(this, 'Set', OUS);
      }
    }
    expect(keyFinding(OUS, (m) => new OrgDeployment(m, 'Deployment')).status).toBe('PASS');
  });
  test('Compliance: a StackSet added inside the StackSetTemplate of another template may deploy this one: its OU is guarded', () => {
    const f = keyFinding(['ou-ab12-extra0000'], (_m, { parent, stage }) => {
      const other = stage.add(new Stack(stage, 'Other', { synthesizer: new StackSetTemplateSynthesizer({ excludedAccounts: [MGMT] }) }));
      new CustomerManagedKey(other, 'Key', { alias: 'other/vault' });
      const set = new StackSetTemplate(parent, 'OtherSet', { stackSetName: 'other', description: 'other', template: other, organizationalUnitIds: OUS, regions: ['us-east-1'], operationPreferences: PREFS });
      serviceManaged(set, 'Extra', ['ou-ab12-extra0000']);
    });
    expect(f.status).toBe('PASS');
  });
  test('Unresolved: StackInstancesGroup, one group or the OU list given as a parameter names the property and the StackSet', () => {
    const raw = (change: (set: cloudformation.CfnStackSet, p: CfnParameter) => void) => keyFinding(OUS, (m) => change(serviceManaged(m, 'Raw', OUS), new CfnParameter(m, 'P')));
    errs(raw((set, p) => set.addPropertyOverride('StackInstancesGroup', p.value)), 'cannot verify StackInstancesGroup of Management/Raw: unresolved value {"Ref":"P"}');
    errs(raw((set, p) => set.addPropertyOverride('StackInstancesGroup', [{ 'Fn::If': ['C', { Regions: ['us-east-1'] }, p.value] }])), 'cannot verify StackInstancesGroup of Management/Raw: unresolved value {"Fn::If"');
    errs(raw((set, p) => set.addPropertyOverride('StackInstancesGroup.0.DeploymentTargets.OrganizationalUnitIds', p.value)), 'cannot verify OrganizationalUnitIds of Management/Raw: unresolved value {"Ref":"P"}');
  });
});

describe('what the answer is computed from', () => {
  test('Noncompliance: kms:* to the account root for principals tagged with a bucket\'s ARN (a GetAtt): whoever tags a principal gets it (the shared answer read the probes of the real policy against its renamed copy, and passed)', () => {
    const f = finding((s) => {
      const b = new s3.CfnBucket(s, 'B');
      return [all({ AWS: ROOT }, { StringEquals: { 'aws:PrincipalTag/team': b.attrArn } })];
    });
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('All grants account 111122223333');
  });
  test('Noncompliance: kms:* to the account root only for a session with a source identity: the account\'s administrator role sets one', () => {
    const f = finding([all({ AWS: ROOT }, { StringEquals: { 'aws:SourceIdentity': 'admin' } })]);
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('source identity');
  });
  test('Noncompliance: kms:* to the account root for the roles an aws:PrincipalArn pattern admits, with a source identity: the sampled role sets one', () => {
    const f = finding([all({ AWS: ROOT }, { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWN}:role/Admin*` }, StringEquals: { 'aws:SourceIdentity': 'admin' } })]);
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`arn:aws:iam::${OWN}:role/Admin`);
  });
  test('Error: two grants, each for a tag whose value is an unresolved parameter: both parameters are named, neither is dropped', () => {
    const f = finding((s) => [{ ...all({ AWS: ROOT }, { StringEquals: { 'aws:PrincipalTag/team': param(s, 'Team') } }), Sid: 'A' }, { ...all({ AWS: ROOT }, { StringEquals: { 'aws:PrincipalTag/team': param(s, 'Unit') } }), Sid: 'B' }]);
    expect(f.status).toBe('ERROR');
    expect(f.message).toContain('Team');
    expect(f.message).toContain('Unit');
  });
  test('Noncompliance: "*" in any organization, no organization configured: everyone, and in the foreign organization, and nobody else', () => {
    const f = finding([all('*', { StringLike: { 'aws:PrincipalOrgID': '*' } })]);
    fails(f, `All grants everyone (in organization ${FOREIGN_ORG}) kms:*`);
  });
});

describe('key policies AWS would refuse are never read as compliant', () => {
  test.each([['111122223333abc'], [`xarn:aws:iam::${OWN}:root`], [`arn:aws:iam::${OWN}:rootx`]])('Error: Principal %s is no principal KMS accepts: neither an account nor its root', (p) => {
    errs(finding([all({ AWS: p })]), `cannot tell the principal type of "${p}"`);
  });
  test('Error: a Statement that is an object with a Ref and other keys is named as the key policy statements', () => {
    errs(finding([], undefined, () => ({ Version: '2012-10-17', Statement: { Ref: 'X', Effect: 'Allow' } })), 'cannot verify key policy statements: unresolved value {"Ref":"X","Effect":"Allow"}');
  });
  test('Error: a Principal.AWS that is an object with a Ref and other keys is named as the key policy Principal', () => {
    errs(finding([all({ AWS: { Ref: 'X', Foo: 'y' } })]), 'cannot verify key policy Principal: unresolved value {"Ref":"X","Foo":"y"}');
  });
});

describe('every kind of principal of the account is tried', () => {
  test('Noncompliance: kms:* to the account root for every principal but its roles and users: the root user and federated users remain', () => {
    const f = finding([all({ AWS: ROOT }, { ArnNotLike: { 'aws:PrincipalArn': [`arn:aws:iam::${OWN}:role/*`, `arn:aws:iam::${OWN}:user/*`] } })]);
    fails(f, `All grants account ${OWN} kms:*`);
  });
  test('Compliance: kms:* to the account root for tagged principals other than its roles, users and federated users: the root user has no tags', () => {
    const others = [`arn:aws:iam::${OWN}:role/*`, `arn:aws:iam::${OWN}:user/*`, `arn:aws:sts::${OWN}:federated-user/*`];
    expect(finding([all({ AWS: ROOT }, { ArnNotLike: { 'aws:PrincipalArn': others }, StringEquals: { 'aws:PrincipalTag/team': 'keys' } })]).status).toBe('PASS');
  });
  test('Noncompliance: kms:* to the account root for every principal but its roles, users and root user: federated users remain', () => {
    const f = finding([all({ AWS: ROOT }, { ArnNotLike: { 'aws:PrincipalArn': [`arn:aws:iam::${OWN}:role/*`, `arn:aws:iam::${OWN}:user/*`, ROOT] } })]);
    fails(f, `All grants account ${OWN} kms:*`);
  });
});
