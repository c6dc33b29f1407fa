import { userRows } from '../../credential-report';
import { defineCheck, userResource, usersResource } from '../check';

/**
 * People come through federation: no IAM user has a console password or an active access key,
 * except the break-glass users named in configuration (lesson L1, IAM-NOUSERS).
 */
export default defineCheck({
  id: 'iam-no-users',
  controlId: 'IAM-NOUSERS',
  title: 'No IAM users with a console password or access keys',
  severity: 'error',
  remediation: 'Move the person to IAM Identity Center (federation) and delete the user\'s login profile and access keys; workloads use roles. Name a deliberate break-glass user in configuration.',
}, (s, settings, emit) => {
  const report = s.iam.credentialReport;
  if (!report.ok) return emit.error(usersResource(s), report.failure);
  const breakGlass = new Set(settings.breakGlassUsers);
  let bad = 0;
  const excepted: string[] = [];
  for (const u of userRows(report.value)) {
    const what = [
      ...(u.passwordEnabled === true ? ['a console password'] : []),
      ...u.keys.flatMap((k, i) => (k.active ? [`active access key ${i + 1}`] : [])),
    ];
    if (what.length === 0) continue;
    if (breakGlass.has(u.user)) { excepted.push(u.user); continue; }
    bad++;
    emit.fail(userResource(s, u.arn), `IAM user ${u.user} has ${what.join(' and ')}`);
  }
  if (bad === 0) {
    emit.pass(usersResource(s), `no IAM user has a console password or an active access key${excepted.length ? ` (break-glass excepted: ${excepted.join(', ')})` : ''}`);
  }
});
