import { defineCheck, detectorResource } from '../check';
import { forEachRegion } from './scope';
import { GUARDDUTY_FEATURES, GUARDDUTY_PLAN_NAMES } from '../../../lessons';

/** The plans every detector must enable: the catalogue's list, the one the detector construct enables. */
export const REQUIRED_FEATURES = GUARDDUTY_PLAN_NAMES;

/**
 * Every protection plan is enabled on every detector, with the additional configuration the catalogue
 * requires of it: RUNTIME_MONITORING without its agent management deploys no security agent, so the
 * plan reads ENABLED while EKS, ECS Fargate and EC2 workloads go unwatched.
 */
export default defineCheck({
  id: 'guardduty-protection-plans',
  controlId: 'GD-ENABLED',
  title: 'Every GuardDuty protection plan enabled',
  severity: 'warning',
  remediation: 'aws guardduty update-detector --detector-id <id> --features Name=S3_DATA_EVENTS,Status=ENABLED ... for every missing plan, and for runtime monitoring \'Name=RUNTIME_MONITORING,Status=ENABLED,AdditionalConfiguration=[{Name=EKS_ADDON_MANAGEMENT,Status=ENABLED},{Name=ECS_FARGATE_AGENT_MANAGEMENT,Status=ENABLED},{Name=EC2_AGENT_MANAGEMENT,Status=ENABLED}]\' (or enable them from the delegated administrator for all members; the GuardDutyDetector construct configures all of it).',
}, (s, _settings, emit) => {
  forEachRegion(s, emit, (g, d) => {
    const byName = new Map((d?.features ?? []).map((f) => [f.name, f]));
    const missing = REQUIRED_FEATURES.filter((f) => byName.get(f)?.status !== 'ENABLED');
    const r = detectorResource(s, g.region);
    const problems: string[] = [];
    if (missing.length > 0) problems.push(`protection plans not enabled in ${g.region}: ${missing.map((m) => `${m} (${byName.get(m)?.status ?? 'absent'})`).join(', ')}`);
    const agents: string[] = [];
    for (const f of GUARDDUTY_FEATURES) {
      const got = byName.get(f.name);
      if (got?.status !== 'ENABLED') continue;
      for (const a of f.additionalConfiguration ?? []) {
        const status = got.additional?.find((x) => x.name === a)?.status;
        if (status !== 'ENABLED') agents.push(`${f.name} ${a} (${status ?? 'absent'})`);
      }
    }
    if (agents.length > 0) problems.push(`plan configuration not enabled in ${g.region}: ${agents.join(', ')}: GuardDuty deploys no agent there, so those workloads go unwatched`);
    if (problems.length > 0) {
      emit.fail(r, problems.join('; '));
    } else {
      emit.pass(r, `all ${REQUIRED_FEATURES.length} protection plans enabled in ${g.region}, with their agent management`);
    }
  });
});
