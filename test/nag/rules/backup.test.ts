import { App, CfnParameter, CfnResource, Duration, IResolvable, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Expected, describeMetadata, expectRule, findingsOf, param, paramValue } from '../helpers';

const lockedVault = (s: Stack) => new backup.BackupVault(s, 'Vault', { lockConfiguration: { minRetention: Duration.days(35), changeableFor: Duration.days(3) } });
const partitionKey = { name: 'pk', type: dynamodb.AttributeType.STRING };

/** The message an auditor reads on the rule's finding for one resource. */
const messageOf = (rule: string, build: (s: Stack) => void, path: string, status: Expected): string => expectRule(rule, build, path, status)!.message;

/** An L1 vault (logical id = `id`) with the given lock, or none. */
const cfnVault = (s: Stack, lockConfiguration?: backup.CfnBackupVault.LockConfigurationTypeProperty | IResolvable, id = 'Vault') =>
  new backup.CfnBackupVault(s, id, { backupVaultName: id.toLowerCase(), lockConfiguration });

/** An Aurora cluster with one member instance (logical ids C and I). */
function auroraMember(s: Stack): void {
  const c = new rds.CfnDBCluster(s, 'C', { engine: 'aurora-postgresql', masterUsername: 'admin', manageMasterUserPassword: true });
  new rds.CfnDBInstance(s, 'I', { engine: 'aurora-postgresql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: c.ref });
}

describe('BackupVaultLocked', () => {
  const rule = 'BackupVaultLocked';
  test('Compliance 1: L2 vault locked in compliance mode', () => {
    expectRule(rule, (s) => lockedVault(s), 'Vault/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 vault without a lock', () => {
    expectRule(rule, (s) => new backup.BackupVault(s, 'Vault'), 'Vault/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 vault locked in governance mode', () => {
    expectRule(rule, (s) => new backup.CfnBackupVault(s, 'Vault', { backupVaultName: 'v', lockConfiguration: { minRetentionDays: 7 } }), 'Vault', 'FAIL');
  });
  test('Compliance 2: a compliance-mode lock with a one-day minimum retention', () => {
    expectRule(rule, (s) => cfnVault(s, { minRetentionDays: 1, changeableForDays: 3 }), 'Vault', 'PASS');
  });
  test('Noncompliance 3: the FAIL says the vault has no lock', () => {
    expect(messageOf(rule, (s) => cfnVault(s), 'Vault', 'FAIL')).toContain('the vault has no lock');
  });
  test('Noncompliance 4: the FAIL says a governance-mode lock can be removed by administrators', () => {
    const m = messageOf(rule, (s) => cfnVault(s, { minRetentionDays: 7 }), 'Vault', 'FAIL');
    expect(m).toContain('governance mode (no ChangeableForDays)');
    expect(m).toContain('administrators can remove');
    expect(m).not.toContain('no minimum retention');
  });
  test('Noncompliance 5: a compliance-mode lock with a zero minimum retention fails, and says so', () => {
    const m = messageOf(rule, (s) => cfnVault(s, { minRetentionDays: 0, changeableForDays: 3 }), 'Vault', 'FAIL');
    expect(m).toContain('the lock sets no minimum retention');
    expect(m).not.toContain('governance');
  });
  test('Noncompliance 6: a compliance-mode lock without MinRetentionDays fails', () => {
    expectRule(rule, (s) => cfnVault(s, { minRetentionDays: 7, changeableForDays: 3 }).addPropertyDeletionOverride('LockConfiguration.MinRetentionDays'), 'Vault', 'FAIL');
  });
  test('Unresolved 1: the grace period is a parameter', () => {
    const m = messageOf(rule, (s) => cfnVault(s, { minRetentionDays: 7, changeableForDays: param(s) as unknown as number }), 'Vault', 'ERROR');
    expect(m).toContain('cannot verify ChangeableForDays');
  });
  test('Unresolved 2: the minimum retention is a parameter, and the ERROR names it', () => {
    const m = messageOf(rule, (s) => cfnVault(s, { minRetentionDays: param(s) as unknown as number, changeableForDays: 3 }), 'Vault', 'ERROR');
    expect(m).toContain('cannot verify MinRetentionDays');
  });
  test('Unresolved 3: the whole lock configuration is a parameter, and the ERROR names it', () => {
    const m = messageOf(rule, (s) => cfnVault(s, paramValue(s)), 'Vault', 'ERROR');
    expect(m).toContain('cannot verify LockConfiguration');
  });
});

describe('BackupPlanLockedVault', () => {
  const rule = 'BackupPlanLockedVault';
  test('Compliance 1: L2 plan writing to a locked vault', () => {
    expectRule(rule, (s) => backup.BackupPlan.daily35DayRetention(s, 'Plan', lockedVault(s)), 'Plan/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 plan writing to an unlocked vault', () => {
    expectRule(rule, (s) => backup.BackupPlan.daily35DayRetention(s, 'Plan', new backup.BackupVault(s, 'Vault')), 'Plan/Resource', 'FAIL');
  });
  test('Noncompliance 2: the FAIL names the plan rule and the unlocked vault it writes to, not the locked one', () => {
    const m = messageOf(rule, (s) => {
      const locked = cfnVault(s, { minRetentionDays: 35, changeableForDays: 3 }, 'LockedVault');
      const open = cfnVault(s, undefined, 'OpenVault');
      new backup.CfnBackupPlan(s, 'Plan', {
        backupPlan: {
          backupPlanName: 'p',
          backupPlanRule: [{ ruleName: 'monthly', targetBackupVault: locked.ref }, { ruleName: 'nightly', targetBackupVault: open.ref }],
        },
      });
    }, 'Plan', 'FAIL');
    expect(m).toContain('rule nightly targets vault OpenVault, which is not locked in compliance mode');
    expect(m).not.toContain('monthly');
  });
  test('Compliance 2: a plan resource without a plan body has no rule writing to an unlocked vault', () => {
    expectRule(rule, (s) => new CfnResource(s, 'Plan', { type: 'AWS::Backup::BackupPlan' }), 'Plan', 'PASS');
  });
  test('Unresolved 1: the vault is a parameter', () => {
    const m = messageOf(rule, (s) => new backup.CfnBackupPlan(s, 'Plan', { backupPlan: { backupPlanName: 'p', backupPlanRule: [{ ruleName: 'r', targetBackupVault: param(s) }] } }), 'Plan', 'ERROR');
    expect(m).toContain('cannot verify the target backup vault');
  });
  test('Unresolved 2: the vault is made by a custom resource, not a vault of the app', () => {
    const m = messageOf(rule, (s) => {
      const maker = new CfnResource(s, 'VaultMaker', { type: 'Custom::VaultMaker' });
      new backup.CfnBackupPlan(s, 'Plan', { backupPlan: { backupPlanName: 'p', backupPlanRule: [{ ruleName: 'r', targetBackupVault: maker.getAtt('VaultName').toString() }] } });
    }, 'Plan', 'ERROR');
    expect(m).toContain('cannot verify the target backup vault');
  });
  test('Unresolved 3: the plan body is a parameter, and the ERROR names it', () => {
    const m = messageOf(rule, (s) => new backup.CfnBackupPlan(s, 'Plan', { backupPlan: paramValue(s) }), 'Plan', 'ERROR');
    expect(m).toContain('cannot verify BackupPlan');
  });
  test('Unresolved 4: the list of plan rules is a parameter, and the ERROR names it', () => {
    const m = messageOf(rule, (s) => new backup.CfnBackupPlan(s, 'Plan', { backupPlan: { backupPlanName: 'p', backupPlanRule: paramValue(s) } }), 'Plan', 'ERROR');
    expect(m).toContain('cannot verify BackupPlanRule');
  });
  test('Unresolved 5: one plan rule is a parameter, and the ERROR names it', () => {
    const m = messageOf(rule, (s) => new backup.CfnBackupPlan(s, 'Plan', { backupPlan: { backupPlanName: 'p', backupPlanRule: [paramValue(s)] } }), 'Plan', 'ERROR');
    expect(m).toContain('cannot verify backup rule');
  });
});

describe('StatefulResourceBackedUp', () => {
  const rule = 'StatefulResourceBackedUp';
  test('Compliance 1: L2 table selected by construct', () => {
    expectRule(rule, (s) => {
      const t = new dynamodb.Table(s, 'T', { partitionKey });
      backup.BackupPlan.daily35DayRetention(s, 'Plan', lockedVault(s)).addSelection('Sel', { resources: [backup.BackupResource.fromDynamoDbTable(t)] });
    }, 'T/Resource', 'PASS');
  });
  test('Compliance 2: L1 bucket selected by tag', () => {
    expectRule(rule, (s) => {
      new s3.CfnBucket(s, 'B', { tags: [{ key: 'hardening:backup', value: 'required' }] });
      backup.BackupPlan.daily35DayRetention(s, 'Plan', lockedVault(s)).addSelection('Sel', { resources: [backup.BackupResource.fromTag('hardening:backup', 'required')] });
    }, 'B', 'PASS');
  });
  test('Noncompliance 1: L2 table outside every selection', () => {
    expectRule(rule, (s) => new dynamodb.Table(s, 'T', { partitionKey }), 'T/Resource', 'FAIL');
  });
  test('Unresolved 1: a selection resource is a parameter', () => {
    expectRule(rule, (s) => {
      new dynamodb.Table(s, 'T', { partitionKey });
      backup.BackupPlan.daily35DayRetention(s, 'Plan', lockedVault(s)).addSelection('Sel', { resources: [backup.BackupResource.fromArn(param(s))] });
    }, 'T/Resource', 'ERROR');
  });
});

describe('StatefulResourceBackedUp: what a selection covers', () => {
  const rule = 'StatefulResourceBackedUp';
  const TAG = { key: 'hardening:backup', value: 'required' };
  const tagKey = `aws:ResourceTag/${TAG.key}`;
  const byTag = { listOfTags: [{ conditionType: 'STRINGEQUALS', conditionKey: TAG.key, conditionValue: TAG.value }] };
  type Selection = backup.CfnBackupSelection.BackupSelectionResourceTypeProperty;
  /** A plan with one L1 selection (path `id`); `selection` is merged into its BackupSelection property. */
  const selection = (s: Stack, extra: Partial<Selection> | IResolvable, id = 'Sel'): backup.CfnBackupSelection => {
    const p = new backup.CfnBackupPlan(s, `Plan${id}`, { backupPlan: { backupPlanName: 'p', backupPlanRule: [{ ruleName: 'r', targetBackupVault: 'v' }] } });
    const base = { selectionName: 's', iamRoleArn: 'arn:aws:iam::111111111111:role/backup' };
    return new backup.CfnBackupSelection(s, id, { backupPlanId: p.ref, backupSelection: 'resolve' in extra ? extra : { ...base, ...extra } });
  };
  const bucket = (s: Stack, tags: { key: string; value: string }[] = [TAG], id = 'B') => new s3.CfnBucket(s, id, { tags });
  const listParam = (s: Stack, id = 'L') => new CfnParameter(s, id, { type: 'CommaDelimitedList' }).valueAsList;
  /** The bucket B (tagged) under one selection with these Conditions. */
  const withConditions = (conditions: unknown, tags = [TAG]) => (s: Stack) => { bucket(s, tags); selection(s, { resources: ['*'], conditions }); };
  const error = (build: (s: Stack) => void, path = 'B') => messageOf(rule, build, path, 'ERROR');

  describe('Resources and NotResources', () => {
    test('Noncompliance 1: a literal ARN of another bucket does not select this one', () => {
      expectRule(rule, (s) => { bucket(s); selection(s, { resources: ['arn:aws:s3:::some-other-bucket'] }); }, 'B', 'FAIL');
    });
    test('Noncompliance 2: a wildcard ARN over DynamoDB tables does not select a bucket', () => {
      expectRule(rule, (s) => { bucket(s); selection(s, { resources: ['arn:aws:dynamodb:*:*:table/*'] }); }, 'B', 'FAIL');
    });
    test('Compliance 1: a wildcard ARN over S3 selects the bucket', () => {
      expectRule(rule, (s) => { bucket(s); selection(s, { resources: ['arn:aws:s3:::*'] }); }, 'B', 'PASS');
    });
    // A wildcard ARN selects what it matches (AWS Backup matches the whole ARN), not every resource of its service.
    const named = (s: Stack) => {
      new s3.CfnBucket(s, 'B', { bucketName: 'customer-data' });
      new dynamodb.CfnTable(s, 'T', { tableName: 'customers', keySchema: [{ attributeName: 'pk', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }] });
    };
    test('Noncompliance 3: a wildcard ARN over other bucket names does not select this bucket', () => {
      expectRule(rule, (s) => { named(s); selection(s, { resources: ['arn:aws:s3:::logs-*'] }); }, 'B', 'FAIL');
    });
    test('Noncompliance 4: a wildcard ARN over other table names does not select this table', () => {
      expectRule(rule, (s) => { named(s); selection(s, { resources: ['arn:aws:dynamodb:*:*:table/orders-*'] }); }, 'T', 'FAIL');
    });
    test('Noncompliance 5: a wildcard ARN over the tables of another region does not select this table', () => {
      expectRule(rule, (s) => { named(s); selection(s, { resources: ['arn:aws:dynamodb:eu-west-1:*:table/*'] }); }, 'T', 'FAIL');
    });
    test('Compliance 2: a wildcard ARN matching the names selects the bucket and the table', () => {
      expectRule(rule, (s) => { named(s); selection(s, { resources: ['arn:aws:s3:::customer-*', 'arn:aws:dynamodb:us-east-1:*:table/cust*'] }); }, 'B', 'PASS');
      expectRule(rule, (s) => { named(s); selection(s, { resources: ['arn:aws:s3:::customer-*', 'arn:aws:dynamodb:us-east-1:*:table/cust*'] }); }, 'T', 'PASS');
    });
    test('Compliance 3: the literal ARN of the named bucket selects it', () => {
      expectRule(rule, (s) => { named(s); selection(s, { resources: ['arn:aws:s3:::customer-data'] }); }, 'B', 'PASS');
    });
    test('Compliance 4: an exclusion by wildcard over other bucket names leaves this bucket covered', () => {
      expectRule(rule, (s) => { named(s); selection(s, { resources: ['*'], notResources: ['arn:aws:s3:::tmp-*'] }); }, 'B', 'PASS');
    });
    test('Compliance 5: RDS and EBS wildcards (RDS identifiers are lower case in ARNs)', () => {
      expectRule(rule, (s) => {
        new rds.CfnDBInstance(s, 'I', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', allocatedStorage: '20', dbInstanceIdentifier: 'OrdersDb' });
        selection(s, { resources: ['arn:aws:rds:us-east-1:*:db:orders*'] });
      }, 'I', 'PASS');
      expectRule(rule, (s) => { new ec2.CfnVolume(s, 'V', { availabilityZone: 'us-east-1a', size: 10 }); selection(s, { resources: ['arn:aws:ec2:*:*:volume/*'] }); }, 'V', 'PASS');
    });
    test('Compliance 6: Aurora cluster, global table and EFS wildcards; a pattern for the cluster\'s instances does not select the cluster', () => {
      const build = (resources: string[]) => (s: Stack) => {
        new rds.CfnDBCluster(s, 'C', { engine: 'aurora-postgresql', dbClusterIdentifier: 'Orders', masterUsername: 'admin', manageMasterUserPassword: true });
        new dynamodb.CfnGlobalTable(s, 'G', { tableName: 'events', keySchema: [{ attributeName: 'pk', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }], replicas: [{ region: 'us-east-1' }] });
        new efs.CfnFileSystem(s, 'FS');
        selection(s, { resources });
      };
      const all = build(['arn:aws:rds:*:*:cluster:orders', 'arn:aws:dynamodb:*:*:table/ev*', 'arn:aws:elasticfilesystem:*:*:file-system/*']);
      for (const id of ['C', 'G', 'FS']) expectRule(rule, all, id, 'PASS');
      expectRule(rule, build(['arn:aws:rds:*:*:db:*']), 'C', 'FAIL');
    });
    test('Noncompliance 6: in a China region the ARN partition is aws-cn', () => {
      const inChina = (resources: string[]) => (s: Stack) => {
        const cn = new Stack(s.node.root as App, 'Cn', { env: { account: '111111111111', region: 'cn-north-1' } });
        new s3.CfnBucket(cn, 'B', { bucketName: 'customer-data' });
        selection(cn, { resources });
      };
      expectRule(rule, inChina(['arn:aws:s3:::*']), 'B', 'FAIL');
      expectRule(rule, inChina(['arn:aws-cn:s3:::*']), 'B', 'PASS');
    });
    test('Unresolved 0: a wildcard over some bucket names cannot be matched against a generated name', () => {
      const m = error((s) => { bucket(s); selection(s, { resources: ['arn:aws:s3:::logs-*'] }); });
      expect(m).toContain('cannot verify the backup selection Resources entry arn:aws:s3:::logs-*: the ARN of the resource (arn:aws:s3:::?) is not known in full');
    });
    test('Unresolved 1: the ERROR names the Resources entry it cannot read', () => {
      expect(error((s) => { bucket(s); selection(s, { resources: [param(s)] }); })).toContain('cannot verify the backup selection Resources entry');
    });
    test('Unresolved 2: the ERROR names the NotResources entry it cannot read', () => {
      expect(error((s) => { bucket(s); selection(s, { resources: ['*'], notResources: [param(s)] }); })).toContain('cannot verify the backup selection NotResources entry');
    });
    test('Unresolved 3: the whole Resources list is a parameter, and the ERROR names it', () => {
      expect(error((s) => { bucket(s); selection(s, { resources: listParam(s) }); })).toContain('cannot verify Resources:');
    });
    test('Unresolved 4: the whole NotResources list is a parameter, and the ERROR names it', () => {
      expect(error((s) => { bucket(s); selection(s, { resources: ['*'], notResources: listParam(s) }); })).toContain('cannot verify NotResources:');
    });
    test('Unresolved 5: the whole BackupSelection is a parameter, and the ERROR names it', () => {
      expect(error((s) => { bucket(s); selection(s, paramValue(s)); })).toContain('cannot verify BackupSelection:');
    });
  });

  describe('several selections', () => {
    test('Compliance 1: an unreadable selection does not hide another that covers the bucket', () => {
      expectRule(rule, (s) => {
        const b = bucket(s);
        selection(s, paramValue(s), 'Sel1');
        selection(s, { resources: [b.attrArn] }, 'Sel2');
      }, 'B', 'PASS');
    });
    test('Compliance 2: a selection whose condition cannot be read does not hide another that covers the bucket', () => {
      expectRule(rule, (s) => {
        const b = bucket(s);
        selection(s, { resources: ['*'], conditions: { StringEquals: [{ ConditionKey: tagKey, ConditionValue: param(s) }] } }, 'Sel1');
        selection(s, { resources: [b.attrArn] }, 'Sel2');
      }, 'B', 'PASS');
    });
    test('Unresolved 1: a selection that does not cover the bucket does not hide one that cannot be verified', () => {
      expectRule(rule, (s) => {
        bucket(s);
        selection(s, { resources: ['arn:aws:s3:::some-other-bucket'] }, 'Sel1');
        selection(s, { resources: ['*'], notResources: [param(s)] }, 'Sel2');
      }, 'B', 'ERROR');
    });
    test('Noncompliance 1: a tag selection covers the tagged bucket, not the untagged one beside it', () => {
      const f = findingsOf(rule, (s) => { bucket(s, [TAG], 'Tagged'); bucket(s, [], 'Untagged'); selection(s, byTag); });
      expect(f.map((x) => `${x.resource.id} ${x.status}`).sort()).toEqual(['S/Tagged PASS', 'S/Untagged FAIL']);
    });
  });

  describe('errors that are not unresolved values', () => {
    // A value whose rendering throws (a construct validating at synthesis) is not "cannot verify":
    // the rule fails closed with the error, as every rule does.
    const failing = () => Lazy.string({ produce: () => { throw new Error('the selection name is not set'); } });
    const bucketFinding = (build: (s: Stack) => void) => findingsOf(rule, build).filter((f) => f.resource.id === 'S/B').map((f) => `${f.status} ${f.message}`);
    test('a selection CDK cannot render: ERROR "rule failed" naming the error', () => {
      const f = bucketFinding((s) => { bucket(s); selection(s, { ...byTag, selectionName: failing() }); });
      expect(f).toEqual([expect.stringMatching(/^ERROR .*\(rule failed: .*the selection name is not set/)]);
    });
    test('a selection that does not select the bucket: its exclusions are not read, so a bucket name CDK cannot render does not hide the FAIL', () => {
      const f = findingsOf(rule, (s) => {
        const other = bucket(s, [], 'Other');
        new s3.CfnBucket(s, 'B', { bucketName: failing() });
        selection(s, { resources: [other.attrArn], notResources: ['arn:aws:s3:::tmp-*'] });
      });
      expect(f.filter((x) => x.resource.id === 'S/B').map((x) => x.status)).toEqual(['FAIL']);
    });
    test('a bucket tag CDK cannot render: ERROR "rule failed" naming the error', () => {
      const f = bucketFinding((s) => { bucket(s, [{ key: 'owner', value: failing() }]); selection(s, byTag); });
      expect(f).toEqual([expect.stringMatching(/^ERROR .*\(rule failed: .*the selection name is not set/)]);
    });
  });

  describe('ListOfTags', () => {
    test('Compliance 1: an EFS file system carries its tags in FileSystemTags', () => {
      expectRule(rule, (s) => { new efs.CfnFileSystem(s, 'FS', { fileSystemTags: [TAG] }); selection(s, byTag); }, 'FS', 'PASS');
    });
    test('Noncompliance 1: the bucket carries the tag key with another value', () => {
      expectRule(rule, (s) => { bucket(s, [{ key: TAG.key, value: 'optional' }]); selection(s, byTag); }, 'B', 'FAIL');
    });
    test('Noncompliance 2: a condition type other than STRINGEQUALS selects nothing', () => {
      expectRule(rule, (s) => { bucket(s); selection(s, { listOfTags: [{ conditionType: 'STRINGLIKE', conditionKey: TAG.key, conditionValue: TAG.value }] }); }, 'B', 'FAIL');
    });
    test('Noncompliance 3: an entry without a value does not select a bucket without the tag', () => {
      expectRule(rule, (s) => {
        bucket(s, []);
        selection(s, byTag).addPropertyDeletionOverride('BackupSelection.ListOfTags.0.ConditionValue');
      }, 'B', 'FAIL');
    });
    test('Unresolved 1: the bucket\'s Tags are a parameter, and the ERROR names them', () => {
      expect(error((s) => { bucket(s).addPropertyOverride('Tags', { Ref: new CfnParameter(s, 'T').logicalId }); selection(s, byTag); })).toContain('cannot verify Tags:');
    });
    test('Unresolved 2: one tag of the bucket is a parameter, and the ERROR says a tag cannot be read', () => {
      expect(error((s) => { bucket(s).addPropertyOverride('Tags', [{ Ref: new CfnParameter(s, 'T').logicalId }]); selection(s, byTag); })).toContain('cannot verify tag:');
    });
    test('Unresolved 3: the ERROR names ListOfTags when the list is a parameter', () => {
      expect(error((s) => { bucket(s); selection(s, { listOfTags: paramValue(s) }); })).toContain('cannot verify ListOfTags:');
    });
    test('Unresolved 4: the ERROR names the ListOfTags entry that is a parameter', () => {
      expect(error((s) => { bucket(s); selection(s, { listOfTags: [paramValue(s)] }); })).toContain('cannot verify ListOfTags entry:');
    });
    test('Unresolved 5: the ERROR names a ConditionType that is a parameter', () => {
      expect(error((s) => { bucket(s); selection(s, { listOfTags: [{ conditionType: param(s), conditionKey: TAG.key, conditionValue: TAG.value }] }); })).toContain('cannot verify ConditionType:');
    });
    test('Unresolved 6: the ERROR names a ConditionKey that is a parameter', () => {
      expect(error((s) => { bucket(s); selection(s, { listOfTags: [{ conditionType: 'STRINGEQUALS', conditionKey: param(s), conditionValue: TAG.value }] }); })).toContain('cannot verify ConditionKey:');
    });
    test('Unresolved 7: the ERROR names a ConditionValue that is a parameter', () => {
      expect(error((s) => { bucket(s); selection(s, { listOfTags: [{ conditionType: 'STRINGEQUALS', conditionKey: TAG.key, conditionValue: param(s) }] }); })).toContain('cannot verify ConditionValue:');
    });
  });

  describe('Conditions', () => {
    test('Noncompliance 1: StringEquals on a tag the bucket carries with another value', () => {
      expectRule(rule, withConditions({ StringEquals: [{ ConditionKey: 'aws:ResourceTag/env', ConditionValue: 'prod' }] }, [TAG, { key: 'env', value: 'dev' }]), 'B', 'FAIL');
    });
    test('Noncompliance 2: StringNotEquals on a tag the bucket does not carry does not hold (an absent tag never counts)', () => {
      expectRule(rule, withConditions({ StringNotEquals: [{ ConditionKey: 'aws:ResourceTag/env', ConditionValue: 'dev' }] }), 'B', 'FAIL');
    });
    test('Noncompliance 3: StringLike with a pattern the tag value does not match', () => {
      expectRule(rule, withConditions({ StringLike: [{ ConditionKey: tagKey, ConditionValue: 'prod*' }] }), 'B', 'FAIL');
    });
    test('Compliance 1: StringLike ? matches exactly one character', () => {
      expectRule(rule, withConditions({ StringLike: [{ ConditionKey: tagKey, ConditionValue: 're?uired' }] }), 'B', 'PASS');
    });
    test('Noncompliance 4: StringLike ? does not match zero characters', () => {
      expectRule(rule, withConditions({ StringLike: [{ ConditionKey: tagKey, ConditionValue: 'req?uired' }] }), 'B', 'FAIL');
    });
    test('Compliance 2: StringLike matches a value holding regular-expression characters literally', () => {
      expectRule(rule, withConditions({ StringLike: [{ ConditionKey: 'aws:ResourceTag/version', ConditionValue: 'v1.2+(a)*' }] }, [TAG, { key: 'version', value: 'v1.2+(a)-rc' }]), 'B', 'PASS');
    });
    test('Noncompliance 5: StringLike "." is a dot, not any character', () => {
      expectRule(rule, withConditions({ StringLike: [{ ConditionKey: 'aws:ResourceTag/version', ConditionValue: 'v1.2' }] }, [TAG, { key: 'version', value: 'v1x2' }]), 'B', 'FAIL');
    });
    // AWS tag keys and values may hold Unicode separators (\p{Z} in their documented pattern), U+2028 LINE SEPARATOR included.
    test('Compliance 3: StringLike * matches every character of a tag value, a line separator included', () => {
      expectRule(rule, withConditions({ StringLike: [{ ConditionKey: 'aws:ResourceTag/note', ConditionValue: 'keep*' }] }, [TAG, { key: 'note', value: 'keep\u2028forever' }]), 'B', 'PASS');
    });
    test('Never PASS: a condition key holding a line separator names that whole tag, not the tag before the separator', () => {
      const f = findingsOf(rule, withConditions({ StringEquals: [{ ConditionKey: 'aws:ResourceTag/env\u2028x', ConditionValue: 'prod' }] }, [TAG, { key: 'env', value: 'prod' }]));
      expect(f.filter((x) => x.resource.id === 'S/B').map((x) => x.status)).toEqual([expect.stringMatching(/^(FAIL|ERROR)$/)]);
    });
    test('Unresolved 1: an operator AWS Backup does not define cannot be verified, and the ERROR names it', () => {
      expect(error(withConditions({ StringEqualsIgnoreCase: [{ ConditionKey: tagKey, ConditionValue: 'required' }] }))).toContain('condition operator StringEqualsIgnoreCase');
    });
    test('Unresolved 2: a key that is not a resource tag cannot be verified, and the ERROR names it', () => {
      expect(error(withConditions({ StringEquals: [{ ConditionKey: 'aws:PrincipalTag/team', ConditionValue: 'data' }] }))).toContain('condition key aws:PrincipalTag/team');
    });
    test('Unresolved 3: only a key that starts with aws:ResourceTag/ names a resource tag', () => {
      expect(error(withConditions({ StringEquals: [{ ConditionKey: `myorg:${tagKey}`, ConditionValue: 'required' }] }))).toContain(`condition key myorg:${tagKey}`);
    });
    test('Unresolved 4: the ERROR names Conditions when they are a parameter', () => {
      expect(error((s) => { bucket(s); selection(s, { resources: ['*'], conditions: paramValue(s) }); })).toContain('cannot verify backup selection Conditions:');
    });
    test('Unresolved 5: the ERROR names the operator whose list is a parameter', () => {
      expect(error((s) => { bucket(s); selection(s, { resources: ['*'], conditions: { StringEquals: paramValue(s) } }); })).toContain('cannot verify Conditions StringEquals:');
    });
    test('Unresolved 6: the ERROR names the operator whose entry is a parameter', () => {
      expect(error((s) => { bucket(s); selection(s, { resources: ['*'], conditions: { StringLike: [paramValue(s)] } }); })).toContain('cannot verify Conditions StringLike entry:');
    });
    test('Unresolved 7: the ERROR names a ConditionKey that is a parameter', () => {
      expect(error((s) => { bucket(s); selection(s, { resources: ['*'], conditions: { StringEquals: [{ ConditionKey: param(s), ConditionValue: 'required' }] } }); })).toContain('cannot verify ConditionKey:');
    });
    test('Unresolved 8: the ERROR names a ConditionValue that is a parameter', () => {
      expect(error((s) => { bucket(s); selection(s, { resources: ['*'], conditions: { StringEquals: [{ ConditionKey: tagKey, ConditionValue: param(s) }] } }); })).toContain('cannot verify ConditionValue:');
    });
  });

  describe('account and region', () => {
    /** A second stack of the app with a literal account: whether it is the bucket's (no account) cannot be known. */
    const otherAccountStack = (s: Stack) => new Stack(s.node.root as App, 'Other', { env: { account: '111111111111', region: 'us-east-1' } });
    test('Unresolved 1: a selection that covers the bucket from a stack that may be in another account; the ERROR names both environments', () => {
      const m = error((s) => { const b = bucket(s); selection(otherAccountStack(s), { resources: [b.attrArn] }); });
      expect(m).toContain('backup selection Other/Sel (111111111111/us-east-1) is in the account and region of the resource (${AWS::AccountId}/us-east-1)');
    });
    test('Noncompliance 1: a selection that does not cover the bucket fails, wherever it is', () => {
      expectRule(rule, (s) => { bucket(s); selection(otherAccountStack(s), { resources: ['arn:aws:s3:::some-other-bucket'] }); }, 'B', 'FAIL');
    });
    test('Noncompliance 2: a selection of every resource whose condition excludes the bucket fails, wherever it is', () => {
      expectRule(rule, (s) => {
        bucket(s);
        selection(otherAccountStack(s), { resources: ['*'], conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/env', ConditionValue: 'prod' }] } });
      }, 'B', 'FAIL');
    });
  });

  test('N/A: an Aurora member instance (the cluster is backed up); a standalone instance is judged', () => {
    expectRule(rule, auroraMember, 'I', 'N/A');
    expectRule(rule, (s) => new rds.CfnDBInstance(s, 'I', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', allocatedStorage: '20' }), 'I', 'FAIL');
  });
});

describe('StatefulResourceRetained', () => {
  const rule = 'StatefulResourceRetained';
  test('Compliance 1: L2 bucket retained (the default)', () => {
    expectRule(rule, (s) => new s3.Bucket(s, 'B'), 'B/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 table destroyed with the stack', () => {
    expectRule(rule, (s) => new dynamodb.Table(s, 'T', { partitionKey, removalPolicy: RemovalPolicy.DESTROY }), 'T/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 bucket with no deletion policy', () => {
    expectRule(rule, (s) => new s3.CfnBucket(s, 'B'), 'B', 'FAIL');
  });
  test('Noncompliance 3: Snapshot is not retention for a bucket', () => {
    expectRule(rule, (s) => new s3.Bucket(s, 'B', { removalPolicy: RemovalPolicy.SNAPSHOT }), 'B/Resource', 'FAIL');
  });
  test('Noncompliance 4: the FAIL says there is no DeletionPolicy and what that costs', () => {
    expect(messageOf(rule, (s) => new s3.CfnBucket(s, 'B'), 'B', 'FAIL')).toContain('no DeletionPolicy: CloudFormation deletes the data with the stack');
  });
  test('Noncompliance 5: the FAIL names the DeletionPolicy that loses the data', () => {
    expect(messageOf(rule, (s) => new s3.Bucket(s, 'B', { removalPolicy: RemovalPolicy.DESTROY }), 'B/Resource', 'FAIL')).toContain('DeletionPolicy Delete loses the data');
  });
  test('N/A: an Aurora member instance (its cluster holds the data); a standalone instance is judged', () => {
    expectRule(rule, auroraMember, 'I', 'N/A');
    expectRule(rule, (s) => new rds.CfnDBInstance(s, 'I', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', allocatedStorage: '20' }), 'I', 'FAIL');
  });
  test('Unresolved 1: a DeletionPolicy overridden with a parameter', () => {
    const m = messageOf(rule, (s) => new s3.CfnBucket(s, 'B').addOverride('DeletionPolicy', param(s)), 'B', 'ERROR');
    expect(m).toContain('cannot verify DeletionPolicy');
  });
});

describe('what users read of the backup rules', () => {
  describeMetadata('BackupVaultLocked', 'BackupPlanLockedVault', 'StatefulResourceBackedUp', 'StatefulResourceRetained');
});

describe('StatefulResourceBackedUp: which ARNs a wildcard selection covers', () => {
  const rule = 'StatefulResourceBackedUp';
  /** A plan with one L1 selection (path `Sel`) of these Resources (and NotResources). */
  const selecting = (s: Stack, resources: string[], notResources?: string[]) => {
    const p = new backup.CfnBackupPlan(s, 'Plan', { backupPlan: { backupPlanName: 'p', backupPlanRule: [{ ruleName: 'r', targetBackupVault: 'v' }] } });
    new backup.CfnBackupSelection(s, 'Sel', {
      backupPlanId: p.ref,
      backupSelection: { selectionName: 's', iamRoleArn: 'arn:aws:iam::111111111111:role/backup', resources, notResources },
    });
  };
  const keySchema = [{ attributeName: 'pk', keyType: 'HASH' }];
  const attributeDefinitions = [{ attributeName: 'pk', attributeType: 'S' }];
  const namedBucket = (s: Stack) => new s3.CfnBucket(s, 'B', { bucketName: 'customer-data' });
  /** A table named `orders` in us-east-1, in a stack whose account is not known. */
  const ordersTable = (s: Stack) => new dynamodb.CfnTable(s, 'T', { tableName: 'orders', keySchema, attributeDefinitions });
  const status = (build: (s: Stack) => void, path: string) => findingsOf(rule, build).filter((f) => f.resource.id === `S/${path}`).map((f) => f.status);
  const cannotVerify = (entry: string, arn: string) => `cannot verify the backup selection Resources entry ${entry}: the ARN of the resource (${arn}) is not known in full`;

  test('Compliance 1: a global table is selected by a table ARN pattern alone', () => {
    expectRule(rule, (s) => {
      new dynamodb.CfnGlobalTable(s, 'G', { tableName: 'events', keySchema, attributeDefinitions, replicas: [{ region: 'us-east-1' }] });
      selecting(s, ['arn:aws:dynamodb:*:*:table/events']);
    }, 'G', 'PASS');
  });
  test('Compliance 2: an Aurora cluster is selected by a cluster ARN pattern alone', () => {
    expectRule(rule, (s) => {
      new rds.CfnDBCluster(s, 'C', { engine: 'aurora-postgresql', dbClusterIdentifier: 'Orders', masterUsername: 'admin', manageMasterUserPassword: true });
      selecting(s, ['arn:aws:rds:*:*:cluster:orders']);
    }, 'C', 'PASS');
  });
  test('Compliance 3: a DB instance with a generated identifier is selected by a pattern over every DB instance', () => {
    expectRule(rule, (s) => {
      new rds.CfnDBInstance(s, 'I', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', allocatedStorage: '20' });
      selecting(s, ['arn:aws:rds:*:*:db:*']);
    }, 'I', 'PASS');
  });
  test('Noncompliance 1: the ARN of a bucket whose name it merely starts (customer for customer-data) does not select it', () => {
    expectRule(rule, (s) => { namedBucket(s); selecting(s, ['arn:aws:s3:::customer']); }, 'B', 'FAIL');
  });
  test('Noncompliance 2: a pattern over objects (arn:aws:s3:::*/*) selects no bucket, even one whose name is generated', () => {
    expectRule(rule, (s) => { new s3.CfnBucket(s, 'B'); selecting(s, ['arn:aws:s3:::*/*']); }, 'B', 'FAIL');
  });
  test('Noncompliance 3: a pattern that ends before the bucket name does (arn:aws:*:::cust) does not select customer-data', () => {
    expectRule(rule, (s) => { namedBucket(s); selecting(s, ['arn:aws:*:::cust']); }, 'B', 'FAIL');
  });
  test('Noncompliance 4: an S3 pattern selects no table', () => {
    expectRule(rule, (s) => { ordersTable(s); selecting(s, ['arn:aws:s3:::*']); }, 'T', 'FAIL');
  });
  test('Noncompliance 5: a pattern that stops at the account (arn:aws:dynamodb:*:1234) selects no table', () => {
    expectRule(rule, (s) => { ordersTable(s); selecting(s, ['arn:aws:dynamodb:*:1234']); }, 'T', 'FAIL');
  });
  test('Unresolved 1: a pattern naming one account cannot be matched against a table whose account is not known, and the ERROR says why', () => {
    const entry = 'arn:aws:dynamodb:*:123456789012:table/orders';
    const m = messageOf(rule, (s) => { ordersTable(s); selecting(s, [entry]); }, 'T', 'ERROR');
    expect(m).toContain(cannotVerify(entry, 'arn:aws:dynamodb:us-east-1:?:table/orders'));
  });
  test('Unresolved 2: a wildcard partition over some bucket names cannot be matched against a generated name', () => {
    const m = messageOf(rule, (s) => { new s3.CfnBucket(s, 'B'); selecting(s, ['arn:*:s3:::logs-*']); }, 'B', 'ERROR');
    expect(m).toContain(cannotVerify('arn:*:s3:::logs-*', 'arn:aws:s3:::?'));
  });
  test('Unresolved 3: a pattern over the volumes of one account cannot be matched against a volume whose account is not known', () => {
    const entry = 'arn:aws:ec2:us-east-1:123456789012:volume/*';
    const m = messageOf(rule, (s) => { new ec2.CfnVolume(s, 'V', { availabilityZone: 'us-east-1a', size: 10 }); selecting(s, [entry]); }, 'V', 'ERROR');
    expect(m).toContain(cannotVerify(entry, 'arn:aws:ec2:us-east-1:?:volume/?'));
  });
  test('Never PASS: the same patterns as exclusions (NotResources) of a selection of everything', () => {
    // Excluded for sure: FAIL; excluded or not depending on a generated name or an unknown account: ERROR; not excluded: PASS.
    expect(status((s) => { namedBucket(s); selecting(s, ['*'], ['arn:aws:*:::customer-*']); }, 'B')).toEqual(['FAIL']);
    expect(status((s) => { namedBucket(s); selecting(s, ['*'], ['arn:aws:s3:::customer']); }, 'B')).toEqual(['PASS']);
    expect(status((s) => { new s3.CfnBucket(s, 'B'); selecting(s, ['*'], ['arn:aws:s3:::*/*']); }, 'B')).toEqual(['PASS']);
    expect(status((s) => { new s3.CfnBucket(s, 'B'); selecting(s, ['*'], ['arn:*:s3:::logs-*']); }, 'B')).toEqual(['ERROR']);
    expect(status((s) => { ordersTable(s); selecting(s, ['*'], ['arn:aws:dynamodb:*:123456789012:table/*']); }, 'T')).toEqual(['ERROR']);
  });
});

describe('StatefulResourceBackedUp: StringNotLike conditions', () => {
  const rule = 'StatefulResourceBackedUp';
  const build = (env: string) => (s: Stack) => {
    new s3.CfnBucket(s, 'B', { tags: [{ key: 'env', value: env }] });
    const p = new backup.CfnBackupPlan(s, 'Plan', { backupPlan: { backupPlanName: 'p', backupPlanRule: [{ ruleName: 'r', targetBackupVault: 'v' }] } });
    new backup.CfnBackupSelection(s, 'Sel', {
      backupPlanId: p.ref,
      backupSelection: { selectionName: 's', iamRoleArn: 'arn:aws:iam::111111111111:role/backup', resources: ['*'], conditions: { StringNotLike: [{ ConditionKey: 'aws:ResourceTag/env', ConditionValue: 'dev*' }] } },
    });
  };
  test('Compliance 1: a bucket whose tag does not match the StringNotLike pattern is covered', () => {
    expectRule(rule, build('prod'), 'B', 'PASS');
  });
  test('Noncompliance 1: a bucket whose tag matches the StringNotLike pattern is not', () => {
    expectRule(rule, build('dev-1'), 'B', 'FAIL');
  });
});

describe('which resources the backup rules judge', () => {
  const keySchema = [{ attributeName: 'pk', keyType: 'HASH' }];
  const attributeDefinitions = [{ attributeName: 'pk', attributeType: 'S' }];
  /** One L1 resource of each stateful type, none retained or selected by a backup plan (logical id = the type's short name). */
  const stateful: Record<string, (s: Stack) => CfnResource> = {
    'AWS::S3::Bucket': (s) => new s3.CfnBucket(s, 'Bucket'),
    'AWS::DynamoDB::Table': (s) => new dynamodb.CfnTable(s, 'Table', { keySchema, attributeDefinitions }),
    'AWS::DynamoDB::GlobalTable': (s) => new dynamodb.CfnGlobalTable(s, 'GlobalTable', { keySchema, attributeDefinitions, replicas: [{ region: 'us-east-1' }] }),
    'AWS::RDS::DBInstance': (s) => new rds.CfnDBInstance(s, 'DBInstance', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', allocatedStorage: '20' }),
    'AWS::RDS::DBCluster': (s) => new rds.CfnDBCluster(s, 'DBCluster', { engine: 'aurora-postgresql', masterUsername: 'admin', manageMasterUserPassword: true }),
    'AWS::EC2::Volume': (s) => new ec2.CfnVolume(s, 'Volume', { availabilityZone: 'us-east-1a', size: 10 }),
    'AWS::EFS::FileSystem': (s) => new efs.CfnFileSystem(s, 'FileSystem'),
    'AWS::KMS::Key': (s) => new kms.CfnKey(s, 'Key', { keyPolicy: {} }),
    'AWS::Logs::LogGroup': (s) => new logs.CfnLogGroup(s, 'LogGroup'),
    'AWS::Backup::BackupVault': (s) => new backup.CfnBackupVault(s, 'BackupVault', { backupVaultName: 'v' }),
  };
  const verdicts = (rule: string) => findingsOf(rule, (s) => { for (const make of Object.values(stateful)) make(s); })
    .map((f) => `${f.resource.id} ${f.status}`).sort();
  test('StatefulResourceRetained: every stateful resource deleted with its stack fails, keys, log groups and vaults included', () => {
    expect(verdicts('StatefulResourceRetained')).toEqual(Object.keys(stateful).map((t) => `S/${t.split('::')[2]} FAIL`).sort());
  });
  test('StatefulResourceBackedUp: every resource AWS Backup can protect fails outside a plan; keys, log groups and vaults are not judged', () => {
    const judged = ['Bucket', 'Table', 'GlobalTable', 'DBInstance', 'DBCluster', 'Volume', 'FileSystem'];
    expect(verdicts('StatefulResourceBackedUp')).toEqual(judged.map((id) => `S/${id} FAIL`).sort());
  });
});

describe('StatefulResourceRetained: the deletion policies that keep the data', () => {
  const rule = 'StatefulResourceRetained';
  const withPolicy = (policy: string, make: (s: Stack) => CfnResource) => (s: Stack) => make(s).addOverride('DeletionPolicy', policy);
  const instance = (s: Stack) => new rds.CfnDBInstance(s, 'R', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', allocatedStorage: '20' });
  const cluster = (s: Stack) => new rds.CfnDBCluster(s, 'R', { engine: 'aurora-postgresql', masterUsername: 'admin', manageMasterUserPassword: true });
  const volume = (s: Stack) => new ec2.CfnVolume(s, 'R', { availabilityZone: 'us-east-1a', size: 10 });
  test('Compliance 1: RetainExceptOnCreate keeps the data of a created bucket', () => {
    expectRule(rule, withPolicy('RetainExceptOnCreate', (s) => new s3.CfnBucket(s, 'R')), 'R', 'PASS');
  });
  test.each([['a DB instance', instance], ['a DB cluster', cluster], ['an EBS volume', volume]])('Compliance 2: Snapshot keeps the data of %s', (_, make) => {
    expectRule(rule, withPolicy('Snapshot', make), 'R', 'PASS');
  });
  test('Noncompliance 1: Snapshot loses the data of a table, and the FAIL says so', () => {
    const f = expectRule(rule, withPolicy('Snapshot', (s) => new dynamodb.CfnTable(s, 'R', { keySchema: [{ attributeName: 'pk', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }] })), 'R', 'FAIL');
    expect(f!.message).toContain('DeletionPolicy Snapshot loses the data');
  });
});

describe('StatefulResourceBackedUp: a pattern with many wildcards', () => {
  test('is judged without trying every way its wildcards can split the ARN', () => {
    // arn:aws:s3:::*a*a*a*a*a*a*a*a*a*a*b against a 60-letter name: about 10^11 splits, none matching, so a
    // matcher that tries them one by one never finishes within the test timeout; a memoized one takes 60 x 22 steps.
    expectRule('StatefulResourceBackedUp', (s) => {
      new s3.CfnBucket(s, 'B', { bucketName: 'a'.repeat(60) });
      const p = new backup.CfnBackupPlan(s, 'Plan', { backupPlan: { backupPlanName: 'p', backupPlanRule: [{ ruleName: 'r', targetBackupVault: 'v' }] } });
      new backup.CfnBackupSelection(s, 'Sel', { backupPlanId: p.ref, backupSelection: { selectionName: 's', iamRoleArn: 'arn:aws:iam::111111111111:role/backup', resources: [`arn:aws:s3:::${'*a'.repeat(10)}*b`] } });
    }, 'B', 'FAIL');
  });
});

describe('StatefulResourceBackedUp: the partition of a stack whose region is not known', () => {
  // An environment-agnostic stack may be deployed in aws-cn or aws-us-gov, where arn:aws:... patterns select nothing.
  const rule = 'StatefulResourceBackedUp';
  const agnostic = (resources: string[]) => (s: Stack) => {
    const any = new Stack(s.node.root as App, 'Agnostic');
    new s3.CfnBucket(any, 'B', { bucketName: 'customer-data' });
    const p = new backup.CfnBackupPlan(any, 'Plan', { backupPlan: { backupPlanName: 'p', backupPlanRule: [{ ruleName: 'r', targetBackupVault: 'v' }] } });
    new backup.CfnBackupSelection(any, 'Sel', { backupPlanId: p.ref, backupSelection: { selectionName: 's', iamRoleArn: 'arn:aws:iam::111111111111:role/backup', resources } });
  };
  test('Unresolved 1: an arn:aws pattern cannot be known to select the bucket, and the ERROR shows the unknown partition', () => {
    const m = messageOf(rule, agnostic(['arn:aws:s3:::*']), 'B', 'ERROR');
    expect(m).toContain('cannot verify the backup selection Resources entry arn:aws:s3:::*: the ARN of the resource (arn:?:s3:::customer-data) is not known in full');
  });
  test('Compliance 1: a pattern over every partition selects the bucket', () => {
    expectRule(rule, agnostic(['arn:*:s3:::customer-*']), 'B', 'PASS');
  });
  test('Noncompliance 1: a pattern over other bucket names does not select it, whatever the partition', () => {
    expectRule(rule, agnostic(['arn:aws:s3:::logs-*']), 'B', 'FAIL');
  });
});
