import { Finding } from '../findings';
import { renderHtmlReport } from './html';
import { renderJson } from './json';
import { renderJunitReport } from './junit';
import { renderMarkdownReport } from './md';
import { ReportModel, buildReportModel } from './model';
import { renderTextReport } from './report-text';
import { renderSarif } from './sarif';
import { renderText } from './text';
import { RenderOptions, ReportFormat, Renderer } from './types';

// The renderers, apart from the index: the CLI loads them without assemblyReport, whose rule
// metadata pulls in aws-cdk-lib and cdk-nag (start-up cost for every command).

/** md, html and junit are views of the lesson-organized model; built here from the findings alone. */
const viaModel = (render: (m: ReportModel) => string): Renderer => (findings, options) =>
  render(buildReportModel({ findings, title: options.title, generatedAt: options.generatedAt, toolVersion: options.toolVersion }));

const RENDERERS: Record<ReportFormat, Renderer> = {
  text: renderText,
  json: renderJson,
  sarif: renderSarif,
  junit: viaModel(renderJunitReport),
  md: viaModel(renderMarkdownReport),
  html: viaModel(renderHtmlReport),
};

/** Renders findings in any supported format (json is `cdk-hardening/findings@1`). */
export function renderFindings(format: ReportFormat, findings: readonly Finding[], options: RenderOptions): string {
  const r = RENDERERS[format];
  if (!r) throw new Error(`unknown report format '${format}'`);
  return r(findings, options);
}

/** `cdk-hardening/report@1`: the model as JSON (docs/report-schema.md). */
export function renderReportJson(model: ReportModel): string {
  return JSON.stringify(model, null, 2) + '\n';
}

/**
 * Renders the lesson-organized report (the `report` command): json is `cdk-hardening/report@1`,
 * sarif lists the findings the report shows.
 */
export function renderReport(format: ReportFormat, model: ReportModel, findings: readonly Finding[], options: RenderOptions): string {
  switch (format) {
    case 'text': return renderTextReport(model);
    case 'json': return renderReportJson(model);
    case 'sarif': return renderSarif(findings, options);
    case 'junit': return renderJunitReport(model);
    case 'md': return renderMarkdownReport(model);
    case 'html': return renderHtmlReport(model);
    default: throw new Error(`unknown report format '${String(format)}'`);
  }
}

