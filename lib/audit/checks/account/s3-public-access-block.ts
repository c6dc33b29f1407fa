import { FindingResource } from '../../../findings';
import { AccountSnapshot } from '../../types';
import { GLOBAL_REGION, defineCheck } from '../check';

const resource = (s: AccountSnapshot): FindingResource => ({
  id: `arn:${s.partition}:s3:::account/${s.account}/public-access-block`, type: 'AWS::S3::AccountPublicAccessBlock', account: s.account, region: GLOBAL_REGION,
});

const SETTINGS = ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'] as const;

/** All four S3 Block Public Access settings are on for the whole account (S3 Control). */
export default defineCheck({
  id: 'account-s3-public-access-block',
  controlId: 'DATA-PUBLIC',
  title: 'S3 Block Public Access on for the account',
  severity: 'error',
  remediation: 'aws s3control put-public-access-block --account-id ACCOUNT --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
}, (s, _settings, emit) => {
  const r = resource(s);
  const bpa = s.s3PublicAccessBlock;
  if (bpa === undefined) return emit.cannotVerify(r, 'the account\'s S3 Block Public Access (s3:GetAccountPublicAccessBlock) was not collected');
  if (!bpa.ok) return emit.error(r, bpa.failure);
  if (bpa.value === null) return emit.fail(r, `account ${s.account} has no S3 Block Public Access configuration`);
  const off = SETTINGS.filter((k) => bpa.value?.[k] !== true);
  if (off.length > 0) emit.fail(r, `account S3 Block Public Access has ${off.join(', ')} off`);
  else emit.pass(r, 'all four account-level S3 Block Public Access settings are on');
});
