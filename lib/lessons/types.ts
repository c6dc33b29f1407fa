/** The frameworks a control can cite. Each has one well-formed section syntax (see CITATION_SYNTAX). */
export type Framework = 'glba' | 'nydfs-500' | 'cis-aws' | 'nist-800-53' | 'aws-fsbp';

export const FRAMEWORKS: readonly Framework[] = ['glba', 'nydfs-500', 'cis-aws', 'nist-800-53', 'aws-fsbp'];

/** A citation of one section of one framework, e.g. `{ framework: 'glba', section: '314.4(c)(5)' }`. */
export interface Citation {
  readonly framework: Framework;
  readonly section: string;
}

export type LessonId = 'L1' | 'L2' | 'L3' | 'L4' | 'L5' | 'L6' | 'L7' | 'L8' | 'L9' | 'L10';

export type ControlId =
  | 'IAM-MFA' | 'IAM-NOUSERS' | 'IAM-PASSWORD' | 'IAM-ROOT'
  | 'IAM-LEASTPRIV' | 'IAM-KEYS' | 'EC2-IMDSV2' | 'IAM-SESSION'
  | 'GD-ENABLED' | 'GD-TRIAGE' | 'GD-CENTRAL'
  | 'NET-TIERS' | 'NET-INGRESS' | 'NET-DEFAULTSG' | 'NET-NOADMINPORTS' | 'NET-ENDPOINTS'
  | 'DATA-CMK' | 'DATA-ROTATION' | 'DATA-TLS' | 'DATA-PUBLIC' | 'DATA-KEYPOLICY'
  | 'EXF-EGRESS' | 'EXF-ENDPOINTPOLICY' | 'EXF-DATAEVENTS'
  | 'LOG-TRAIL' | 'LOG-ARCHIVE' | 'LOG-FLOW' | 'LOG-RETENTION' | 'LOG-ALARMS' | 'LOG-TAMPER'
  | 'BAK-VAULTLOCK' | 'BAK-RETAIN'
  | 'IR-ROUTING' | 'IR-CLOCKS'
  | 'DISPOSAL';

export interface Control {
  readonly id: ControlId;
  readonly lessonId: LessonId;
  readonly title: string;
  /** What holding the control means, in one or two sentences. */
  readonly description: string;
  readonly citations: readonly Citation[];
}

export interface Lesson {
  readonly id: LessonId;
  readonly title: string;
  /** The breach stage this lesson answers. */
  readonly stage: string;
  /** MITRE ATT&CK Enterprise technique ids (version pinned in ATTACK_VERSION). */
  readonly attack: readonly string[];
  readonly controls: readonly Control[];
}

/** A deadline that starts at detection of a cybersecurity event (control IR-CLOCKS). */
export interface NotificationClock {
  readonly id: string;
  readonly authority: string;
  readonly trigger: string;
  readonly hours: number;
  /** Short citation, e.g. "23 NYCRR 500.17(a)". */
  readonly citation: string;
  /** The document (and section) the deadline is taken from. */
  readonly source: string;
  /** ISO date (YYYY-MM-DD) from which this deadline applies. */
  readonly effective: string;
}
