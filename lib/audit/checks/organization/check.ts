import { Finding, FindingResource, finding } from '../../../findings';
import { describeFailure } from '../../errors';
import { OrganizationAuditConfig, OrganizationSnapshot } from '../../organization/types';
import { AccountSnapshot } from '../../types';
import { CheckMetadata, Emit, GLOBAL_REGION } from '../check';

/** What an organization check sees: the organization snapshot, every audited account's snapshot, and the configuration. */
export interface OrganizationCheckInput {
  readonly organization: OrganizationSnapshot;
  readonly accounts: readonly AccountSnapshot[];
  readonly config: OrganizationAuditConfig;
}

export interface OrganizationCheck extends CheckMetadata {
  /** A pure function of the input: PASS, FAIL or ERROR for every scope it covers. */
  evaluate(input: OrganizationCheckInput): Finding[];
}

export function defineOrganizationCheck(meta: CheckMetadata, run: (input: OrganizationCheckInput, emit: Emit) => void): OrganizationCheck {
  return {
    ...meta,
    evaluate(input) {
      const out: Finding[] = [];
      const add = (status: 'PASS' | 'FAIL' | 'ERROR', resource: FindingResource, message: string): void => {
        out.push(finding({
          ruleId: meta.id, controlId: meta.controlId, source: 'live', status, severity: meta.severity,
          resource: { ...resource, account: resource.account ?? input.organization.callerAccount, region: resource.region ?? GLOBAL_REGION },
          message, remediation: meta.remediation,
        }));
      };
      run(input, {
        pass: (r, m) => add('PASS', r, m),
        fail: (r, m) => add('FAIL', r, m),
        error: (r, f) => add('ERROR', r, describeFailure(f)),
        cannotVerify: (r, m) => add('ERROR', r, `cannot verify: ${m}`),
      });
      return out;
    },
  };
}

/** The management account: the configuration's, or the organization's as DescribeOrganization reported it. */
export function managementAccountOf(input: OrganizationCheckInput): string | undefined {
  const o = input.organization.organization;
  return input.config.managementAccountId ?? (o.ok && o.value ? o.value.managementAccountId : undefined);
}

/** The organization itself, as a finding resource. */
export function organizationResource(input: OrganizationCheckInput): FindingResource {
  const o = input.organization.organization;
  const id = o.ok && o.value ? o.value.id : 'o-unknown';
  const mgmt = managementAccountOf(input) ?? input.organization.callerAccount;
  return { id: `arn:${input.organization.partition}:organizations::${mgmt}:organization/${id}`, type: 'AWS::Organizations::Organization', account: mgmt, region: GLOBAL_REGION };
}
