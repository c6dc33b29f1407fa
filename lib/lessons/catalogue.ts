import { cis, fsbp, glba, nist, nydfs } from './citations';
import { Control, ControlId, Lesson, LessonId, NotificationClock } from './types';

/** The MITRE ATT&CK Enterprise release the technique ids below are taken from. */
export const ATTACK_VERSION = 'ATT&CK Enterprise v16';

type ControlSpec = Omit<Control, 'lessonId'>;

function lesson(id: LessonId, title: string, stage: string, attack: string[], controls: ControlSpec[]): Lesson {
  return { id, title, stage, attack, controls: controls.map((c) => ({ ...c, lessonId: id })) };
}

const range = (prefix: string, from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

/** Lessons L1–L10 of the 2023 mortgage-servicer breach and their controls (../shared/LESSONS.md). */
export const LESSONS: readonly Lesson[] = [
  lesson('L1', 'Humans prove who they are with MFA', 'phishing, help-desk social engineering', ['T1566', 'T1656', 'T1598'], [
    { id: 'IAM-MFA', title: 'Every human principal needs MFA',
      description: 'Every IAM group carries a deny-unless-MFA statement; roles people assume require MFA and a recent MFA age.',
      citations: [...glba('(c)(5)'), ...nydfs('12'), ...cis('1.10'), ...nist('IA-2(1)', 'IA-2(2)', 'IA-2(8)'), ...fsbp('IAM.5')] },
    { id: 'IAM-NOUSERS', title: 'No IAM users or access keys built by IaC',
      description: 'People come through federation; no template creates an IAM user with a console password or an access key.',
      citations: [...glba('(c)(1)'), ...nydfs('7'), ...cis('1.11', '1.21'), ...nist('AC-2', 'IA-2')] },
    { id: 'IAM-PASSWORD', title: 'Account password policy: length 14, reuse 24',
      description: 'The account password policy requires at least 14 characters, all character classes, and prevents reuse of the last 24 passwords.',
      citations: [...glba('(c)(1)'), ...nydfs('7'), ...cis('1.8', '1.9'), ...nist('IA-5(1)'), ...fsbp('IAM.7')] },
    { id: 'IAM-ROOT', title: 'Root has MFA and no access keys',
      description: 'The root user has (preferably hardware) MFA, no access keys, and is not used for daily work.',
      citations: [...glba('(c)(5)'), ...nydfs('12'), ...cis('1.4', '1.5'), ...nist('AC-6(2)', 'IA-2(1)'), ...fsbp('IAM.4', 'IAM.6')] },
  ]),
  lesson('L2', 'A stolen credential opens little', 'valid cloud accounts, IMDS credential theft', ['T1078.004', 'T1552.005', 'T1098'], [
    { id: 'IAM-LEASTPRIV', title: 'No full or service-wide wildcards; boundaries on workload roles',
      description: 'No custom policy allows "*" or "service:*" on "*"; every role carries a permissions boundary.',
      citations: [...glba('(c)(1)'), ...nydfs('7'), ...cis('1.16'), ...nist('AC-6', 'AC-6(10)'), ...fsbp('IAM.1', 'IAM.21')] },
    { id: 'IAM-KEYS', title: 'Access keys rotated, used and single',
      description: 'Access keys are rotated within 90 days, used within 45 days, and a user has at most one active key.',
      citations: [...nydfs('7'), ...cis('1.12', '1.13', '1.14'), ...nist('AC-2', 'AC-2(3)', 'IA-5'), ...fsbp('IAM.3', 'IAM.8')] },
    { id: 'EC2-IMDSV2', title: 'Instance metadata v2 only',
      description: 'Instances and launch templates require IMDSv2 session tokens, so SSRF cannot read instance credentials.',
      citations: [...cis('5.7'), ...nist('AC-3', 'AC-6'), ...fsbp('EC2.8')] },
    { id: 'IAM-SESSION', title: 'Human role sessions last at most one hour',
      description: 'Roles assumed by people have a maximum session duration of 3600 seconds.',
      citations: [...glba('(c)(1)'), ...nydfs('7'), ...nist('AC-12', 'IA-11')] },
  ]),
  lesson('L3', 'Malware is seen', 'user execution, scripting', ['T1204', 'T1059'], [
    { id: 'GD-ENABLED', title: 'GuardDuty on everywhere with every protection plan',
      description: 'A GuardDuty detector is enabled in every region in use with S3 data events, EKS audit logs, EBS malware protection, RDS login events, Lambda network logs and runtime monitoring.',
      citations: [...glba('(c)(8)'), ...nydfs('14(a)', '14(b)'), ...nist('SI-3', 'SI-4'), ...fsbp('GuardDuty.1', ...range('GuardDuty.', 5, 13))] },
    { id: 'GD-TRIAGE', title: 'No high-severity finding left untriaged',
      description: 'No unarchived GuardDuty finding of severity 7.0 or above is older than the triage window.',
      citations: [...glba('(h)'), ...nydfs('14(a)', '16'), ...nist('IR-4', 'SI-4')] },
    { id: 'GD-CENTRAL', title: 'GuardDuty centrally managed',
      description: 'An organization has one GuardDuty delegated administrator that manages every member account.',
      citations: [...glba('(c)(8)'), ...nydfs('14(b)'), ...nist('SI-4', 'AU-6')] },
  ]),
  lesson('L4', 'No lateral movement', 'remote services, cloud services', ['T1021', 'T1021.007', 'T1550.001'], [
    { id: 'NET-TIERS', title: 'Data stores only in isolated subnets',
      description: 'Databases, caches and other data stores sit only in subnets with no route to an internet or NAT gateway.',
      citations: [...glba('(c)(1)'), ...nydfs('7'), ...nist('SC-7', 'AC-4')] },
    { id: 'NET-INGRESS', title: 'No ingress from anywhere except 443 to a public load balancer',
      description: 'No security group, ingress rule or network ACL entry admits 0.0.0.0/0 or ::/0, except TCP 443 to a public load balancer.',
      citations: [...glba('(c)(1)'), ...nist('SC-7', 'AC-4'), ...fsbp('EC2.18')] },
    { id: 'NET-DEFAULTSG', title: 'Default security group closed',
      description: 'The default security group of every VPC has no ingress and no egress rules.',
      citations: [...cis('5.5'), ...nist('SC-7'), ...fsbp('EC2.2')] },
    { id: 'NET-NOADMINPORTS', title: 'No SSH or RDP; Session Manager instead',
      description: 'Ports 22 and 3389 are never open beyond the VPC; administrators use Session Manager.',
      citations: [...cis('5.2', '5.3', '5.4'), ...nist('SC-7', 'AC-17')] },
    { id: 'NET-ENDPOINTS', title: 'AWS APIs reached through VPC endpoints',
      description: 'S3 and DynamoDB gateway endpoints and interface endpoints for KMS, STS, Logs, Secrets Manager and Session Manager keep API traffic off the internet.',
      citations: [...nist('SC-7', 'AC-4')] },
  ]),
  lesson('L5', 'Stolen PII is unreadable', 'data from cloud storage', ['T1530', 'T1005'], [
    { id: 'DATA-CMK', title: 'PII encrypted at rest with customer-managed keys',
      description: 'S3, DynamoDB, RDS, EBS, SNS, SQS and log groups are encrypted with customer-managed KMS keys.',
      citations: [...glba('(c)(3)'), ...nydfs('15'), ...cis('5.1.1'), ...nist('SC-28', 'SC-28(1)', 'SC-12')] },
    { id: 'DATA-ROTATION', title: 'Key rotation on',
      description: 'Every customer-managed symmetric KMS key has automatic rotation enabled.',
      citations: [...nydfs('15'), ...cis('3.6'), ...nist('SC-12')] },
    { id: 'DATA-TLS', title: 'TLS-only access',
      description: 'Bucket policies deny requests without TLS and with TLS below 1.2.',
      citations: [...glba('(c)(3)'), ...nydfs('15'), ...nist('SC-8', 'SC-8(1)'), ...fsbp('S3.5')] },
    { id: 'DATA-PUBLIC', title: 'No public access',
      description: 'All four S3 block-public-access settings are on, no database is publicly accessible, and no policy or ACL grants everyone.',
      citations: [...glba('(c)(1)'), ...nydfs('7'), ...nist('AC-3', 'AC-4', 'SC-7'), ...fsbp('S3.1', 'S3.8', 'RDS.2')] },
    { id: 'DATA-KEYPOLICY', title: 'Key administrators cannot use the key',
      description: 'Key policies separate administration of a key from its use for encryption and decryption.',
      citations: [...glba('(c)(1)'), ...nydfs('7'), ...nist('AC-5', 'AC-6', 'SC-12')] },
  ]),
  lesson('L6', 'Exfiltration is blocked or noticed', 'exfiltration over other channels, to cloud storage, to another account', ['T1048', 'T1567.002', 'T1537'], [
    { id: 'EXF-EGRESS', title: 'No internet egress from the data tier',
      description: 'The data tier has no route to the internet and data stores\' security groups do not allow all outbound traffic.',
      citations: [...nydfs('7'), ...nist('SC-7', 'SC-7(5)', 'AC-4')] },
    { id: 'EXF-ENDPOINTPOLICY', title: 'Endpoint and bucket policies limited to the organization',
      description: 'VPC endpoint policies admit only principals of the own account or organization.',
      citations: [...nist('AC-4', 'SC-7')] },
    { id: 'EXF-DATAEVENTS', title: 'Object-level logging on PII buckets',
      description: 'CloudTrail records S3 data events (reads and writes) on every PII bucket.',
      citations: [...glba('(c)(8)'), ...nydfs('6'), ...cis('3.8', '3.9'), ...nist('AU-2', 'AU-12')] },
  ]),
  lesson('L7', 'Dwell time is short', 'impair defenses, indicator removal', ['T1562.008', 'T1070'], [
    { id: 'LOG-TRAIL', title: 'Multi-region CloudTrail, validated, encrypted, in CloudWatch Logs',
      description: 'A multi-region trail with global service events, log file validation, KMS encryption and delivery to CloudWatch Logs.',
      citations: [...glba('(c)(8)'), ...nydfs('6'), ...cis('3.1', '3.2', '3.5'), ...nist('AU-2', 'AU-9', 'AU-12'), ...fsbp('CloudTrail.1', 'CloudTrail.2', 'CloudTrail.4', 'CloudTrail.5')] },
    { id: 'LOG-ARCHIVE', title: 'Immutable log archive kept three years',
      description: 'The trail\'s archive bucket has object lock in compliance mode with at least three years of retention.',
      citations: [...glba('(c)(8)'), ...nydfs('6'), ...nist('AU-9', 'AU-11')] },
    { id: 'LOG-FLOW', title: 'VPC flow logs of all traffic',
      description: 'Every VPC has a flow log capturing ALL traffic.',
      citations: [...nydfs('14(b)'), ...cis('3.7'), ...nist('AU-2', 'SI-4'), ...fsbp('EC2.6')] },
    { id: 'LOG-RETENTION', title: 'Log groups kept 365 days or more and encrypted',
      description: 'Every log group keeps events at least 365 days (default 1095, NYDFS 500.6) and is KMS-encrypted.',
      citations: [...glba('(c)(8)'), ...nydfs('6'), ...nist('AU-11', 'AU-9')] },
    { id: 'LOG-ALARMS', title: 'CIS metric-filter alarms',
      description: 'Metric filters and alarms for the CIS 4.1–4.15 events on the trail\'s log group.',
      citations: [...glba('(c)(8)'), ...nydfs('14(b)'), ...cis(...range('4.', 1, 15)), ...nist('AU-6', 'SI-4')] },
    { id: 'LOG-TAMPER', title: 'Security services cannot be switched off',
      description: 'Service control policies deny disabling or weakening GuardDuty, CloudTrail, Config, alarms and keys.',
      citations: [...glba('(c)(8)'), ...nydfs('14(b)'), ...nist('AU-9', 'SI-4')] },
  ]),
  lesson('L8', 'Recovery without paying', 'data encrypted for impact, inhibit recovery, destruction', ['T1486', 'T1490', 'T1485'], [
    { id: 'BAK-VAULTLOCK', title: 'Backups in a locked vault covering every stateful resource',
      description: 'AWS Backup copies every stateful resource into a vault locked in compliance mode.',
      citations: [...nydfs('16'), ...nist('CP-9', 'CP-10')] },
    { id: 'BAK-RETAIN', title: 'Stateful resources retained and protected',
      description: 'Stateful resources are retained on delete, with deletion protection, versioning and point-in-time recovery.',
      citations: [...nydfs('16'), ...nist('CP-9', 'CP-10'), ...fsbp('DynamoDB.2', 'RDS.8')] },
  ]),
  lesson('L9', 'Response starts in minutes', 'late detection', [], [
    { id: 'IR-ROUTING', title: 'High-severity findings reach people through an encrypted topic',
      description: 'GuardDuty findings of severity 7 or more and the CIS alarms reach on-call people through a KMS-encrypted SNS topic.',
      citations: [...glba('(h)'), ...nydfs('14(b)', '16'), ...nist('IR-4', 'IR-6', 'SI-4')] },
    { id: 'IR-CLOCKS', title: 'Reports state the notification deadlines',
      description: 'Reports state the regulatory notification deadlines that start at detection.',
      citations: [...glba('(j)'), ...nydfs('17(a)', '17(c)'), ...nist('IR-6', 'IR-8')] },
  ]),
  lesson('L10', 'Keep only what you must', 'collection of PII kept beyond need', [], [
    { id: 'DISPOSAL', title: 'Lifecycle rules on PII buckets',
      description: 'PII buckets expire old versions; disposal no later than two years after last use is a business rule the report surfaces.',
      citations: [...glba('(c)(6)'), ...nydfs('13'), ...nist('SI-12')] },
  ]),
];

/**
 * Deadlines that start when a cybersecurity event is detected (control IR-CLOCKS). Each clock names
 * the document it comes from and the date from which that deadline applies.
 */
export const NOTIFICATION_CLOCKS: readonly NotificationClock[] = [
  { id: 'ginnie-mae', authority: 'Ginnie Mae', trigger: 'significant cybersecurity incident affecting an issuer', hours: 48,
    citation: 'Ginnie Mae APM 24-02',
    source: 'Ginnie Mae All Participant Memorandum 24-02, Cybersecurity Incident Notification Requirement (MBS Guide 5500.3)',
    effective: '2024-03-04' },
  { id: 'nydfs-500.17a', authority: 'NYDFS', trigger: 'cybersecurity incident determined', hours: 72,
    citation: '23 NYCRR 500.17(a)', source: '23 NYCRR Part 500 as amended 1 Nov 2023, section 500.17(a)', effective: '2023-12-01' },
  { id: 'fannie-mae', authority: 'Fannie Mae', trigger: 'cybersecurity incident identified (seller/servicer)', hours: 36,
    citation: 'Fannie Mae Information Security and Business Resiliency Supplement',
    source: 'Fannie Mae Information Security and Business Resiliency Supplement, section on cybersecurity incident notification (Single-Family sellers and servicers)',
    effective: '2025-08-12' },
  { id: 'nydfs-500.17c-notice', authority: 'NYDFS', trigger: 'extortion (ransom) payment made', hours: 24,
    citation: '23 NYCRR 500.17(c)', source: '23 NYCRR Part 500 as amended 1 Nov 2023, section 500.17(c)', effective: '2023-12-01' },
  { id: 'nydfs-500.17c-justification', authority: 'NYDFS', trigger: 'written justification of a ransom payment', hours: 30 * 24,
    citation: '23 NYCRR 500.17(c)', source: '23 NYCRR Part 500 as amended 1 Nov 2023, section 500.17(c)', effective: '2023-12-01' },
  { id: 'ftc-safeguards', authority: 'FTC', trigger: 'unencrypted customer information of 500 or more consumers acquired (data is unencrypted if the key was also taken)', hours: 30 * 24,
    citation: '16 CFR 314.4(j)', source: 'FTC Standards for Safeguarding Customer Information, 16 CFR 314.4(j) (notification amendment)', effective: '2024-05-13' },
];

const CONTROL_INDEX: ReadonlyMap<string, Control> = new Map(LESSONS.flatMap((l) => l.controls.map((c) => [c.id, c] as const)));
const LESSON_INDEX: ReadonlyMap<string, Lesson> = new Map(LESSONS.map((l) => [l.id, l] as const));

export const CONTROLS: readonly Control[] = LESSONS.flatMap((l) => l.controls);

export function isControlId(id: string): id is ControlId {
  return CONTROL_INDEX.has(id);
}

/** The control with this id; throws on an unknown id, so a typo in a rule cannot cite nothing. */
export function control(id: ControlId): Control {
  const c = CONTROL_INDEX.get(id);
  if (!c) throw new Error(`unknown control id '${id}'`);
  return c;
}

export function lessonOf(id: ControlId | LessonId): Lesson {
  const lessonId = LESSON_INDEX.has(id) ? id : control(id as ControlId).lessonId;
  const l = LESSON_INDEX.get(lessonId);
  if (!l) throw new Error(`unknown lesson id '${id}'`);
  return l;
}
