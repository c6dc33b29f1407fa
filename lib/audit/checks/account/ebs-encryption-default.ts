import { AccountSnapshot } from '../../types';
import { defineCheck } from '../check';
import { forEachAccountRegion } from './scope';

const resource = (s: AccountSnapshot, region: string) => ({
  id: `arn:${s.partition}:ec2:${region}:${s.account}:ebs-encryption-by-default`, type: 'AWS::EC2::EBSEncryptionByDefault', account: s.account, region,
});

/** EBS encryption by default is on in every audited region. */
export default defineCheck({
  id: 'account-ebs-encryption-default',
  controlId: 'DATA-CMK',
  title: 'EBS encryption by default in every region',
  severity: 'error',
  remediation: 'aws ec2 enable-ebs-encryption-by-default --region REGION (and set the default key to a customer-managed key: aws ec2 modify-ebs-default-kms-key-id).',
}, (s, _settings, emit) => {
  forEachAccountRegion(s, emit, (r) => resource(s, r), 'ec2:GetEbsEncryptionByDefault', (r) => r.ebsEncryptionByDefault, (region, on) => {
    if (on) emit.pass(resource(s, region), `EBS encryption by default is on in ${region}`);
    else emit.fail(resource(s, region), `EBS encryption by default is off in ${region}`);
  });
});
