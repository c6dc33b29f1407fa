import { arnAccount, iamName, principalTypeOf, roleArnOfSession } from './arn';
import { ContextEntry, ContextValue, MaybeUnknown, PolicyError, PolicyRequest, PrincipalType, RequestContext, isUnknown } from './types';

/** One context value as the evaluator compares it: strings (booleans and numbers as AWS sends them, text). */
function entryOf(value: ContextValue): ContextEntry {
  const one = (v: MaybeUnknown | boolean | number): MaybeUnknown => (isUnknown(v) ? v : String(v));
  if (Array.isArray(value)) return { values: value.map(one), multi: true };
  return { values: [one(value as MaybeUnknown | boolean | number)], multi: false };
}

function principalType(request: PolicyRequest): PrincipalType {
  const { principal } = request;
  if (principal.type) return principal.type;
  if (isUnknown(principal.arn)) throw new PolicyError(`principal type is required when the principal arn is unknown (${principal.arn.reason})`);
  const t = principalTypeOf(principal.arn);
  if (!t) throw new PolicyError(`cannot tell the principal type of ${JSON.stringify(principal.arn)}: give principal.type`);
  return t;
}

/**
 * The keys AWS always sets from the principal of a signed request. Only these are added: every other
 * key is present only when the request carries it.
 */
export function principalKeys(request: PolicyRequest, type: PrincipalType, roleArn: MaybeUnknown | undefined, account: MaybeUnknown | undefined): Array<[string, ContextValue]> {
  const p = request.principal;
  if (type === 'Anonymous') return [];
  if (type === 'Service') return [['aws:PrincipalServiceName', p.arn], ['aws:PrincipalIsAWSService', 'true']];
  const keys: Array<[string, ContextValue]> = [
    ['aws:PrincipalArn', type === 'AssumedRole' && roleArn !== undefined ? roleArn : p.arn],
    ['aws:PrincipalType', type],
    ['aws:PrincipalIsAWSService', 'false'],
  ];
  if (account !== undefined) keys.push(['aws:PrincipalAccount', account]);
  if (p.orgId !== undefined) keys.push(['aws:PrincipalOrgID', p.orgId]);
  if (p.userId !== undefined) keys.push(['aws:userid', p.userId]);
  if (type === 'User' && !isUnknown(p.arn)) {
    const name = iamName(p.arn);
    if (name) keys.push(['aws:username', name]);
  }
  return keys;
}

/** Prepares a request once for many statements: lowercased action, derived principal facts, context keys by lowercased name. */
export function buildContext(request: PolicyRequest): RequestContext {
  if (typeof request.action !== 'string' || !request.action.includes(':')) {
    throw new PolicyError(`request action must be service:action, got ${JSON.stringify(request.action)}`);
  }
  const type = principalType(request);
  const p = request.principal;
  const roleArn = p.roleArn ?? (type === 'AssumedRole' ? (isUnknown(p.arn) ? p.arn : roleArnOfSession(p.arn)) : undefined);
  const account = type === 'Service' || type === 'Anonymous' ? p.account : (p.account ?? arnAccount(p.arn));
  const keys = new Map<string, ContextEntry>();
  for (const [k, v] of principalKeys(request, type, roleArn, account)) keys.set(k.toLowerCase(), entryOf(v));
  for (const [k, v] of Object.entries(request.context ?? {})) keys.set(k.toLowerCase(), entryOf(v));
  return {
    request,
    action: request.action.toLowerCase(),
    resource: request.resource,
    resourceAccount: request.resourceAccount ?? arnAccount(request.resource),
    principalArn: p.arn,
    principalAccount: account,
    principalType: type,
    roleArn,
    keys,
  };
}
