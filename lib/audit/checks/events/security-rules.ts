import { RuleSummary } from '../../logging-types';
import { defineCheck } from '../check';
import { loggingSettings, regionResource } from '../cloudtrail/scope';
import { forEachAlertRegion } from '../sns/scope';

/** Why a security rule does not deliver, or undefined. */
export function ruleFaults(r: RuleSummary, targets: readonly string[], topics: ReadonlySet<string>, failures: number, hours: number): string[] {
  const out: string[] = [];
  if (!r.state.startsWith('ENABLED')) out.push(`is ${r.state}`);
  if (!targets.some((t) => topics.has(t))) out.push(targets.length === 0 ? 'has no target' : `targets no existing topic (${targets.join(', ')})`);
  if (failures > 0) out.push(`had ${failures} FailedInvocations in the last ${hours} h`);
  return out;
}

/**
 * IR-ROUTING live: every security EventBridge rule (security name prefix) is enabled, targets an
 * existing SNS topic and had no FailedInvocations in the window; no security rule at all is FAIL.
 */
export default defineCheck({
  id: 'events-security-rules',
  controlId: 'IR-ROUTING',
  title: 'Security EventBridge rules enabled, targeting an existing topic, delivering without failures',
  severity: 'error',
  remediation: 'aws events enable-rule --name <rule>; put-targets with the alert topic; for FailedInvocations check the topic key policy admits events.amazonaws.com (without aws:SourceAccount) and the topic policy; redeploy the detection stack.',
}, (s, settings, emit) => {
  const cfg = loggingSettings(settings);
  const scope = (region: string) => regionResource(s, 'events', 'AWS::Events::Rule', region, `rule/${cfg.securityNamePrefix}*`);
  forEachAlertRegion(s, emit, scope, 'events:ListRules', 'security EventBridge rule', (l) => {
    if (!l.rules.ok) return { error: l.rules.failure };
    for (const r of l.rules.value) {
      const resource = { ...scope(l.region), id: r.arn };
      if (!r.targets.ok) { emit.error(resource, r.targets.failure); continue; }
      if (!l.topics.ok) { emit.error(resource, l.topics.failure); continue; }
      if (!l.failedInvocations.ok) { emit.error(resource, l.failedInvocations.failure); continue; }
      const failures = l.failedInvocations.value[r.name];
      if (failures === undefined) { emit.cannotVerify(resource, `no FailedInvocations figure for rule ${r.name}`); continue; }
      const faults = ruleFaults(r, r.targets.value, new Set(l.topics.value), failures, cfg.failedInvocationsHours);
      if (faults.length > 0) emit.fail(resource, `security rule ${r.name} in ${l.region} ${faults.join('; ')}`);
      else emit.pass(resource, `security rule ${r.name} in ${l.region} enabled, targets an existing topic, no FailedInvocations in ${cfg.failedInvocationsHours} h`);
    }
    return { count: l.rules.value.length };
  });
});
