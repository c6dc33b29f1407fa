/**
 * ARN helpers of the policy evaluator, on the ARN forms AWS uses (IAM User Guide, "IAM identifiers" and
 * "AWS STS ARNs"): users, roles with paths, service-linked roles, assumed-role sessions, federated users,
 * account roots, service principals, other partitions, and text that is not an ARN.
 */
import { arnAccount, iamKind, iamName, principalTypeOf, roleArnOfSession, splitArn } from '../../lib/policy/arn';
import { unknown } from '../../lib/policy';

const A = '111122223333';
const USER = `arn:aws:iam::${A}:user/alice`;
const USER_WITH_PATH = `arn:aws:iam::${A}:user/division_abc/subdivision_xyz/Bob`;
const ROLE = `arn:aws:iam::${A}:role/app-role`;
const ROLE_WITH_PATH = `arn:aws:iam::${A}:role/application_abc/component_xyz/S3Access`;
const SERVICE_LINKED_ROLE = `arn:aws:iam::${A}:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk`;
const SESSION = `arn:aws:sts::${A}:assumed-role/app-role/s1`;
const SSO_SESSION = `arn:aws:sts::${A}:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice@example.com`;
const FEDERATED = `arn:aws:sts::${A}:federated-user/carol`;
const ROOT = `arn:aws:iam::${A}:root`;
const GROUP = `arn:aws:iam::${A}:group/admins`;
const MANAGED_POLICY = `arn:aws:iam::${A}:policy/UsersManageOwnCredentials`;
const CN_ROLE = 'arn:aws-cn:iam::123456789012:role/cn-role';
const CN_SESSION = 'arn:aws-cn:sts::123456789012:assumed-role/cn-role/batch';
const GOV_USER = 'arn:aws-us-gov:iam::123456789012:user/gov-alice';
const GOV_SESSION = 'arn:aws-us-gov:sts::123456789012:assumed-role/gov-role/job-7';
const BUCKET = 'arn:aws:s3:::my-bucket';
const LOG_STREAMS = `arn:aws:logs:us-east-1:${A}:log-group:/aws/lambda/fn:log-stream:*`;
// Users of other services whose resource names look like IAM's: not IAM principals.
const QUICKSIGHT_USER = `arn:aws:quicksight:us-east-1:${A}:user/default/alice`;
const TRANSFER_USER = `arn:aws:transfer:us-east-1:${A}:user/s-01234567890abcdef/alice`;

describe('splitArn', () => {
  test('an IAM role: partition, service, empty region, account, resource', () => {
    expect(splitArn(ROLE)).toEqual({ partition: 'aws', service: 'iam', region: '', account: A, resource: 'role/app-role' });
  });
  test('other partitions keep their name', () => {
    expect(splitArn(CN_ROLE)).toMatchObject({ partition: 'aws-cn', service: 'iam', account: '123456789012', resource: 'role/cn-role' });
    expect(splitArn(GOV_USER)).toMatchObject({ partition: 'aws-us-gov', service: 'iam', account: '123456789012', resource: 'user/gov-alice' });
  });
  test('the resource keeps its own colons (a log group\'s streams)', () => {
    expect(splitArn(LOG_STREAMS)).toEqual({ partition: 'aws', service: 'logs', region: 'us-east-1', account: A, resource: 'log-group:/aws/lambda/fn:log-stream:*' });
  });
  test('an S3 bucket carries neither region nor account', () => {
    expect(splitArn(BUCKET)).toEqual({ partition: 'aws', service: 's3', region: '', account: '', resource: 'my-bucket' });
  });
  test('text that does not start with arn: is not an ARN, even with six colon-separated fields', () => {
    expect(splitArn(`urn:aws:iam::${A}:root`)).toBeUndefined();
    expect(splitArn(`ARN:aws:iam::${A}:root`)).toBeUndefined();
    expect(splitArn('*')).toBeUndefined();
    expect(splitArn(A)).toBeUndefined();
  });
  test('fewer than six fields is not an ARN', () => {
    expect(splitArn(`arn:aws:iam::${A}`)).toBeUndefined();
    expect(splitArn('arn:aws:s3')).toBeUndefined();
  });
  test('splitting the same ARN again returns the parts already split (one split per ARN, as the cache promises)', () => {
    const other = `arn:aws:iam::${A}:role/memo-other`;
    const first = splitArn(`arn:aws:iam::${A}:role/memo`);
    splitArn(other);
    expect(splitArn(`arn:aws:iam::${A}:role/memo`)).toBe(first);
    expect(splitArn(other)).toBe(splitArn(other));
  });
  test('the cache is bounded: after more than 20,000 other ARNs the first is split afresh (equal parts, new object)', () => {
    const arn = `arn:aws:iam::${A}:role/evicted`;
    const first = splitArn(arn);
    for (let i = 0; i <= 20_001; i++) splitArn(`arn:aws:sqs:us-east-1:${A}:queue-${i}`);
    const again = splitArn(arn);
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
  });
});

describe('arnAccount', () => {
  test('the account of a role, a session, a root and a key', () => {
    expect(arnAccount(ROLE)).toBe(A);
    expect(arnAccount(SESSION)).toBe(A);
    expect(arnAccount(ROOT)).toBe(A);
    expect(arnAccount(GOV_SESSION)).toBe('123456789012');
    expect(arnAccount(`arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`)).toBe(A);
  });
  test('an S3 bucket and non-ARN text carry no account', () => {
    expect(arnAccount(BUCKET)).toBeUndefined();
    expect(arnAccount('*')).toBeUndefined();
    expect(arnAccount('ec2.amazonaws.com')).toBeUndefined();
  });
  test('an Unknown ARN (a CloudFormation token) gives the same Unknown back, with its reason', () => {
    const u = unknown('Fn::GetAtt Role.Arn');
    expect(arnAccount(u)).toBe(u);
  });
});

describe('principalTypeOf (aws:PrincipalType)', () => {
  test('an account root is Account, in every partition', () => {
    expect(principalTypeOf(ROOT)).toBe('Account');
    expect(principalTypeOf('arn:aws-cn:iam::123456789012:root')).toBe('Account');
  });
  test('IAM users (with or without a path) are User', () => {
    expect(principalTypeOf(USER)).toBe('User');
    expect(principalTypeOf(USER_WITH_PATH)).toBe('User');
    expect(principalTypeOf(GOV_USER)).toBe('User');
  });
  test('roles, service-linked roles and their sessions are AssumedRole', () => {
    expect(principalTypeOf(ROLE)).toBe('AssumedRole');
    expect(principalTypeOf(ROLE_WITH_PATH)).toBe('AssumedRole');
    expect(principalTypeOf(SERVICE_LINKED_ROLE)).toBe('AssumedRole');
    expect(principalTypeOf(SESSION)).toBe('AssumedRole');
    expect(principalTypeOf(SSO_SESSION)).toBe('AssumedRole');
    expect(principalTypeOf(CN_SESSION)).toBe('AssumedRole');
  });
  test('a federated user (GetFederationToken) is FederatedUser, not a role session', () => {
    expect(principalTypeOf(FEDERATED)).toBe('FederatedUser');
    expect(principalTypeOf('arn:aws-us-gov:sts::123456789012:federated-user/dave')).toBe('FederatedUser');
  });
  test('the anonymous principal: "*" and "anonymous" in any case', () => {
    expect(principalTypeOf('*')).toBe('Anonymous');
    expect(principalTypeOf('anonymous')).toBe('Anonymous');
    expect(principalTypeOf('Anonymous')).toBe('Anonymous');
  });
  test('service principals, including China regions and *.amazon.com services', () => {
    expect(principalTypeOf('lambda.amazonaws.com')).toBe('Service');
    expect(principalTypeOf('ec2.amazonaws.com.cn')).toBe('Service');
    expect(principalTypeOf('alexa-appkit.amazon.com')).toBe('Service');
  });
  test('a host that only contains a service name is not a service', () => {
    expect(principalTypeOf('lambda.amazonaws.com.attacker.example')).toBeUndefined();
    expect(principalTypeOf('alexa-appkit.amazon.com.attacker.example')).toBeUndefined();
  });
  test('cannot tell: a bare name, an account id, an IAM group or policy, a non-IAM resource', () => {
    expect(principalTypeOf('alice')).toBeUndefined();
    expect(principalTypeOf(A)).toBeUndefined();
    expect(principalTypeOf(GROUP)).toBeUndefined();
    expect(principalTypeOf(MANAGED_POLICY)).toBeUndefined();
    expect(principalTypeOf(BUCKET)).toBeUndefined();
    expect(principalTypeOf(QUICKSIGHT_USER)).toBeUndefined();
    expect(principalTypeOf(TRANSFER_USER)).toBeUndefined();
  });
  test('malformed IAM/STS ARNs (the resource under the wrong service) are no principal type', () => {
    expect(principalTypeOf(`arn:aws:sts::${A}:role/app-role`)).toBeUndefined();
    expect(principalTypeOf(`arn:aws:sts::${A}:root`)).toBeUndefined();
    expect(principalTypeOf(`arn:aws:sts::${A}:user/alice`)).toBeUndefined();
    expect(principalTypeOf(`arn:aws:iam::${A}:assumed-role/app-role/s1`)).toBeUndefined();
    expect(principalTypeOf(`arn:aws:iam::${A}:federated-user/carol`)).toBeUndefined();
  });
});

describe('roleArnOfSession', () => {
  test('an assumed-role session maps to its role, in the same partition and account', () => {
    expect(roleArnOfSession(SESSION)).toBe(ROLE);
    expect(roleArnOfSession(CN_SESSION)).toBe(CN_ROLE);
    expect(roleArnOfSession(GOV_SESSION)).toBe('arn:aws-us-gov:iam::123456789012:role/gov-role');
    expect(roleArnOfSession(SSO_SESSION)).toBe(`arn:aws:iam::${A}:role/AWSReservedSSO_AdministratorAccess_0123456789abcdef`);
  });
  test('a role ARN (with a path, or service-linked) stays itself', () => {
    expect(roleArnOfSession(ROLE)).toBe(ROLE);
    expect(roleArnOfSession(ROLE_WITH_PATH)).toBe(ROLE_WITH_PATH);
    expect(roleArnOfSession(SERVICE_LINKED_ROLE)).toBe(SERVICE_LINKED_ROLE);
  });
  test('users, roots, federated users and other resources have no role', () => {
    expect(roleArnOfSession(USER)).toBeUndefined();
    expect(roleArnOfSession(ROOT)).toBeUndefined();
    expect(roleArnOfSession(GROUP)).toBeUndefined();
    expect(roleArnOfSession(FEDERATED)).toBeUndefined();
    expect(roleArnOfSession(BUCKET)).toBeUndefined();
  });
  test('an assumed-role resource under the wrong service, a role under sts, or no role name, is no session or role', () => {
    expect(roleArnOfSession(`arn:aws:iam::${A}:assumed-role/app-role/s1`)).toBeUndefined();
    expect(roleArnOfSession(`arn:aws:sts::${A}:assumed-role/`)).toBeUndefined();
    expect(roleArnOfSession(`arn:aws:sts::${A}:role/app-role`)).toBeUndefined();
  });
  test('text that is not an ARN has no role', () => {
    expect(roleArnOfSession('app-role')).toBeUndefined();
    expect(roleArnOfSession('*')).toBeUndefined();
  });
});

describe('iamName', () => {
  test('the name is the last path segment of a user or role', () => {
    expect(iamName(USER)).toBe('alice');
    expect(iamName(USER_WITH_PATH)).toBe('Bob');
    expect(iamName(ROLE_WITH_PATH)).toBe('S3Access');
    expect(iamName(SERVICE_LINKED_ROLE)).toBe('AWSServiceRoleForElasticBeanstalk');
    expect(iamName(GOV_USER)).toBe('gov-alice');
  });
  test('an account root has no name', () => {
    expect(iamName(ROOT)).toBeUndefined();
  });
  test('a session ARN (sts) is not an IAM name, nor are other services\' users', () => {
    expect(iamName(SESSION)).toBeUndefined();
    expect(iamName(FEDERATED)).toBeUndefined();
    expect(iamName(QUICKSIGHT_USER)).toBeUndefined();
  });
  test('text that is not an ARN has no name', () => {
    expect(iamName('alice')).toBeUndefined();
  });
});

describe('iamKind', () => {
  test('each IAM and STS principal form', () => {
    expect(iamKind(ROOT)).toBe('root');
    expect(iamKind(ROLE)).toBe('role');
    expect(iamKind(SERVICE_LINKED_ROLE)).toBe('role');
    expect(iamKind(USER)).toBe('user');
    expect(iamKind(USER_WITH_PATH)).toBe('user');
    expect(iamKind(SESSION)).toBe('assumed-role');
    expect(iamKind(FEDERATED)).toBe('federated-user');
  });
  test('other partitions', () => {
    expect(iamKind(CN_ROLE)).toBe('role');
    expect(iamKind(CN_SESSION)).toBe('assumed-role');
    expect(iamKind(GOV_USER)).toBe('user');
    expect(iamKind('arn:aws-us-gov:iam::123456789012:root')).toBe('root');
  });
  test('IAM resources that are no principal: groups, policies', () => {
    expect(iamKind(GROUP)).toBeUndefined();
    expect(iamKind(MANAGED_POLICY)).toBeUndefined();
  });
  test('users of other services are not IAM users; a bucket named root is no account', () => {
    expect(iamKind(QUICKSIGHT_USER)).toBeUndefined();
    expect(iamKind(TRANSFER_USER)).toBeUndefined();
    expect(iamKind('arn:aws:s3:::root')).toBeUndefined();
  });
  test('malformed: IAM forms under sts and STS forms under iam are nothing', () => {
    expect(iamKind(`arn:aws:sts::${A}:role/app-role`)).toBeUndefined();
    expect(iamKind(`arn:aws:sts::${A}:root`)).toBeUndefined();
    expect(iamKind(`arn:aws:iam::${A}:assumed-role/app-role/s1`)).toBeUndefined();
    expect(iamKind(`arn:aws:iam::${A}:federated-user/carol`)).toBeUndefined();
  });
  test('text that is not an ARN', () => {
    expect(iamKind('alice')).toBeUndefined();
    expect(iamKind(A)).toBeUndefined();
  });
});
