import { FailOn, Finding } from '../findings';

export type ReportFormat = 'text' | 'json' | 'sarif' | 'junit' | 'md' | 'html';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif', 'junit', 'md', 'html'];

export interface RenderOptions {
  /** What produced the findings, e.g. "cdk-hardening check" — shown in headers and SARIF. */
  readonly title: string;
  /** Fixed in tests so golden files are stable. */
  readonly generatedAt: Date;
  readonly toolVersion: string;
  /** A longer description per rule id (e.g. the pack's `info`), for SARIF rule metadata. */
  readonly ruleDescriptions?: Readonly<Record<string, string>>;
  /** The 1-based line where a logical id is declared in a template, for SARIF regions. */
  readonly lineOf?: (template: string, logicalId: string) => number | undefined;
  /** The `--fail-on` level the run is judged at; the text output states its verdict when given. */
  readonly failOn?: FailOn;
}

/** A renderer turns a list of findings into one document. */
export type Renderer = (findings: readonly Finding[], options: RenderOptions) => string;
