import { ControlId } from '../../../lessons';
import { FindingResource } from '../../../findings';
import { driftControl, topProperty } from '../../drift-controls';
import { PropertyDifference, ResourceDrift, StackDriftSnapshot } from '../../drift-types';
import { AccountSnapshot } from '../../types';
import { defineCheck } from '../check';
import { notCollected } from '../cloudtrail/scope';

const stacksResource = (s: AccountSnapshot, region: string): FindingResource => ({
  id: `arn:${s.partition}:cloudformation:${region}:${s.account}:stack/*`, type: 'AWS::CloudFormation::Stack', account: s.account, region,
});

const stackResource = (s: AccountSnapshot, region: string, st: StackDriftSnapshot): FindingResource => ({
  id: st.id, type: 'AWS::CloudFormation::Stack', template: st.name, account: s.account, region,
});

/** A drifted resource, named as `check` names template resources: `<stack>#<LogicalId>`. */
const driftedResource = (s: AccountSnapshot, region: string, st: StackDriftSnapshot, d: ResourceDrift): FindingResource => ({
  id: `${st.name}#${d.logicalId}`, type: d.type, logicalId: d.logicalId, template: st.name, account: s.account, region,
});

function describe(p: PropertyDifference): string {
  if (p.kind === 'REMOVE') return `${p.path} was removed (deployed: ${p.expected ?? '?'})`;
  if (p.kind === 'ADD') return `${p.path} was added: ${p.actual ?? '?'}`;
  return `${p.path} is ${p.actual ?? '?'} (deployed: ${p.expected ?? '?'})`;
}

const MAX_LISTED = 5;
const list = (xs: string[]): string => (xs.length <= MAX_LISTED ? xs.join('; ') : `${xs.slice(0, MAX_LISTED).join('; ')}; and ${xs.length - MAX_LISTED} more`);

/** A drifted resource's differences grouped by the control each breaks (a deleted resource: its type's control). */
export function driftsByControl(d: ResourceDrift): Map<ControlId, PropertyDifference[]> {
  const out = new Map<ControlId, PropertyDifference[]>();
  if (d.status === 'DELETED' || d.differences.length === 0) return new Map([[driftControl(d.type), []]]);
  for (const p of d.differences) {
    const c = driftControl(d.type, topProperty(p.path));
    out.set(c, [...(out.get(c) ?? []), p]);
  }
  return out;
}

/**
 * CloudFormation drift detection on every stack of the hardened environment (tag hardening:managed-by
 * or the stack prefix): each resource changed (MODIFIED) or deleted (DELETED) outside the pipeline is a
 * FAIL under the control that resource implements, naming the property that drifted (lib/audit/drift-controls).
 * A stack whose detection cannot run, does not finish or fails is ERROR (the drifts it did find are still FAIL).
 */
export default defineCheck({
  id: 'cloudformation-drift',
  controlId: 'LOG-TAMPER',
  title: 'The hardened environment\'s stacks have not drifted',
  severity: 'error',
  remediation: 'Find out who changed the resource outside the pipeline (CloudTrail, by the resource\'s name), then redeploy the stack to restore what the template says; a change that was needed belongs in the code.',
}, (s, _settings, emit) => {
  if (!s.regions.ok) return emit.error(stacksResource(s, '*'), s.regions.failure);
  if (s.drift === undefined) return emit.cannotVerify(stacksResource(s, '*'), 'stack drift (cloudformation:DetectStackDrift) was not collected');
  const byRegion = new Map(s.drift.map((d) => [d.region, d]));
  for (const region of s.regions.value) {
    const d = byRegion.get(region);
    if (!d) { emit.error(stacksResource(s, region), notCollected('cloudformation:DescribeStacks', region)); continue; }
    if (!d.stacks.ok) { emit.error(stacksResource(s, region), d.stacks.failure); continue; }
    if (d.stacks.value.length === 0) { emit.pass(stacksResource(s, region), `no stack of the hardened environment in ${region}`); continue; }
    for (const st of d.stacks.value) {
      const r = stackResource(s, region, st);
      if (!st.detection.ok) { emit.error(r, st.detection.failure); continue; }
      const det = st.detection.value;
      if (det.status !== 'DETECTION_COMPLETE') emit.cannotVerify(r, `drift detection of stack ${st.name} ended ${det.status}${det.reason ? `: ${det.reason}` : ''}`);
      if (st.drifts === undefined) continue;
      if (!st.drifts.ok) { emit.error(r, st.drifts.failure); continue; }
      for (const drift of st.drifts.value) {
        const what = `${drift.logicalId} (${drift.type}${drift.physicalId ? ` ${drift.physicalId}` : ''}) in stack ${st.name}`;
        for (const [control, diffs] of driftsByControl(drift)) {
          const message = drift.status === 'DELETED'
            ? `${what} was deleted outside CloudFormation`
            : `${what} drifted${diffs.length ? `: ${list(diffs.map(describe))}` : ''}`;
          emit.fail(driftedResource(s, region, st, drift), message, control);
        }
      }
      if (det.status === 'DETECTION_COMPLETE' && st.drifts.value.length === 0) {
        emit.pass(r, `stack ${st.name} (${st.foundBy}) has not drifted${det.stackDriftStatus ? ` (${det.stackDriftStatus})` : ''}`);
      }
    }
  }
});
