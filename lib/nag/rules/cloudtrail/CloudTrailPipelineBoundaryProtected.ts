import { CfnResource } from 'aws-cdk-lib';
import { NamedProbe, ResourceRequest, boundaryDenies, showOwn } from '../../../policy/questions';
import { PolicyError, RequestPrincipal, matchAction, parsePolicy } from '../../../policy';
import { ResourceIndex, relatePart, environmentOf } from '../../resource-index';
import { CannotVerify, RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, ownOf, str, syntheticValue } from '../common';
import { appBoundaries, boundaryEscape, literalName } from '../iam/boundaries';
import { cisItemsOf } from './cis-events';

/** What blinds the trail: stop it, delete it, change what it records or where it delivers. */
export const TRAIL_TAMPER_ACTIONS = ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors'];
/** What blinds the log group the alarms read: delete it or its events, rewrite or delete its filters, shorten its retention, drop its key. */
export const LOG_GROUP_TAMPER_ACTIONS = ['logs:DeleteLogGroup', 'logs:DeleteLogStream', 'logs:DeleteMetricFilter', 'logs:PutMetricFilter', 'logs:PutRetentionPolicy', 'logs:DisassociateKmsKey'];

/** The log groups of the security pipeline: a trail delivers to them, or a CIS metric filter reads them. Built once. */
function pipelineLogGroups(ix: ResourceIndex): Map<CfnResource, string> {
  return ix.memo('pipelineLogGroups', () => {
    const byName = new Map<string, CfnResource>();
    for (const g of ix.ofType('AWS::Logs::LogGroup')) {
      const n = literalName(ix, g, 'LogGroupName');
      if (n !== undefined) byName.set(n, g);
    }
    const out = new Map<CfnResource, string>();
    for (const trail of ix.ofType('AWS::CloudTrail::Trail')) {
      const t = ix.propTarget(trail, 'CloudWatchLogsLogGroupArn');
      if (t.kind === 'resource' && t.node.cfnResourceType === 'AWS::Logs::LogGroup') out.set(t.node, `the trail ${trail.node.path} delivers to it`);
    }
    for (const filter of ix.ofType('AWS::Logs::MetricFilter')) {
      let pattern: string | undefined;
      try {
        pattern = str(ix.props(filter).FilterPattern, 'FilterPattern');
      } catch (e) {
        if (!(e instanceof CannotVerify)) throw e; // an unresolved pattern may be a CIS filter: the group counts
      }
      if (pattern !== undefined && cisItemsOf(pattern).length === 0) continue;
      const t = ix.propTarget(filter, 'LogGroupName');
      const group = t.kind === 'resource' ? t.node : t.kind === 'literal' ? byName.get(t.value) : undefined;
      if (group?.cfnResourceType === 'AWS::Logs::LogGroup' && !out.has(group)) out.set(group, `the CIS metric filter ${filter.node.path} reads it`);
    }
    return out;
  });
}

/** The requests that must be denied on a trail or log group ARN. */
function tamperRequests(arn: string, logGroup: boolean): ResourceRequest[] {
  if (!logGroup) return TRAIL_TAMPER_ACTIONS.map((action) => ({ action, resource: arn }));
  const streams = arn.replace(/:\*$/, ':log-stream:any');
  return [...LOG_GROUP_TAMPER_ACTIONS.map((action) => ({ action, resource: arn })), { action: 'logs:DeleteLogStream', resource: streams }];
}

/** Whether some Deny of the boundary names one of the actions: it means to protect, so a name it misses is worth saying. */
function deniesSomeOf(doc: unknown, requests: readonly ResourceRequest[]): boolean {
  try {
    return parsePolicy(doc, 'boundary').statements.some((st) => st.effect === 'Deny' && requests.some((r) => matchAction(st, r.action.toLowerCase()) === true));
  } catch (e) {
    if (e instanceof PolicyError) return false;
    throw e;
  }
}

/** The bounded principals tried for a boundary: each role and user of the app carrying it, and a role given it later. */
function probesOf(ix: ResourceIndex, bounded: readonly CfnResource[], account: string, partition: string): NamedProbe[] {
  const out: NamedProbe[] = [{ name: 'a role given this boundary', principal: { arn: `arn:${partition}:iam::${account}:role/breachlessons-bounded-role`, account, type: 'AssumedRole' } }];
  for (const n of bounded) {
    const arn = syntheticValue(ix, n, 'Arn');
    if (typeof arn !== 'string') continue;
    const type: RequestPrincipal['type'] = n.cfnResourceType === 'AWS::IAM::User' ? 'User' : 'AssumedRole';
    out.push({ name: n.node.path, principal: { arn, account, type } });
  }
  return out;
}

/**
 * The trail, and every log group the security pipeline reads (the trail's CloudWatch Logs group, a
 * group with CIS metric filters), are protected by every permissions boundary of the app in their
 * account: a principal the boundary bounds can neither stop, delete nor change the trail, nor delete,
 * shorten, unfilter or unkey the log group (lib/policy, boundaryDenies), nor escape the boundary first:
 * remove or replace it, rewrite its policy, or create a role or user without it and grant that
 * principal what the boundary withholds (boundaryEscape). An app whose roles and users
 * carry no boundary fails: nothing it deploys keeps its principals from blinding detection.
 */
export function CloudTrailPipelineBoundaryProtected(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const isGroup = node.cfnResourceType === 'AWS::Logs::LogGroup';
  const why = isGroup ? pipelineLogGroups(ix).get(node) : undefined;
  if (isGroup && why === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  const own = ownOf(ix, node);
  const what = isGroup ? 'log group' : 'trail';
  const arn = syntheticValue(ix, node, 'Arn') as string;
  const requests = tamperRequests(arn, isGroup);
  const nameKey = isGroup ? 'LogGroupName' : 'TrailName';
  const unnamed = literalName(ix, node, nameKey) === undefined
    ? `it has no literal ${nameKey}, so only a boundary statement covering every ${what} name, or a reference to it, protects it` : '';
  // A trail that delivers to a log group outside the app: that group must be protected too (a trail without one adds nothing).
  if (!isGroup) {
    const t = ix.propTarget(node, 'CloudWatchLogsLogGroupArn');
    if (t.kind === 'literal') requests.push(...tamperRequests(t.value.endsWith(':*') ? t.value : `${t.value}:*`, true));
    else if (t.kind === 'unresolved' && t.value !== undefined) throw new CannotVerify(`cannot verify the trail's log group is protected: unresolved CloudWatchLogsLogGroupArn ${JSON.stringify(t.value)}`);
  }
  const env = environmentOf(node);
  const boundaries = appBoundaries(ix).filter((b) => b.bounded.some((n) => relatePart(environmentOf(n).account, env.account) !== 'different'));
  const context = why ? `; ${why}` : '';
  if (boundaries.length === 0) {
    return [`no role or user of the app in the ${what}'s account has a permissions boundary, so nothing the app deploys denies ${[...new Set(requests.map((r) => r.action))].join(', ')} on it${context}`];
  }
  const out: string[] = [];
  const unknowns: string[] = [];
  let byName = false;
  for (const b of boundaries) {
    if (b.document === undefined) { unknowns.push(b.unreadable!); continue; }
    const bounded = b.bounded.filter((n) => relatePart(environmentOf(n).account, env.account) !== 'different');
    const probes = probesOf(ix, bounded, own.account, own.partition);
    const a = boundaryDenies(b.document, requests, probes, own, b.name);
    if (a.yes === 'unknown') unknowns.push(...a.why.map((w) => `${b.name}: ${w}`));
    else if (!a.yes) {
      out.push(...a.why.map((w) => `under the boundary ${b.name}, ${w}`));
      byName ||= deniesSomeOf(b.document, requests);
    }
    // A deny the bounded principal can lift protects nothing.
    const escape = boundaryEscape(ix, b, probes, own);
    if (escape.yes === 'unknown') unknowns.push(...escape.why.map((w) => `${b.name}: ${w}`));
    else if (escape.yes) out.push(...escape.why.map((w) => `a principal under the boundary ${b.name} can escape it, and then the boundary's denies no longer hold for the ${what}: ${w}`));
  }
  if (out.length > 0) return [...out.map(showOwn), ...(unnamed && byName && out.some((w) => w.includes(arn)) ? [unnamed] : []), ...(why ? [why] : [])];
  if (unknowns.length > 0) throw new CannotVerify(`cannot verify the permissions boundaries protect the ${what}: ${[...new Set(unknowns)].map(showOwn).join('; ')}`);
  return NagRuleCompliance.COMPLIANT;
}

export const CloudTrailPipelineBoundaryProtectedMeta: RuleMetadata = {
  ruleName: 'CloudTrailPipelineBoundaryProtected',
  controlIds: ['LOG-TAMPER'],
  cites: ['glba:314.4(c)(8)', 'nydfs-500:500.14(b)', 'nist-800-53:AU-9', 'nist-800-53:SI-4'],
  level: 'error',
  resourceTypes: ['AWS::CloudTrail::Trail', 'AWS::Logs::LogGroup'],
  info: 'A principal under the app\'s permissions boundary may stop, delete or change the trail, or delete, shorten or unfilter a log group the security alarms read, or escape the boundary first (remove, replace or rewrite it, or create a role or user without it).',
  explanation: 'Lesson L7 (dwell time is short): an intruder with any bounded role blinds detection first (T1562.008, T1070): stop the trail, delete its log group or the CIS metric filters, or shorten retention, and nothing alarms while the data leaves. The boundary is what caps every role the app creates; a deny it lacks, or aims at another name, protects nothing, and neither does one the bounded principal can lift by deleting or replacing its boundary, writing a new default version of it, or creating a role or user without it and granting that principal what the boundary withholds.',
  fix: 'Apply the project\'s boundary to every role: applyPermissionsBoundary(app) (PermissionsBoundaryAspect, policies/iam/permissions-boundary.json), whose DenySecurityPipelineChanges and DenySecurityLogGroups cover every trail, and whose DenyBoundaryRemoval and DenyUnboundedPrincipals keep every principal under it, and the log groups named `<stackPrefix>-security-*`; give the trail\'s log group such a literal name (SecureTrail\'s logGroupName; the logging stack names it `<stackPrefix>-security-cloudtrail`). When an SCP outside the app protects them instead, acknowledge the finding with acknowledgeLesson naming that SCP.',
  passes: 'Every permissions boundary of the app denies stopping, deleting or changing the trail and the log groups its alarms read, and denies its principals every way out of it',
};
