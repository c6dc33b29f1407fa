/**
 * The drift snapshot of one region: the hardened environment's CloudFormation stacks and, for each, the
 * result of a drift detection and every resource found MODIFIED or DELETED. Plain JSON.
 */
import { DEFAULTS } from '../config/defaults';
import { MANAGED_BY_TAG } from '../constructs/tags';
import { realSleep } from './pool';
import { Collected } from './types';

/** One property that differs from the template (DescribeStackResourceDrifts PropertyDifferences). */
export interface PropertyDifference {
  /** JSON pointer into the resource's properties, e.g. `/BucketEncryption/ServerSideEncryptionConfiguration/0`. */
  readonly path: string;
  /** ADD, REMOVE or NOT_EQUAL. */
  readonly kind: string;
  /** The template's value and the live one, shortened for messages. */
  readonly expected?: string;
  readonly actual?: string;
}

export interface ResourceDrift {
  readonly logicalId: string;
  readonly physicalId?: string;
  /** The CloudFormation resource type, e.g. `AWS::S3::Bucket`. */
  readonly type: string;
  /** MODIFIED or DELETED. */
  readonly status: string;
  readonly differences: readonly PropertyDifference[];
}

export interface StackDriftDetection {
  /** DETECTION_COMPLETE, or DETECTION_FAILED (some resources could not be checked). */
  readonly status: string;
  readonly reason?: string;
  /** DRIFTED, IN_SYNC, NOT_CHECKED, UNKNOWN. */
  readonly stackDriftStatus?: string;
}

export interface StackDriftSnapshot {
  readonly name: string;
  readonly id: string;
  /** How it was recognized: `tag hardening:managed-by` or `name prefix Hardening`. */
  readonly foundBy: string;
  /** cloudformation:DetectStackDrift, then DescribeStackDriftDetectionStatus until it ends (bounded). */
  readonly detection: Collected<StackDriftDetection>;
  /** cloudformation:DescribeStackResourceDrifts (MODIFIED, DELETED; all pages), once the detection ended. */
  readonly drifts?: Collected<readonly ResourceDrift[]>;
}

export interface DriftRegionSnapshot {
  readonly region: string;
  /** cloudformation:DescribeStacks (all pages), the hardened environment's stacks. */
  readonly stacks: Collected<readonly StackDriftSnapshot[]>;
}

/** Which stacks belong to the hardened environment. */
export interface DriftSettings {
  /** Stacks named with this prefix (hardening:stackPrefix). */
  readonly stackPrefix: string;
  /** Stacks carrying this tag (every stack buildHardenedEnvironment makes does). */
  readonly managedByTag: string;
}

export const DEFAULT_DRIFT_SETTINGS: DriftSettings = { stackPrefix: DEFAULTS.stackPrefix, managedByTag: MANAGED_BY_TAG.key };

/** How long a drift detection is waited for: bounded exponential backoff; tests inject `sleep`. */
export interface DriftPolling {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** DescribeStackDriftDetectionStatus calls per stack at most; then the stack is ERROR (timed out). */
  readonly maxPolls: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** 2 s doubling to 10 s, at most 30 polls: about 4.5 minutes, past the "several minutes" AWS documents. */
export const DEFAULT_DRIFT_POLLING: DriftPolling = { initialDelayMs: 2_000, maxDelayMs: 10_000, maxPolls: 30, sleep: realSleep };
