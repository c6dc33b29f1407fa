import { ControlId } from '../../lessons';
import { Finding, FindingResource, Severity, finding } from '../../findings';
import { describeFailure } from '../errors';
import { AccountSnapshot, ApiFailure, CheckSettings } from '../types';

/** A live check's metadata, kept beside its logic (one check per file). */
export interface CheckMetadata {
  /** Stable id, e.g. `iam-root-mfa`; becomes the finding's ruleId. */
  readonly id: string;
  readonly controlId: ControlId;
  readonly title: string;
  readonly severity: Severity;
  readonly remediation: string;
}

/**
 * Collects the findings one check yields for one account. `controlId` files a PASS or FAIL under another
 * control than the check's own (drift: a drifted resource fails the control it implements).
 */
export interface Emit {
  pass(resource: FindingResource, message: string, controlId?: ControlId): void;
  fail(resource: FindingResource, message: string, controlId?: ControlId): void;
  /** The check could not be evaluated for this scope: names the API action that failed. */
  error(resource: FindingResource, failure: ApiFailure): void;
  /** The check could not be evaluated for this scope from the data it got: says what is missing. */
  cannotVerify(resource: FindingResource, message: string): void;
}

export interface AuditCheck extends CheckMetadata {
  /** A pure function of the snapshot: PASS, FAIL or ERROR for every scope it covers. */
  evaluate(snapshot: AccountSnapshot, settings: CheckSettings): Finding[];
}

export function defineCheck(
  meta: CheckMetadata,
  run: (snapshot: AccountSnapshot, settings: CheckSettings, emit: Emit) => void,
): AuditCheck {
  return {
    ...meta,
    evaluate(snapshot, settings) {
      const out: Finding[] = [];
      const add = (status: 'PASS' | 'FAIL' | 'ERROR', resource: FindingResource, message: string, controlId: ControlId = meta.controlId): void => {
        out.push(finding({
          ruleId: meta.id,
          controlId,
          source: 'live',
          status,
          severity: meta.severity,
          resource: { ...resource, account: resource.account ?? snapshot.account },
          message,
          remediation: meta.remediation,
        }));
      };
      run(snapshot, settings, {
        pass: (r, m, c) => add('PASS', r, m, c),
        fail: (r, m, c) => add('FAIL', r, m, c),
        error: (r, f) => add('ERROR', r, describeFailure(f)),
        cannotVerify: (r, m) => add('ERROR', r, `cannot verify: ${m}`),
      });
      return out;
    },
  };
}

/** IAM is global: its findings carry this region. */
export const GLOBAL_REGION = 'global';

export const rootResource = (s: AccountSnapshot): FindingResource => ({
  id: `arn:${s.partition}:iam::${s.account}:root`, type: 'AWS::IAM::Root', account: s.account, region: GLOBAL_REGION,
});

/** All IAM users of the account, for the PASS of a per-user check. */
export const usersResource = (s: AccountSnapshot): FindingResource => ({
  id: `arn:${s.partition}:iam::${s.account}:user/*`, type: 'AWS::IAM::User', account: s.account, region: GLOBAL_REGION,
});

export const userResource = (s: AccountSnapshot, arn: string): FindingResource => ({
  id: arn, type: 'AWS::IAM::User', account: s.account, region: GLOBAL_REGION,
});

export const passwordPolicyResource = (s: AccountSnapshot): FindingResource => ({
  id: `arn:${s.partition}:iam::${s.account}:account-password-policy`, type: 'AWS::IAM::AccountPasswordPolicy', account: s.account, region: GLOBAL_REGION,
});

/** GuardDuty in one region (`*` when the regions themselves could not be listed). */
export const detectorResource = (s: AccountSnapshot, region: string): FindingResource => ({
  id: `arn:${s.partition}:guardduty:${region}:${s.account}:detector`, type: 'AWS::GuardDuty::Detector', account: s.account, region,
});

/** Whole days from `iso` to `now` (negative for the future). */
export function ageDays(iso: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(iso)) / 86_400_000);
}

export function ageHours(iso: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(iso)) / 3_600_000);
}
