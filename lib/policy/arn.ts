import { MaybeUnknown, PrincipalType, isUnknown } from './types';

/** The parts of an ARN; undefined when the text is not an ARN (fewer than six colon-separated fields). */
export interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** Splits `arn:partition:service:region:account:resource` (the resource part may hold colons). */
export function splitArn(arn: string): ArnParts | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const hit = splitCache.get(arn);
  if (hit) return hit;
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  const out = { partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource: parts.slice(5).join(':') };
  if (splitCache.size > 20_000) splitCache.clear();
  splitCache.set(arn, out);
  return out;
}

/** ARNs repeat across thousands of evaluations in one synthesis: split each once. */
const splitCache = new Map<string, ArnParts>();

/** The account id of an ARN, or undefined when it carries none (S3 buckets) or is not an ARN. */
export function arnAccount(arn: MaybeUnknown): MaybeUnknown | undefined {
  if (isUnknown(arn)) return arn;
  const a = splitArn(arn)?.account;
  return a ? a : undefined;
}

/** The principal type AWS reports for an ARN (aws:PrincipalType), undefined when it cannot tell. */
export function principalTypeOf(arn: string): PrincipalType | undefined {
  if (arn === '*' || arn.toLowerCase() === 'anonymous') return 'Anonymous';
  const p = splitArn(arn);
  if (!p) return /\.amazonaws\.com(\.cn)?$/.test(arn) || arn.endsWith('.amazon.com') ? 'Service' : undefined;
  if (p.service === 'iam' && p.resource === 'root') return 'Account';
  if (p.service === 'iam' && p.resource.startsWith('user/')) return 'User';
  if (p.service === 'iam' && p.resource.startsWith('role/')) return 'AssumedRole';
  if (p.service === 'sts' && p.resource.startsWith('assumed-role/')) return 'AssumedRole';
  if (p.service === 'sts' && p.resource.startsWith('federated-user/')) return 'FederatedUser';
  return undefined;
}

/** `arn:aws:sts::A:assumed-role/Name/session` -> `arn:aws:iam::A:role/Name`; a role ARN stays itself. */
export function roleArnOfSession(arn: string): string | undefined {
  const p = splitArn(arn);
  if (!p) return undefined;
  if (p.service === 'iam' && p.resource.startsWith('role/')) return arn;
  if (p.service !== 'sts' || !p.resource.startsWith('assumed-role/')) return undefined;
  const name = p.resource.split('/')[1];
  return name ? `arn:${p.partition}:iam::${p.account}:role/${name}` : undefined;
}

/** The last path segment of an IAM role or user ARN: its name (paths do not make names unique). */
export function iamName(arn: string): string | undefined {
  const p = splitArn(arn);
  if (!p || p.service !== 'iam') return undefined;
  const slash = p.resource.lastIndexOf('/');
  return slash < 0 ? undefined : p.resource.slice(slash + 1);
}

/** The kind of an IAM/STS ARN: role, user, assumed-role, federated-user, root, or undefined. */
export function iamKind(arn: string): 'role' | 'user' | 'assumed-role' | 'federated-user' | 'root' | undefined {
  const p = splitArn(arn);
  if (!p) return undefined;
  if (p.service === 'iam') {
    if (p.resource === 'root') return 'root';
    if (p.resource.startsWith('role/')) return 'role';
    if (p.resource.startsWith('user/')) return 'user';
  }
  if (p.service === 'sts') {
    if (p.resource.startsWith('assumed-role/')) return 'assumed-role';
    if (p.resource.startsWith('federated-user/')) return 'federated-user';
  }
  return undefined;
}
