import * as fs from 'fs';
import * as path from 'path';
import { Finding } from '../findings';
import { ControlId } from '../lessons';
import { BREACH_LESSONS_RULES } from './rules';

export const EVIDENCE_SCHEMA = 'cdk-hardening/evidence@1';
export const EVIDENCE_FILE_NAME = 'breach-lessons-evidence.json';

/** One rule as listed in the evidence file. */
export interface EvidenceRule {
  readonly id: string;
  readonly controlIds: readonly ControlId[];
  readonly level: 'error' | 'warning';
  readonly info: string;
}

/**
 * `<cloud assembly>/breach-lessons-evidence.json`, written by the pack at every synthesis: every
 * evaluation (PASS, FAIL, ERROR and ACKNOWLEDGED with owner and expiry), for the auditor report.
 */
export interface BreachLessonsEvidence {
  readonly schema: typeof EVIDENCE_SCHEMA;
  /** ISO timestamp. */
  readonly generatedAt: string;
  readonly pack: 'BreachLessons';
  readonly rules: readonly EvidenceRule[];
  readonly findings: readonly Finding[];
}

export function buildEvidence(findings: readonly Finding[], now: Date): BreachLessonsEvidence {
  return {
    schema: EVIDENCE_SCHEMA,
    generatedAt: now.toISOString(),
    pack: 'BreachLessons',
    rules: BREACH_LESSONS_RULES.map((r) => ({ id: r.id, controlIds: r.controlIds, level: r.level, info: r.info })),
    findings,
  };
}

/** Writes the evidence file into a cloud assembly directory; returns its path. */
export function writeEvidence(outdir: string, evidence: BreachLessonsEvidence): string {
  const file = path.join(outdir, EVIDENCE_FILE_NAME);
  fs.mkdirSync(outdir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(evidence, null, 2)}\n`);
  return file;
}

/** Reads and checks an evidence file; throws naming the file and what is wrong. */
export function readEvidence(file: string): BreachLessonsEvidence {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read evidence file '${file}': ${(e as Error).message}`);
  }
  const o = parsed as Partial<BreachLessonsEvidence>;
  if (!o || o.schema !== EVIDENCE_SCHEMA) {
    throw new Error(`evidence file '${file}' has schema '${String(o?.schema)}', expected '${EVIDENCE_SCHEMA}'`);
  }
  if (!Array.isArray(o.findings) || !Array.isArray(o.rules)) {
    throw new Error(`evidence file '${file}' has no findings or rules list`);
  }
  return o as BreachLessonsEvidence;
}
