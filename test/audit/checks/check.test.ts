import { defineCheck, detectorResource, passwordPolicyResource, rootResource, userResource, usersResource } from '../../../lib/audit/checks/check';
import { AccountSnapshot } from '../../../lib/audit/types';
import { ACCOUNT, SETTINGS, goodSnapshot } from '../support/snapshots';

const META = { id: 'test-check', controlId: 'IAM-ROOT', title: 'test', severity: 'error', remediation: 'fix it' } as const;
const gov = (): AccountSnapshot => ({ ...goodSnapshot(), partition: 'aws-us-gov' });

describe('every finding names the resource an auditor can look up', () => {
  test('root, users, one user, the password policy and a regional detector: ARN in the snapshot partition, type and region', () => {
    const s = gov();
    expect(rootResource(s)).toEqual({ id: `arn:aws-us-gov:iam::${ACCOUNT}:root`, type: 'AWS::IAM::Root', account: ACCOUNT, region: 'global' });
    expect(usersResource(s)).toEqual({ id: `arn:aws-us-gov:iam::${ACCOUNT}:user/*`, type: 'AWS::IAM::User', account: ACCOUNT, region: 'global' });
    expect(userResource(s, `arn:aws-us-gov:iam::${ACCOUNT}:user/alice`)).toEqual({ id: `arn:aws-us-gov:iam::${ACCOUNT}:user/alice`, type: 'AWS::IAM::User', account: ACCOUNT, region: 'global' });
    expect(passwordPolicyResource(s)).toEqual({ id: `arn:aws-us-gov:iam::${ACCOUNT}:account-password-policy`, type: 'AWS::IAM::AccountPasswordPolicy', account: ACCOUNT, region: 'global' });
    expect(detectorResource(s, 'us-gov-west-1')).toEqual({ id: `arn:aws-us-gov:guardduty:us-gov-west-1:${ACCOUNT}:detector`, type: 'AWS::GuardDuty::Detector', account: ACCOUNT, region: 'us-gov-west-1' });
  });

  test("a resource without an account is the audited account's; one naming another account keeps it", () => {
    const check = defineCheck(META, (_s, _settings, emit) => {
      emit.pass({ id: 'no-account', type: 'AWS::X::Y', region: 'us-east-1' }, 'ok');
      emit.fail({ id: 'other', type: 'AWS::X::Y', region: 'us-east-1', account: '444455556666' }, 'bad');
    });
    expect(check.evaluate(goodSnapshot(), SETTINGS).map((f) => [f.resource.id, f.resource.account, f.status])).toEqual([
      ['no-account', ACCOUNT, 'PASS'],
      ['other', '444455556666', 'FAIL'],
    ]);
  });
});
