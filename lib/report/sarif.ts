import { isAbsolute } from 'path';
import { pathToFileURL } from 'url';
import type * as sarif from 'sarif';
import { Finding, countByStatus, fingerprint, sortFindings } from '../findings';
import { citationTag, control } from '../lessons';
import { RenderOptions } from './types';

/** The key under which every result carries its fingerprint (bump the suffix if fingerprint() changes). */
export const SARIF_FINGERPRINT_KEY = 'cdkHardening/v1';
const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

function artifactUri(path: string): string {
  return isAbsolute(path) ? pathToFileURL(path).href : encodeURI(path.split('\\').join('/'));
}

function ruleOf(f: Finding, options: RenderOptions): sarif.ReportingDescriptor {
  const c = control(f.controlId);
  return {
    id: f.ruleId,
    name: f.ruleId.replace(/^BreachLessons-/, '').replace(/[^A-Za-z0-9]/g, ''),
    shortDescription: { text: `${c.id}: ${c.title}` },
    fullDescription: { text: options.ruleDescriptions?.[f.ruleId] ?? c.description },
    help: { text: f.remediation ?? c.description },
    defaultConfiguration: { level: f.severity === 'error' ? 'error' : 'warning' },
    properties: {
      tags: ['security', c.id, c.lessonId, ...f.citations.map(citationTag)],
      'security-severity': f.severity === 'error' ? '8.0' : '5.0',
      controlId: c.id,
      lessonId: c.lessonId,
    },
  };
}

function locationsOf(f: Finding, options: RenderOptions): sarif.Location[] {
  const r = f.resource;
  const logical: sarif.LogicalLocation = r.logicalId || r.constructPath
    ? { name: r.logicalId ?? r.id, fullyQualifiedName: r.constructPath ?? `${r.template ?? ''}#${r.logicalId}`, kind: 'resource' }
    : { name: r.id, fullyQualifiedName: [r.account, r.region, r.id].filter(Boolean).join('/'), kind: 'resource' };
  if (!r.template) return [{ logicalLocations: [logical] }];
  const line = r.logicalId ? options.lineOf?.(r.template, r.logicalId) : undefined;
  return [{
    physicalLocation: { artifactLocation: { uri: artifactUri(r.template) }, ...(line ? { region: { startLine: line } } : {}) },
    logicalLocations: [logical],
  }];
}

function resultOf(f: Finding, ruleIndex: number, options: RenderOptions): sarif.Result {
  const level: sarif.Result.level = f.severity === 'error' ? 'error' : 'warning';
  const base = {
    ruleId: f.ruleId,
    ruleIndex,
    message: { text: f.status === 'ERROR' ? `cannot verify: ${f.message}` : f.message },
    locations: locationsOf(f, options),
    partialFingerprints: { [SARIF_FINGERPRINT_KEY]: fingerprint(f) },
    properties: {
      status: f.status, source: f.source, controlId: f.controlId, lessonId: f.lessonId,
      resourceId: f.resource.id, citations: f.citations.map(citationTag),
      ...(f.resource.account ? { account: f.resource.account } : {}),
      ...(f.resource.region ? { region: f.resource.region } : {}),
    },
  };
  // ERROR: the tool could not decide — SARIF's "open" kind, which carries no level.
  if (f.status === 'ERROR') return { ...base, kind: 'open', level: 'none' };
  const a = f.acknowledgement;
  const suppressions: sarif.Suppression[] | undefined = a ? [{
    kind: 'external',
    status: a.expired ? 'rejected' : 'accepted',
    justification: `${a.expired ? `expired ${a.expires}: ` : ''}${a.reason}`,
    properties: { owner: a.owner, expires: a.expires, expired: a.expired, ...(a.ticket ? { ticket: a.ticket } : {}) },
  }] : undefined;
  return { ...base, kind: 'fail', level, ...(suppressions ? { suppressions } : {}) };
}

/**
 * SARIF 2.1.0 for code-scanning UIs: one result per FAIL, ERROR (kind "open") and ACKNOWLEDGED
 * (with an accepted external suppression; an expired one is "rejected") finding. PASS findings are
 * counted in the run's properties but not listed, to keep CI alert lists to what needs attention.
 */
export function renderSarif(findings: readonly Finding[], options: RenderOptions): string {
  const listed = sortFindings(findings).filter((f) => f.status !== 'PASS');
  const rules: sarif.ReportingDescriptor[] = [];
  const index = new Map<string, number>();
  for (const f of [...listed].sort((a, b) => a.ruleId.localeCompare(b.ruleId))) {
    if (!index.has(f.ruleId)) { index.set(f.ruleId, rules.length); rules.push(ruleOf(f, options)); }
  }
  const log: sarif.Log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'cdk-hardening', version: options.toolVersion, semanticVersion: options.toolVersion, rules } },
      automationDetails: { id: `${options.title}/` },
      invocations: [{ executionSuccessful: true, endTimeUtc: options.generatedAt.toISOString() }],
      results: listed.map((f) => resultOf(f, index.get(f.ruleId)!, options)),
      properties: { title: options.title, summary: countByStatus(findings) },
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
