import { App, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { evaluateScope } from '../../../lib/nag/evaluate';
import { rulesNamed } from '../../../lib/nag/rules';
import { expectRule, param } from '../helpers';

// Class "exclusions ignored": NotResources and Conditions of a backup selection narrow what it covers.

const rule = 'StatefulResourceBackedUp';
const TAG = { key: 'hardening:backup', value: 'required' };

/** A plan with one L1 selection; `selection` is merged into the BackupSelection property. */
function plan(s: Stack, selection: Partial<backup.CfnBackupSelection.BackupSelectionResourceTypeProperty>, id = 'Sel'): void {
  const p = new backup.CfnBackupPlan(s, `Plan${id}`, { backupPlan: { backupPlanName: 'p', backupPlanRule: [{ ruleName: 'r', targetBackupVault: 'v' }] } });
  new backup.CfnBackupSelection(s, id, {
    backupPlanId: p.ref,
    backupSelection: { selectionName: 's', iamRoleArn: 'arn:aws:iam::111111111111:role/backup', ...selection },
  });
}
const bucket = (s: Stack, tags: { key: string; value: string }[] = [TAG], id = 'B') => new s3.CfnBucket(s, id, { tags });

describe('NotResources', () => {
  test('Compliance 1: excluding another bucket leaves this one covered', () => {
    expectRule(rule, (s) => {
      bucket(s);
      const other = bucket(s, [], 'Other');
      plan(s, { resources: ['*'], notResources: [other.attrArn] });
    }, 'B', 'PASS');
  });
  test('Noncompliance 1: the bucket is selected by wildcard and excluded by ARN', () => {
    expectRule(rule, (s) => {
      const b = bucket(s);
      plan(s, { resources: ['*'], notResources: [b.attrArn] });
    }, 'B', 'FAIL');
  });
  test('Noncompliance 2: selected by tag, excluded by a wildcard over its service', () => {
    expectRule(rule, (s) => {
      bucket(s);
      plan(s, { listOfTags: [{ conditionType: 'STRINGEQUALS', conditionKey: TAG.key, conditionValue: TAG.value }], notResources: ['arn:aws:s3:::*'] });
    }, 'B', 'FAIL');
  });
  test('Compliance 2: excluded from one selection, selected by another', () => {
    expectRule(rule, (s) => {
      const b = bucket(s);
      plan(s, { resources: ['*'], notResources: [b.attrArn] }, 'Sel1');
      plan(s, { resources: [b.attrArn] }, 'Sel2');
    }, 'B', 'PASS');
  });
  test('Unresolved 1: an exclusion is a parameter', () => {
    expectRule(rule, (s) => {
      bucket(s);
      plan(s, { resources: ['*'], notResources: [param(s)] });
    }, 'B', 'ERROR');
  });
});

describe('Conditions', () => {
  // CfnBackupSelection passes Conditions through as JSON: CloudFormation's own casing.
  const tagKey = `aws:ResourceTag/${TAG.key}`;
  test('Compliance 1: StringEquals on the bucket\'s tag', () => {
    expectRule(rule, (s) => {
      bucket(s);
      plan(s, { resources: ['*'], conditions: { StringEquals: [{ ConditionKey: tagKey, ConditionValue: 'required' }] } });
    }, 'B', 'PASS');
  });
  test('Compliance 2: StringLike and StringNotEquals both hold (AND)', () => {
    expectRule(rule, (s) => {
      bucket(s, [TAG, { key: 'env', value: 'prod' }]);
      plan(s, {
        resources: ['*'],
        conditions: { StringLike: [{ ConditionKey: tagKey, ConditionValue: 'req*' }], StringNotEquals: [{ ConditionKey: 'aws:ResourceTag/env', ConditionValue: 'dev' }] },
      });
    }, 'B', 'PASS');
  });
  test('Noncompliance 1: StringNotEquals excludes the bucket\'s tag value', () => {
    expectRule(rule, (s) => {
      bucket(s);
      plan(s, { resources: ['*'], conditions: { StringNotEquals: [{ ConditionKey: tagKey, ConditionValue: 'required' }] } });
    }, 'B', 'FAIL');
  });
  test('Noncompliance 2: StringNotLike excludes it', () => {
    expectRule(rule, (s) => {
      bucket(s);
      plan(s, { listOfTags: [{ conditionType: 'STRINGEQUALS', conditionKey: TAG.key, conditionValue: TAG.value }], conditions: { StringNotLike: [{ ConditionKey: tagKey, ConditionValue: 'req*' }] } });
    }, 'B', 'FAIL');
  });
  test('Noncompliance 3: one of two conditions fails (AND, not OR)', () => {
    expectRule(rule, (s) => {
      bucket(s);
      plan(s, {
        resources: ['*'],
        conditions: { StringEquals: [{ ConditionKey: tagKey, ConditionValue: 'required' }, { ConditionKey: 'aws:ResourceTag/env', ConditionValue: 'prod' }] },
      });
    }, 'B', 'FAIL');
  });
  test('Noncompliance 4: a condition on a tag the bucket lacks never matches', () => {
    expectRule(rule, (s) => {
      bucket(s);
      plan(s, { resources: ['*'], conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/env', ConditionValue: 'prod' }] } });
    }, 'B', 'FAIL');
  });
  test('Unresolved 1: a condition value is a parameter', () => {
    expectRule(rule, (s) => {
      bucket(s);
      plan(s, { resources: ['*'], conditions: { StringEquals: [{ ConditionKey: tagKey, ConditionValue: param(s) }] } });
    }, 'B', 'ERROR');
  });
});

describe('scope', () => {
  test('Noncompliance 1: a selection in another region does not back this bucket up', () => {
    const app = new App();
    const a = new Stack(app, 'A', { env: { account: '111111111111', region: 'us-east-1' } });
    const b = new Stack(app, 'B', { env: { account: '111111111111', region: 'eu-west-1' } });
    bucket(a);
    plan(b, { resources: ['*'] });
    const f = evaluateScope(app, { rules: rulesNamed(rule) }).filter((x) => x.resource.id === 'A/B');
    expect(f.map((x) => x.status)).toEqual(['FAIL']);
  });
});
