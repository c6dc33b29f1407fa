import { Framework } from './types';

/**
 * The real ids of a framework that cites by number, with where the list was taken from. A citation of
 * `cis-aws`, `nist-800-53` or `aws-fsbp` must name an id of its list (test/lessons/reference-ids.test.ts),
 * so a number that does not exist — or belongs to another version of the framework — cannot be cited.
 */
export interface ReferenceIds {
  readonly framework: Framework;
  /** The document and version the ids belong to. */
  readonly source: string;
  readonly version: string;
  /** What the list holds and what it does not (a list may be a verified subset). */
  readonly scope: string;
  readonly ids: ReadonlySet<string>;
}

const seq = (prefix: string, from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

/**
 * CIS Amazon Web Services Foundations Benchmark v4.0.1: every recommendation number. These are the
 * benchmark's own numbers. AWS Security Hub's CIS standards (v1.2.0, v1.4.0, v3.0.0, v5.0.0) number
 * their requirements after their own benchmark version: e.g. "EBS encryption" is 2.2.1 in v3.0.0 and
 * 5.1.1 here, and the NACL admin-port recommendation is 5.1 in v3.0.0 and 5.2 here. A CIS number in
 * this project is always a v4.0.1 number.
 */
export const CIS_AWS_V4_0_1: ReferenceIds = {
  framework: 'cis-aws',
  source: 'CIS Amazon Web Services Foundations Benchmark (ids checked against the v4.0.0 recommendation list, whose numbering v4.0.1 keeps as far as checked)',
  version: 'v4.0.1',
  scope: 'every recommendation: 1.1–1.22, 2.1.1–2.1.4, 2.2.1–2.2.4, 2.3.1, 3.1–3.9, 4.1–4.16, 5.1.1, 5.1.2, 5.2–5.7',
  ids: new Set([
    ...seq('1.', 1, 22),
    ...seq('2.1.', 1, 4), ...seq('2.2.', 1, 4), '2.3.1',
    ...seq('3.', 1, 9),
    ...seq('4.', 1, 16),
    '5.1.1', '5.1.2', ...seq('5.', 2, 7),
  ]),
};

/**
 * NIST SP 800-53 Revision 5, the controls and enhancements selected in the HIGH impact baseline (SP
 * 800-53B, OSCAL profile NIST_SP-800-53_rev5_HIGH-baseline_profile). A verified subset of the catalogue:
 * every id cited here must be in it. An enhancement is written `AC-6(2)`.
 */
export const NIST_800_53_R5: ReferenceIds = {
  framework: 'nist-800-53',
  source: 'NIST SP 800-53 Rev. 5 / SP 800-53B HIGH baseline (OSCAL profile, final, 2021-06-08)',
  version: 'Revision 5',
  scope: 'the base controls and enhancements of the HIGH baseline (not the controls no baseline selects, e.g. AC-25 or PM-*)',
  ids: new Set(oscal(`
    ac-1 ac-2 ac-2.1 ac-2.2 ac-2.3 ac-2.4 ac-2.5 ac-2.11 ac-2.12 ac-2.13 ac-3 ac-4 ac-4.4 ac-5 ac-6 ac-6.1 ac-6.2
    ac-6.3 ac-6.5 ac-6.7 ac-6.9 ac-6.10 ac-7 ac-8 ac-10 ac-11 ac-11.1 ac-12 ac-14 ac-17 ac-17.1 ac-17.2 ac-17.3
    ac-17.4 ac-18 ac-18.1 ac-18.3 ac-18.4 ac-18.5 ac-19 ac-19.5 ac-20 ac-20.1 ac-20.2 ac-21 ac-22
    at-1 at-2 at-2.2 at-2.3 at-3 at-4
    au-1 au-2 au-3 au-3.1 au-4 au-5 au-5.1 au-5.2 au-6 au-6.1 au-6.3 au-6.5 au-6.6 au-7 au-7.1 au-8 au-9 au-9.2
    au-9.3 au-9.4 au-10 au-11 au-12 au-12.1 au-12.3
    ca-1 ca-2 ca-2.1 ca-2.2 ca-3 ca-3.6 ca-5 ca-6 ca-7 ca-7.1 ca-7.4 ca-8 ca-8.1 ca-9
    cm-1 cm-2 cm-2.2 cm-2.3 cm-2.7 cm-3 cm-3.1 cm-3.2 cm-3.4 cm-3.6 cm-4 cm-4.1 cm-4.2 cm-5 cm-5.1 cm-6 cm-6.1
    cm-6.2 cm-7 cm-7.1 cm-7.2 cm-7.5 cm-8 cm-8.1 cm-8.2 cm-8.3 cm-8.4 cm-9 cm-10 cm-11 cm-12 cm-12.1
    cp-1 cp-2 cp-2.1 cp-2.2 cp-2.3 cp-2.5 cp-2.8 cp-3 cp-3.1 cp-4 cp-4.1 cp-4.2 cp-6 cp-6.1 cp-6.2 cp-6.3 cp-7
    cp-7.1 cp-7.2 cp-7.3 cp-7.4 cp-8 cp-8.1 cp-8.2 cp-8.3 cp-8.4 cp-9 cp-9.1 cp-9.2 cp-9.3 cp-9.5 cp-9.8 cp-10
    cp-10.2 cp-10.4
    ia-1 ia-2 ia-2.1 ia-2.2 ia-2.5 ia-2.8 ia-2.12 ia-3 ia-4 ia-4.4 ia-5 ia-5.1 ia-5.2 ia-5.6 ia-6 ia-7 ia-8 ia-8.1
    ia-8.2 ia-8.4 ia-11 ia-12 ia-12.2 ia-12.3 ia-12.4 ia-12.5
    ir-1 ir-2 ir-2.1 ir-2.2 ir-3 ir-3.2 ir-4 ir-4.1 ir-4.4 ir-4.11 ir-5 ir-5.1 ir-6 ir-6.1 ir-6.3 ir-7 ir-7.1 ir-8
    ma-1 ma-2 ma-2.2 ma-3 ma-3.1 ma-3.2 ma-3.3 ma-4 ma-4.3 ma-5 ma-5.1 ma-6
    mp-1 mp-2 mp-3 mp-4 mp-5 mp-6 mp-6.1 mp-6.2 mp-6.3 mp-7
    pe-1 pe-2 pe-3 pe-3.1 pe-4 pe-5 pe-6 pe-6.1 pe-6.4 pe-8 pe-8.1 pe-9 pe-10 pe-11 pe-11.1 pe-12 pe-13 pe-13.1
    pe-13.2 pe-14 pe-15 pe-15.1 pe-16 pe-17 pe-18
    pl-1 pl-2 pl-4 pl-4.1 pl-8 pl-10 pl-11
    ps-1 ps-2 ps-3 ps-4 ps-4.2 ps-5 ps-6 ps-7 ps-8 ps-9
    ra-1 ra-2 ra-3 ra-3.1 ra-5 ra-5.2 ra-5.4 ra-5.5 ra-5.11 ra-7 ra-9
    sa-1 sa-2 sa-3 sa-4 sa-4.1 sa-4.2 sa-4.5 sa-4.9 sa-4.10 sa-5 sa-8 sa-9 sa-9.2 sa-10 sa-11 sa-15 sa-15.3 sa-16
    sa-17 sa-21 sa-22
    sc-1 sc-2 sc-3 sc-4 sc-5 sc-7 sc-7.3 sc-7.4 sc-7.5 sc-7.7 sc-7.8 sc-7.18 sc-7.21 sc-8 sc-8.1 sc-10 sc-12
    sc-12.1 sc-13 sc-15 sc-17 sc-18 sc-20 sc-21 sc-22 sc-23 sc-24 sc-28 sc-28.1 sc-39
    si-1 si-2 si-2.2 si-3 si-4 si-4.2 si-4.4 si-4.5 si-4.10 si-4.12 si-4.14 si-4.20 si-4.22 si-5 si-5.1 si-6 si-7
    si-7.1 si-7.2 si-7.5 si-7.7 si-7.15 si-8 si-8.2 si-10 si-11 si-12 si-16
    sr-1 sr-2 sr-2.1 sr-3 sr-5 sr-6 sr-8 sr-9 sr-9.1 sr-10 sr-11 sr-11.1 sr-11.2 sr-12
  `)),
};

/**
 * AWS Security Hub (CSPM) controls of the AWS Foundational Security Best Practices standard v1.0.0, for
 * the services this project checks. Security Hub control ids outside this standard (e.g. IAM.9, IAM.19,
 * IAM.22, KMS.4, EC2.13, S3.14: CIS, NIST or PCI standard controls) are not FSBP and cannot be cited as such.
 */
export const AWS_FSBP_V1: ReferenceIds = {
  framework: 'aws-fsbp',
  source: 'AWS Security Hub, AWS Foundational Security Best Practices standard',
  version: 'v1.0.0',
  scope: 'the FSBP controls of IAM, EC2, S3, RDS, DynamoDB, KMS, CloudTrail and GuardDuty (not the other services)',
  ids: new Set([
    ...seq('IAM.', 1, 8), 'IAM.21',
    ...['1', '2', '3', '4', '6', '7', '8', '9', '10', '15', '16', '17', '18', '19', '20', '21', '23', '24', '25'].map((n) => `EC2.${n}`),
    ...['1', '2', '3', '5', '6', '8', '9', '10', '11', '12', '13', '19', '24', '25'].map((n) => `S3.${n}`),
    ...seq('RDS.', 1, 10),
    ...seq('DynamoDB.', 1, 3),
    ...seq('KMS.', 1, 3),
    'CloudTrail.1', 'CloudTrail.2', 'CloudTrail.4', 'CloudTrail.5',
    'GuardDuty.1', ...seq('GuardDuty.', 5, 13),
  ]),
};

/** OSCAL ids (`ac-6.2`) to the form SP 800-53 prints (`AC-6(2)`). */
function oscal(list: string): string[] {
  return list.trim().split(/\s+/).map((id) => {
    const [control, enhancement] = id.split('.');
    return `${control.toUpperCase()}${enhancement ? `(${enhancement})` : ''}`;
  });
}

/** The reference list of each framework that has one (glba and nydfs-500 cite sections of a rule text). */
export const REFERENCE_IDS: Partial<Record<Framework, ReferenceIds>> = {
  'cis-aws': CIS_AWS_V4_0_1,
  'nist-800-53': NIST_800_53_R5,
  'aws-fsbp': AWS_FSBP_V1,
};
