/**
 * Drift of the hardened environment's stacks in one region. Calls per region: DescribeStacks (all
 * pages); per stack of the environment (a handful, not every stack of the account): DetectStackDrift,
 * DescribeStackDriftDetectionStatus until it ends (bounded: DriftPolling.maxPolls), and
 * DescribeStackResourceDrifts filtered to MODIFIED and DELETED (all pages).
 *
 * DetectStackDrift is not a read: it starts an operation (CloudFormation records the result on the
 * stack). It changes no resource; policies/iam/audit-readonly.json grants it deliberately.
 */
import {
  CloudFormationClient, DescribeStackDriftDetectionStatusCommand, DetectStackDriftCommand, paginateDescribeStackResourceDrifts,
  paginateDescribeStacks,
} from '@aws-sdk/client-cloudformation';
import { toFailure } from './errors';
import { DriftPolling, DriftRegionSnapshot, DriftSettings, ResourceDrift, StackDriftDetection, StackDriftSnapshot } from './drift-types';
import { mapLimit } from './pool';
import { Collected, failed, ok } from './types';

/** Stacks whose drift is detected at once in one region. */
const IN_FLIGHT = 4;
/** Longest value kept in a property difference (policy documents can be kilobytes). */
const MAX_VALUE = 200;

const short = (v: string | undefined): string | undefined => (v === undefined ? undefined : v.length > MAX_VALUE ? `${v.slice(0, MAX_VALUE - 3)}...` : v);

/** Stacks that are gone or never came to be have no resources to drift. */
const SKIPPED = new Set(['DELETE_COMPLETE', 'CREATE_FAILED', 'ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'DELETE_IN_PROGRESS']);

async function waitForDetection(cfn: CloudFormationClient, stack: string, detectionId: string, polling: DriftPolling): Promise<Collected<StackDriftDetection>> {
  let delay = polling.initialDelayMs;
  let last = 'DETECTION_IN_PROGRESS';
  for (let poll = 1; poll <= polling.maxPolls; poll++) {
    let r;
    try {
      r = await cfn.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: detectionId }));
    } catch (e) {
      return failed(toFailure('cloudformation:DescribeStackDriftDetectionStatus', e));
    }
    last = r.DetectionStatus ?? 'UNKNOWN';
    if (last !== 'DETECTION_IN_PROGRESS') {
      return ok({
        status: last,
        ...(r.DetectionStatusReason ? { reason: r.DetectionStatusReason } : {}),
        ...(r.StackDriftStatus ? { stackDriftStatus: r.StackDriftStatus } : {}),
      });
    }
    if (poll < polling.maxPolls) {
      await polling.sleep(delay);
      delay = Math.min(delay * 2, polling.maxDelayMs);
    }
  }
  return failed({
    action: 'cloudformation:DescribeStackDriftDetectionStatus', kind: 'timeout',
    message: `drift detection of stack ${stack} not finished after ${polling.maxPolls} polls (last: ${last})`,
  });
}

async function resourceDrifts(cfn: CloudFormationClient, stackId: string): Promise<Collected<ResourceDrift[]>> {
  try {
    const out: ResourceDrift[] = [];
    const pages = paginateDescribeStackResourceDrifts({ client: cfn, pageSize: 100 }, { StackName: stackId, StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'] });
    for await (const page of pages) {
      for (const d of page.StackResourceDrifts ?? []) {
        out.push({
          logicalId: d.LogicalResourceId ?? '',
          ...(d.PhysicalResourceId ? { physicalId: d.PhysicalResourceId } : {}),
          type: d.ResourceType ?? 'UNKNOWN',
          status: d.StackResourceDriftStatus ?? 'UNKNOWN',
          differences: (d.PropertyDifferences ?? []).map((p) => ({
            path: p.PropertyPath ?? '', kind: p.DifferenceType ?? 'NOT_EQUAL',
            ...(p.ExpectedValue !== undefined ? { expected: short(p.ExpectedValue) } : {}),
            ...(p.ActualValue !== undefined ? { actual: short(p.ActualValue) } : {}),
          })),
        });
      }
    }
    return ok(out.sort((a, b) => a.logicalId.localeCompare(b.logicalId)));
  } catch (e) {
    return failed(toFailure('cloudformation:DescribeStackResourceDrifts', e));
  }
}

async function stackDrift(cfn: CloudFormationClient, stack: { name: string; id: string; foundBy: string }, polling: DriftPolling): Promise<StackDriftSnapshot> {
  let detectionId: string | undefined;
  try {
    detectionId = (await cfn.send(new DetectStackDriftCommand({ StackName: stack.id }))).StackDriftDetectionId;
  } catch (e) {
    return { ...stack, detection: failed(toFailure('cloudformation:DetectStackDrift', e)) };
  }
  if (!detectionId) return { ...stack, detection: failed({ action: 'cloudformation:DetectStackDrift', kind: 'error', message: 'no StackDriftDetectionId in the answer' }) };
  const detection = await waitForDetection(cfn, stack.name, detectionId, polling);
  if (!detection.ok) return { ...stack, detection };
  // A failed detection still reports the resources it could check: a drift is never hidden behind one that could not be read.
  return { ...stack, detection, drifts: await resourceDrifts(cfn, stack.id) };
}

/** The hardened environment's stacks in one region (tag or name prefix), each with its drift. */
export async function collectDriftRegion(cfn: CloudFormationClient, region: string, settings: DriftSettings, polling: DriftPolling): Promise<DriftRegionSnapshot> {
  const found: { name: string; id: string; foundBy: string }[] = [];
  try {
    for await (const page of paginateDescribeStacks({ client: cfn }, {})) {
      for (const s of page.Stacks ?? []) {
        if (!s.StackName || SKIPPED.has(s.StackStatus ?? '')) continue;
        const tagged = (s.Tags ?? []).some((t) => t.Key === settings.managedByTag);
        if (!tagged && !s.StackName.startsWith(settings.stackPrefix)) continue;
        found.push({ name: s.StackName, id: s.StackId ?? s.StackName, foundBy: tagged ? `tag ${settings.managedByTag}` : `name prefix ${settings.stackPrefix}` });
      }
    }
  } catch (e) {
    return { region, stacks: failed(toFailure('cloudformation:DescribeStacks', e)) };
  }
  found.sort((a, b) => a.name.localeCompare(b.name));
  return { region, stacks: ok(await mapLimit(found, IN_FLIGHT, (s) => stackDrift(cfn, s, polling))) };
}
