/**
 * The organization-level audit (issue 13): what the organization deployment mode promises — an
 * organization trail that is logging, GuardDuty auto-enabling every member and plan, a current
 * baseline StackSet instance in every account of the target OUs in every governed region, and each
 * SCP attached where configured with the content the toolkit renders — and the snapshot of the
 * organization the checks compare it with. Plain JSON, like the account snapshot.
 */
import { SCP_NAMES } from '../../policies';
import { ApiFailure, Collected, OrganizationMembership, failed } from '../types';

/** The short names `scpTargets` uses: the file names under policies/scp. */
export type ScpShortName = typeof SCP_NAMES[number] extends `scp/${infer S}` ? S : never;
export const SCP_SHORT_NAMES = SCP_NAMES.map((n) => n.slice('scp/'.length)) as ScpShortName[];

/** A baseline StackSet and the regions its instances must be in. */
export interface BaselineStackSet {
  readonly name: string;
  /** @default the governed regions */
  readonly regions?: readonly string[];
}

/**
 * The organization-mode configuration the checks compare with, by the names of the `hardening:` keys
 * (lib/config): the same values the stacks are deployed from.
 */
export interface OrganizationAuditConfig {
  readonly governedRegions: readonly string[];
  /** Roots or OUs whose accounts (nested OUs included) get the baseline StackSets. */
  readonly baselineTargets: readonly string[];
  readonly baselineExcludeAccounts?: readonly string[];
  /** Per SCP (policies/scp/<name>.json), the roots, OUs or accounts it is attached to. */
  readonly scpTargets: Readonly<Partial<Record<ScpShortName, readonly string[]>>>;
  /** @default the organization's, from organizations:DescribeOrganization */
  readonly managementAccountId?: string;
  readonly securityToolingAccountId?: string;
  /**
   * The tooling account's role the audit runs as (hardening:auditorRoleName): the only principal each
   * account's audit role trusts; named in the error of an account whose audit role refuses the session.
   */
  readonly auditorRoleName?: string;
  /** The baseline StackSets, in the tooling account's home region (`region`). */
  readonly baselineStackSets: readonly BaselineStackSet[];
  /** The tooling account's home region, where the StackSets live. */
  readonly region: string;
  /** The values the SCPs are rendered with (`scpValues`). */
  readonly stackPrefix: string;
  readonly breakGlassRoleName: string;
  readonly pipelineRoleName: string;
  readonly allowedRegions: readonly string[];
}

/** An account as Organizations lists it under a parent. */
export interface OrganizationAccount {
  readonly id: string;
  readonly name?: string;
  /** State (ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED, ...) or, where absent, Status. */
  readonly state: string;
  /** The OU or root it sits directly in. */
  readonly parentId: string;
}

/** One stack instance of a StackSet (cloudformation:ListStackInstances). */
export interface StackInstanceSummary {
  readonly account: string;
  readonly region: string;
  /** CURRENT, OUTDATED or INOPERABLE. */
  readonly status: string;
  /** SUCCEEDED, FAILED, RUNNING, PENDING, CANCELLED, INOPERABLE, SKIPPED_SUSPENDED_ACCOUNT, ... */
  readonly detailedStatus?: string;
  readonly statusReason?: string;
}

/** GuardDuty's organization configuration as the delegated administrator sees it in one region. */
export interface GuardDutyOrganizationSettings {
  readonly detectorId: string;
  /** ALL, NEW or NONE. */
  readonly autoEnableOrganizationMembers?: string;
  readonly features: readonly { readonly name: string; readonly autoEnable?: string; readonly additional: readonly { readonly name: string; readonly autoEnable?: string }[] }[];
}

/** A policy attached to a target, with its content. */
export interface AttachedPolicy {
  readonly id: string;
  readonly name: string;
  readonly awsManaged: boolean;
  /** organizations:DescribePolicy, the decoded JSON content (not fetched for AWS-managed policies). */
  readonly content?: Collected<unknown>;
}

export interface OrganizationSnapshot {
  /** The account the organization-level calls were made from (the security-tooling account). */
  readonly callerAccount: string;
  readonly partition: string;
  readonly collectedAt: string;
  readonly organization: Collected<OrganizationMembership | null>;
  /** Per baseline target: every account below it, nested OUs included (ListAccountsForParent, ListOrganizationalUnitsForParent). */
  readonly targets: readonly { readonly targetId: string; readonly accounts: Collected<readonly OrganizationAccount[]> }[];
  /** Per baseline StackSet: its instances (ListStackInstances, CallAs DELEGATED_ADMIN unless the caller is the management account). */
  readonly stackSets: readonly { readonly name: string; readonly instances: Collected<readonly StackInstanceSummary[]> }[];
  /** Per governed region: null when the caller has no detector there. */
  readonly guardduty: readonly { readonly region: string; readonly configuration: Collected<GuardDutyOrganizationSettings | null> }[];
  /** Per SCP target: the service control policies attached directly to it (ListPoliciesForTarget, DescribePolicy). */
  readonly policies: readonly { readonly targetId: string; readonly attached: Collected<readonly AttachedPolicy[]> }[];
}

/** A snapshot of the organization where every collection failed for the same reason: every check yields ERROR. */
export function failedOrganizationSnapshot(config: OrganizationAuditConfig, caller: string, partition: string, failure: ApiFailure, collectedAt: Date): OrganizationSnapshot {
  const f = failed(failure);
  const scpTargets = [...new Set(Object.values(config.scpTargets).flatMap((t) => [...(t ?? [])]))];
  return {
    callerAccount: caller, partition, collectedAt: collectedAt.toISOString(), organization: f,
    targets: config.baselineTargets.map((targetId) => ({ targetId, accounts: f })),
    stackSets: config.baselineStackSets.map((s) => ({ name: s.name, instances: f })),
    guardduty: config.governedRegions.map((region) => ({ region, configuration: f })),
    policies: scpTargets.map((targetId) => ({ targetId, attached: f })),
  };
}
