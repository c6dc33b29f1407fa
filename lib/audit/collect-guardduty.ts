import {
  DescribeOrganizationConfigurationCommand, GetAdministratorAccountCommand, GetDetectorCommand, GetFindingsCommand,
  GuardDutyClient, paginateListDetectors, paginateListFindings,
} from '@aws-sdk/client-guardduty';
import { errorCode, toFailure } from './errors';
import { GUARDDUTY_HIGH_SEVERITY } from '../lessons';
import {
  Collected, GuardDutyAdministrator, GuardDutyDetector, GuardDutyOrganizationConfiguration, GuardDutyRegionSnapshot,
  HighSeverityFindings, failed, ok,
} from './types';

/** GuardDuty's high severity starts at 7.0. */
export const HIGH_SEVERITY = GUARDDUTY_HIGH_SEVERITY;
/** GetFindings accepts at most 50 ids: the oldest 50 are fetched in full. */
export const OLDEST_SAMPLE = 50;

async function listDetectors(gd: GuardDutyClient): Promise<Collected<string[]>> {
  try {
    const ids: string[] = [];
    for await (const page of paginateListDetectors({ client: gd, pageSize: 50 }, {})) ids.push(...(page.DetectorIds ?? []));
    return ok(ids);
  } catch (e) {
    return failed(toFailure('guardduty:ListDetectors', e));
  }
}

async function getDetector(gd: GuardDutyClient, id: string): Promise<Collected<GuardDutyDetector>> {
  try {
    const r = await gd.send(new GetDetectorCommand({ DetectorId: id }));
    return ok({
      id,
      status: r.Status ?? 'UNKNOWN',
      features: (r.Features ?? []).map((f) => ({
        name: f.Name ?? '',
        status: f.Status ?? 'UNKNOWN',
        additional: (f.AdditionalConfiguration ?? []).map((a) => ({ name: a.Name ?? '', status: a.Status ?? 'UNKNOWN' })),
      })),
    });
  } catch (e) {
    return failed(toFailure('guardduty:GetDetector', e));
  }
}

/** Unarchived findings of severity >= 7, oldest first: every id (for the count), the oldest 50 in full. */
async function highSeverityFindings(gd: GuardDutyClient, detectorId: string): Promise<Collected<HighSeverityFindings>> {
  const ids: string[] = [];
  try {
    const pages = paginateListFindings({ client: gd, pageSize: 50 }, {
      DetectorId: detectorId,
      FindingCriteria: { Criterion: { 'severity': { GreaterThanOrEqual: HIGH_SEVERITY }, 'service.archived': { Equals: ['false'] } } },
      SortCriteria: { AttributeName: 'createdAt', OrderBy: 'ASC' },
    });
    for await (const page of pages) ids.push(...(page.FindingIds ?? []));
  } catch (e) {
    return failed(toFailure('guardduty:ListFindings', e));
  }
  if (ids.length === 0) return ok({ count: 0, oldest: [] });
  try {
    const r = await gd.send(new GetFindingsCommand({
      DetectorId: detectorId,
      FindingIds: ids.slice(0, OLDEST_SAMPLE),
      SortCriteria: { AttributeName: 'createdAt', OrderBy: 'ASC' },
    }));
    const oldest = (r.Findings ?? [])
      .map((f) => ({ id: f.Id ?? '', severity: f.Severity ?? 0, createdAt: new Date(f.CreatedAt ?? 0).toISOString(), type: f.Type }))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return ok({ count: ids.length, oldest });
  } catch (e) {
    return failed(toFailure('guardduty:GetFindings', e));
  }
}

async function administrator(gd: GuardDutyClient, detectorId: string): Promise<Collected<GuardDutyAdministrator | null>> {
  try {
    const r = await gd.send(new GetAdministratorAccountCommand({ DetectorId: detectorId }));
    const a = r.Administrator;
    return ok(a?.AccountId ? { accountId: a.AccountId, relationshipStatus: a.RelationshipStatus ?? 'Unknown' } : null);
  } catch (e) {
    return failed(toFailure('guardduty:GetAdministratorAccount', e));
  }
}

/** Visible only to the delegated administrator: any other account gets BadRequestException (null). */
async function organizationConfiguration(gd: GuardDutyClient, detectorId: string): Promise<Collected<GuardDutyOrganizationConfiguration | null>> {
  try {
    const r = await gd.send(new DescribeOrganizationConfigurationCommand({ DetectorId: detectorId }));
    return ok({ autoEnableOrganizationMembers: r.AutoEnableOrganizationMembers ?? (r.AutoEnable ? 'NEW' : 'NONE') });
  } catch (e) {
    if (errorCode(e) === 'BadRequestException') return ok(null);
    return failed(toFailure('guardduty:DescribeOrganizationConfiguration', e));
  }
}

/**
 * GuardDuty in one region: ListDetectors, then (with a detector) GetDetector and the high-severity
 * findings together; in an organization, the administrator and — only when no enabled administrator
 * manages the account — the organization configuration.
 */
export async function collectGuardDutyRegion(gd: GuardDutyClient, region: string, inOrganization: boolean): Promise<GuardDutyRegionSnapshot> {
  const detectorIds = await listDetectors(gd);
  if (!detectorIds.ok || detectorIds.value.length === 0) return { region, detectorIds };
  const id = detectorIds.value[0];
  const [detector, highSeverity, admin] = await Promise.all([
    getDetector(gd, id),
    highSeverityFindings(gd, id),
    inOrganization ? administrator(gd, id) : Promise.resolve(undefined),
  ]);
  const needConfig = inOrganization && admin !== undefined && admin.ok && admin.value?.relationshipStatus !== 'Enabled';
  const orgConfig = needConfig ? await organizationConfiguration(gd, id) : undefined;
  return {
    region,
    detectorIds,
    detector,
    highSeverityFindings: highSeverity,
    ...(admin !== undefined ? { administrator: admin } : {}),
    ...(orgConfig !== undefined ? { organizationConfiguration: orgConfig } : {}),
  };
}
