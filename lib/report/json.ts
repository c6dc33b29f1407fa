import { countByStatus, sortFindings, Finding } from '../findings';
import { RenderOptions } from './types';

/** `cdk-hardening/findings@1`: { schema, title, generatedAt, toolVersion, summary, findings[] }. */
export const FINDINGS_JSON_SCHEMA_ID = 'cdk-hardening/findings@1';

export function renderJson(findings: readonly Finding[], options: RenderOptions): string {
  return JSON.stringify({
    schema: FINDINGS_JSON_SCHEMA_ID,
    title: options.title,
    generatedAt: options.generatedAt.toISOString(),
    toolVersion: options.toolVersion,
    summary: countByStatus(findings),
    findings: sortFindings(findings),
  }, null, 2) + '\n';
}
