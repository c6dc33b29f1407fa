import { GUARDDUTY_FEATURES } from '../../../lessons';
import { defineOrganizationCheck } from './check';

/**
 * In every governed region GuardDuty's delegated administrator (the caller) auto-enables every member
 * account (AutoEnableOrganizationMembers ALL) and every protection plan of lib/lessons for all of them
 * (AutoEnable ALL, runtime monitoring's agent management too).
 */
export default defineOrganizationCheck({
  id: 'org-guardduty-auto-enable',
  controlId: 'GD-CENTRAL',
  title: 'GuardDuty auto-enables every member and every protection plan',
  severity: 'error',
  remediation: 'Deploy the <prefix>SecurityTooling-<region> stack in the delegated administrator account (its GuardDutyOrganizationConfiguration), or as that account: aws guardduty update-organization-configuration --auto-enable-organization-members ALL --features Name=...,AutoEnable=ALL.',
}, (input, emit) => {
  const s = input.organization;
  const byRegion = new Map(s.guardduty.map((g) => [g.region, g.configuration]));
  for (const region of input.config.governedRegions) {
    const resource = { id: `arn:${s.partition}:guardduty:${region}:${s.callerAccount}:detector`, type: 'AWS::GuardDuty::Detector', account: s.callerAccount, region };
    const c = byRegion.get(region);
    if (c === undefined) {
      emit.cannotVerify(resource, `GuardDuty's organization configuration in ${region} was not collected`);
      continue;
    }
    if (!c.ok) {
      emit.error(resource, c.failure);
      continue;
    }
    if (c.value === null) {
      emit.fail(resource, `account ${s.callerAccount} has no GuardDuty detector in ${region}: it is not the delegated administrator there`);
      continue;
    }
    const conf = c.value;
    const problems: string[] = [];
    if (conf.autoEnableOrganizationMembers !== 'ALL') problems.push(`members auto-enabled: ${conf.autoEnableOrganizationMembers ?? 'not set'}, not ALL`);
    for (const f of GUARDDUTY_FEATURES) {
      const got = conf.features.find((x) => x.name === f.name);
      if (got?.autoEnable !== 'ALL') {
        problems.push(`${f.name}: ${got?.autoEnable ?? 'absent'}, not ALL`);
        continue;
      }
      for (const a of f.additionalConfiguration ?? []) {
        const ga = got.additional.find((x) => x.name === a);
        if (ga?.autoEnable !== 'ALL') problems.push(`${f.name} ${a}: ${ga?.autoEnable ?? 'absent'}, not ALL`);
      }
    }
    const r = { ...resource, id: `${resource.id}/${conf.detectorId}` };
    if (problems.length > 0) emit.fail(r, `GuardDuty organization configuration in ${region}: ${problems.join('; ')}`);
    else emit.pass(r, `GuardDuty in ${region} auto-enables every member account and all ${GUARDDUTY_FEATURES.length} protection plans`);
  }
});
