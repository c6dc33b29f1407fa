import { MANAGED_POLICY_MAX_CHARS, PolicyDocumentJson, SCP_NAMES, boundaryValues, loadPolicy, minifiedLength, scpValues } from '../../lib/policies';
import { ACCOUNT, decide } from './simulate';

/**
 * Issue 10: the kill-chain steps of items 3, 5, 6, 7, 8, 9 and 11, tried against the permissions
 * boundary and the service control policies with the credentials the breach used. Every principal
 * holds AdministratorAccess, so the boundary or the SCPs are the only thing in the way; a hijacked
 * workload or human role session carries no MFA key (AssumeRole does not pass it on).
 */

const config = { stackPrefix: 'Hardening', breakGlassRoleName: 'BreakGlass', pipelineRoleName: 'cdk-hardening-pipeline-execution', allowedRegions: ['us-east-1'] };
const PATH = 'cdk-hardening/security-automation/';
const boundary = loadPolicy('iam/permissions-boundary', boundaryValues('aws', ACCOUNT, PATH, config));
const scps = SCP_NAMES.map((n) => loadPolicy(n, scpValues(config)));

const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const adminRole = role('Hardening-administrators');
const workload = role('app-task-role');
const pipeline = role(config.pipelineRoleName);
const breakGlass = role('BreakGlass');
const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const table = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/HardeningData-CustomerPiiTable-1A2B3C`;
const bucket = 'arn:aws:s3:::hardeningdata-customerpiibucket-1a2b3c';
const automationFn = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:HardeningIdentity-SecurityAutomation`;
const vault = `arn:aws:backup:us-east-1:${ACCOUNT}:backup-vault:Hardening-locked-vault`;
const plan = `arn:aws:backup:us-east-1:${ACCOUNT}:backup-plan:0f1e2d3c-aaaa-bbbb-cccc-1234567890ab`;
const cfnExec = role(`cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-us-east-1`);
const deployRole = role(`cdk-hnb659fds-deploy-role-${ACCOUNT}-us-east-1`);
const trailLogGroup = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:Hardening-security-cloudtrail`;
const archive = `arn:aws:s3:::hardening-security-archive-${ACCOUNT}`;
const alertTopic = `arn:aws:sns:us-east-1:${ACCOUNT}:Hardening-security-alerts`;

type Step = [item: string, action: string, resource: string, context: Record<string, string>];

/** Steps that must be denied to every bounded role and, under the SCPs, to everyone but the pipeline and break-glass. */
const STEPS: Step[] = [
  // 3. key takeover: rewrite the policy of the PII, log or vault key, or grant oneself Decrypt.
  ['3 key policy rewrite', 'kms:PutKeyPolicy', key, {}],
  ['3 key replicated to another region', 'kms:ReplicateKey', key, {}],
  ['3 grant giving Decrypt to oneself', 'kms:CreateGrant', key, {}],
  ['3 grant, explicitly not for an AWS resource', 'kms:CreateGrant', key, { 'kms:GrantIsForAWSResource': 'false' }],
  // 6. bulk exfiltration
  ['6 table exported to a foreign bucket', 'dynamodb:ExportTableToPointInTime', table, {}],
  ['6 table policy granting an outside account', 'dynamodb:PutResourcePolicy', table, {}],
  ['6 bucket policy granting an outside account', 's3:PutBucketPolicy', bucket, {}],
  ['6 data perimeter removed', 's3:DeleteBucketPolicy', bucket, {}],
  ['6 replication to a foreign bucket', 's3:PutReplicationConfiguration', bucket, {}],
  // 8. borrowing the security-automation exemption by replacing its code
  ['8 automation code replaced', 'lambda:UpdateFunctionCode', automationFn, {}],
  ['8 automation configuration changed', 'lambda:UpdateFunctionConfiguration', automationFn, {}],
  ['8 automation version published', 'lambda:PublishVersion', automationFn, {}],
  ['8 automation alias re-pointed', 'lambda:UpdateAlias', `${automationFn}:live`, {}],
  ['8 automation invoked with a crafted SDK call', 'lambda:InvokeFunction', automationFn, {}],
  // 9. backups stopped quietly
  ['9 backup plan deleted', 'backup:DeleteBackupPlan', plan, {}],
  ['9 backup plan shortened', 'backup:UpdateBackupPlan', plan, {}],
  ['9 backup selection deleted', 'backup:DeleteBackupSelection', plan, {}],
  ['9 vault lock removed', 'backup:DeleteBackupVaultLockConfiguration', vault, {}],
  ['9 vault lock shortened', 'backup:PutBackupVaultLockConfiguration', vault, {}],
  ['9 recovery point deleted', 'backup:DeleteRecoveryPoint', `arn:aws:backup:us-east-1:${ACCOUNT}:recovery-point:rp-1`, {}],
  ['9 recovery point lifecycle shortened', 'backup:UpdateRecoveryPointLifecycle', `arn:aws:backup:us-east-1:${ACCOUNT}:recovery-point:rp-1`, {}],
  ['9 vault access policy granting deletion', 'backup:PutBackupVaultAccessPolicy', vault, {}],
  ['9 resource types opted out', 'backup:UpdateRegionSettings', '*', {}],
  // 7. blinding detection (docs/killchain-protected-resources.md)
  ['7 trail log group deleted', 'logs:DeleteLogGroup', trailLogGroup, {}],
  ['7 trail log retention shortened', 'logs:PutRetentionPolicy', trailLogGroup, {}],
  ['7 metric filter deleted', 'logs:DeleteMetricFilter', trailLogGroup, {}],
  ['7 transformer rewrites events', 'logs:PutTransformer', trailLogGroup, {}],
  ['7 account-wide log policy', 'logs:PutAccountPolicy', '*', {}],
  ['7 heartbeat metric faked', 'cloudwatch:PutMetricData', '*', { 'cloudwatch:namespace': 'Hardening-security-metrics' }],
  // SNS authorizes subscription calls on the topic's ARN.
  ['7 subscription filtered to nothing', 'sns:SetSubscriptionAttributes', alertTopic, {}],
  ['7 alerts copied outside', 'sns:Subscribe', alertTopic, {}],
  ['7 archive bucket policy replaced', 's3:PutBucketPolicy', archive, {}],
  ['7 archive object lock shortened', 's3:PutBucketObjectLockConfiguration', archive, {}],
  ['7 log key alias re-pointed', 'kms:UpdateAlias', `arn:aws:kms:us-east-1:${ACCOUNT}:alias/hardening/logs`, {}],
];

/** Steps the boundary alone denies (the SCPs do not: the pipeline's CI must still reach the bootstrap roles). */
const BOUNDARY_ONLY: Step[] = [
  // 5. escalation through the CDK bootstrap and the pipeline
  ['5 pass CDK\'s execution role to CloudFormation', 'iam:PassRole', cfnExec, {}],
  ['5 assume CDK\'s deploy role', 'sts:AssumeRole', deployRole, {}],
  ['5 pass the pipeline execution role', 'iam:PassRole', pipeline, {}],
  ['5 assume break-glass', 'sts:AssumeRole', breakGlass, {}],
  ['5 a role session (MFA or not) chains into a human role', 'sts:AssumeRole', role('Hardening-administrators'), { 'aws:MultiFactorAuthPresent': 'true' }],
  ['9 PII object versions deleted (recovery inside the bucket)', 's3:DeleteObjectVersion', `${bucket}/customers.csv`, {}],
  ['7 archive object lock shortened', 's3:PutBucketObjectLockConfiguration', archive, {}],
];

describe('the permissions boundary caps every role of the app (hijacked workload, human role session)', () => {
  it.each([...STEPS, ...BOUNDARY_ONLY])('item %s: %s on %s is denied', async (_item, action, resource, context) => {
    for (const principal of [workload, adminRole]) {
      expect([principal, await decide({ principal, action, resource, context, boundary })]).toEqual([principal, 'ExplicitlyDenied']);
    }
  });

  it('keeps the security-automation roles (exempt from DenyIamChanges) under it: they can neither remove nor rewrite it, nor create a role or user without it', async () => {
    const automation = role(`${PATH}quarantine`);
    const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/Hardening-permissions-boundary`;
    const other = { 'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/attacker-boundary` };
    const escapes: [string, string, Record<string, string>][] = [
      ['iam:DeleteRolePermissionsBoundary', automation, { 'iam:PermissionsBoundary': boundaryArn }],
      ['iam:PutRolePermissionsBoundary', automation, other],
      ['iam:CreatePolicyVersion', boundaryArn, {}],
      ['iam:SetDefaultPolicyVersion', boundaryArn, {}],
      ['iam:CreateRole', role('unbounded'), {}],
      ['iam:CreateRole', role('unbounded'), other],
      ['iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/unbounded`, {}],
    ];
    for (const [action, resource, context] of escapes) {
      expect([action, context, await decide({ principal: automation, action, resource, context, boundary })]).toEqual([action, context, 'ExplicitlyDenied']);
    }
    // ...while the exemption still lets them quarantine a principal
    const quarantine = { principal: automation, action: 'iam:AttachRolePolicy', resource: workload, context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AWSDenyAll' }, boundary };
    expect(await decide(quarantine)).toBe('Allowed');
    expect(await decide({ ...quarantine, principal: adminRole })).toBe('ExplicitlyDenied');
  });

  it('still lets AWS services create grants for the resources they encrypt (DynamoDB, EBS, AWS Backup)', async () => {
    expect(await decide({ principal: workload, action: 'kms:CreateGrant', resource: key, context: { 'kms:GrantIsForAWSResource': 'true' }, boundary })).toBe('Allowed');
  });

  it('still lets workloads do their work: read data, write logs, invoke their own functions, pass their own roles', async () => {
    const rows: [string, string][] = [
      ['s3:GetObject', `${bucket}/k`],
      ['dynamodb:Query', table],
      ['logs:PutLogEvents', `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/app:log-stream:x`],
      ['lambda:InvokeFunction', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:app-handler`],
      ['lambda:UpdateFunctionCode', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:app-handler`],
      ['iam:PassRole', role('app-task-role')],
      ['sts:AssumeRole', role('app-reader')],
      ['cloudwatch:PutMetricData', '*'],
    ];
    for (const [action, resource] of rows) {
      expect([action, await decide({ principal: workload, action, resource, context: { 'cloudwatch:namespace': 'App' }, boundary })]).toEqual([action, 'Allowed']);
    }
  });

  it(`stays under the ${MANAGED_POLICY_MAX_CHARS}-character limit of a managed policy with the longest names`, () => {
    const worst = boundaryValues('aws-us-gov', ACCOUNT, PATH, { stackPrefix: 'H'.repeat(31), pipelineRoleName: 'P'.repeat(64), breakGlassRoleName: 'B'.repeat(64) });
    expect(minifiedLength(loadPolicy('iam/permissions-boundary', worst))).toBeLessThan(MANAGED_POLICY_MAX_CHARS);
  });
});

describe('the SCPs deny the steps to every principal of the account but the pipeline and break-glass (item 11)', () => {
  // An IAM user of a group or an Identity Center session: no boundary, only the SCPs.
  const member = `arn:aws:iam::${ACCOUNT}:user/alice`;
  // In the allowed region, so that the region guard is not what decides.
  const inRegion = { 'aws:RequestedRegion': 'us-east-1' };

  it.each(STEPS)('item %s: %s on %s is denied to a group member, allowed to the pipeline and to break-glass', async (_item, action, resource, stepContext) => {
    const context = { ...stepContext, ...inRegion };
    expect(await decide({ principal: member, action, resource, context, scps })).toBe('ExplicitlyDenied');
    expect(await decide({ principal: adminRole, action, resource, context, scps })).toBe('ExplicitlyDenied');
    expect(await decide({ principal: pipeline, action, resource, context, scps })).toBe('Allowed');
    expect(await decide({ principal: breakGlass, action, resource, context, scps })).toBe('Allowed');
  });

  it('lets the pipeline update the protected security pipeline, which a bounded role cannot (normal deploys without break-glass)', async () => {
    const rows: [string, string][] = [
      ['cloudtrail:UpdateTrail', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/Hardening-security-trail`],
      ['cloudtrail:PutEventSelectors', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/Hardening-security-trail`],
      ['events:PutRule', `arn:aws:events:us-east-1:${ACCOUNT}:rule/Hardening-security-root-sign-in`],
      ['cloudwatch:PutMetricAlarm', `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:Hardening-security-cis-4-3`],
      ['sns:SetTopicAttributes', alertTopic],
      ['guardduty:UpdateDetector', `arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/d1`],
      ['backup:UpdateBackupPlan', plan],
      ['kms:PutKeyPolicy', key],
    ];
    for (const [action, resource] of rows) {
      expect([action, await decide({ principal: pipeline, action, resource, scps, context: inRegion })]).toEqual([action, 'Allowed']);
      expect([action, await decide({ principal: adminRole, action, resource, scps, boundary, context: inRegion })]).toEqual([action, 'ExplicitlyDenied']);
    }
  });

  it('exempts the pipeline by its exact name, not a role whose name merely starts with it', async () => {
    expect(await decide({ principal: `${pipeline}-old`, action: 'kms:PutKeyPolicy', resource: key, scps, context: inRegion })).toBe('ExplicitlyDenied');
  });

  it('never exempts the pipeline from deleting keys or leaving the organization (break-glass only)', async () => {
    expect(await decide({ principal: pipeline, action: 'kms:ScheduleKeyDeletion', resource: key, scps, context: inRegion })).toBe('ExplicitlyDenied');
    expect(await decide({ principal: pipeline, action: 'organizations:LeaveOrganization', resource: '*', scps, context: inRegion })).toBe('ExplicitlyDenied');
    expect(await decide({ principal: breakGlass, action: 'kms:ScheduleKeyDeletion', resource: key, scps, context: inRegion })).toBe('Allowed');
  });

  it('each SCP is a deny-only document under the size limit', () => {
    for (const doc of scps as PolicyDocumentJson[]) expect(doc.Statement.every((s) => s.Effect === 'Deny')).toBe(true);
  });
});

describe('the pipeline execution role is least privilege and bounded (item 5)', () => {
  const values = { Partition: 'aws', AccountId: ACCOUNT, PipelineRoleName: config.pipelineRoleName, Qualifier: 'hnb659fds' };
  const execution = loadPolicy('iam/pipeline-execution', values);
  const pipelineBoundary = loadPolicy('iam/pipeline-boundary', values);
  const asPipeline = (action: string, resource: string, context: Record<string, string> = {}) =>
    decide({ principal: pipeline, action, resource, context, identityPolicies: [execution], boundary: pipelineBoundary });

  it('deploys the services the stacks use', async () => {
    expect(await asPipeline('kms:PutKeyPolicy', key)).toBe('Allowed');
    expect(await asPipeline('backup:UpdateBackupPlan', plan)).toBe('Allowed');
    expect(await asPipeline('iam:CreateRole', role('HardeningData-Fn'), { 'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/HardeningData-permissions-boundary` })).toBe('Allowed');
  });

  it('is not AdministratorAccess: services the stacks do not use are out of reach', async () => {
    expect(await asPipeline('rds:CreateDBInstance', `arn:aws:rds:us-east-1:${ACCOUNT}:db:x`)).toBe('ImplicitlyDenied');
    expect(await asPipeline('secretsmanager:GetSecretValue', `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:x`)).toBe('ImplicitlyDenied');
  });

  it('cannot create a role without the app\'s boundary, users or access keys, change itself, or assume roles', async () => {
    expect(await asPipeline('iam:CreateRole', role('escape'))).toBe('ExplicitlyDenied');
    expect(await asPipeline('iam:CreateRole', role('escape'), { 'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/AdministratorAccess` })).toBe('ExplicitlyDenied');
    expect(await asPipeline('iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/mallory`)).toBe('ExplicitlyDenied');
    expect(await asPipeline('iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/mallory`)).toBe('ExplicitlyDenied');
    expect(await asPipeline('iam:AttachRolePolicy', pipeline)).toBe('ExplicitlyDenied');
    expect(await asPipeline('iam:CreatePolicyVersion', `arn:aws:iam::${ACCOUNT}:policy/${config.pipelineRoleName}-execution`)).toBe('ExplicitlyDenied');
    expect(await asPipeline('sts:AssumeRole', breakGlass)).toBe('ExplicitlyDenied');
    expect(await asPipeline('cloudtrail:StopLogging', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/t`)).toBe('ExplicitlyDenied');
    expect(await asPipeline('backup:DeleteRecoveryPoint', `arn:aws:backup:us-east-1:${ACCOUNT}:recovery-point:rp-1`)).toBe('ExplicitlyDenied');
  });
});
