import { Finding } from '../findings';
import { renderJson } from './json';
import { renderText } from './text';
import { RenderOptions, ReportFormat, Renderer } from './types';

export * from './types';
export { renderText } from './text';
export { renderJson, FINDINGS_JSON_SCHEMA_ID } from './json';

const RENDERERS: Partial<Record<ReportFormat, Renderer>> = {
  text: renderText,
  json: renderJson,
};

/** Renders findings in any supported format. */
export function renderFindings(format: ReportFormat, findings: readonly Finding[], options: RenderOptions): string {
  const r = RENDERERS[format];
  if (!r) throw new Error(`report format '${format}' is not available for this command`);
  return r(findings, options);
}
