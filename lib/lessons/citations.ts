import { Citation, Framework } from './types';

/** The one accepted syntax for a section of each framework; the catalogue tests hold every citation to it. */
export const CITATION_SYNTAX: Readonly<Record<Framework, RegExp>> = {
  'glba': /^314\.4\([a-z]\)(\(\d+\))?$/,
  'nydfs-500': /^500\.\d{1,2}(\([a-z]\))?$/,
  'cis-aws': /^\d+\.\d+(\.\d+)?$/,
  'nist-800-53': /^[A-Z]{2}-\d{1,2}(\(\d{1,2}\))*$/,
  'aws-fsbp': /^[A-Za-z0-9]+\.\d{1,2}$/,
};

const FRAMEWORK_TITLE: Readonly<Record<Framework, string>> = {
  'glba': 'FTC GLBA Safeguards Rule, 16 CFR',
  'nydfs-500': 'NYDFS 23 NYCRR',
  'cis-aws': 'CIS AWS Foundations Benchmark v4.0.1',
  'nist-800-53': 'NIST SP 800-53 r5',
  'aws-fsbp': 'AWS Security Hub FSBP',
};

/** Human form of a citation, e.g. "FTC GLBA Safeguards Rule, 16 CFR 314.4(c)(5)". */
export function citationLabel(c: Citation): string {
  return `${FRAMEWORK_TITLE[c.framework]} ${c.section}`;
}

/** Short form used in tables and SARIF tags, e.g. "glba:314.4(c)(5)". */
export function citationTag(c: Citation): string {
  return `${c.framework}:${c.section}`;
}

export function frameworkTitle(f: Framework): string {
  return FRAMEWORK_TITLE[f];
}

// Builders that keep the catalogue readable.
export const glba = (...s: string[]): Citation[] => s.map((section) => ({ framework: 'glba', section: `314.4${section}` }));
export const nydfs = (...s: string[]): Citation[] => s.map((section) => ({ framework: 'nydfs-500', section: `500.${section}` }));
export const cis = (...s: string[]): Citation[] => s.map((section) => ({ framework: 'cis-aws', section }));
export const nist = (...s: string[]): Citation[] => s.map((section) => ({ framework: 'nist-800-53', section }));
export const fsbp = (...s: string[]): Citation[] => s.map((section) => ({ framework: 'aws-fsbp', section }));

/** Whether two citations name the same section of the same framework. */
export function sameCitation(a: Citation, b: Citation): boolean {
  return a.framework === b.framework && a.section === b.section;
}

/**
 * Checks that `citations` (of a rule or a finding) are citations of the controls it enforces: a rule
 * may cite only what its controls cite, so a citation is added in one place (the catalogue) and a rule
 * picks the ones it checks. Throws naming `where` and the first stray citation.
 */
export function assertCitationsOf(where: string, controlCitations: readonly Citation[], citations: readonly Citation[]): void {
  const seen = new Set<string>();
  for (const c of citations) {
    if (!controlCitations.some((k) => sameCitation(k, c))) {
      throw new Error(`${where} cites ${citationTag(c)}, which its control does not cite (control cites: ${controlCitations.map(citationTag).join(', ') || 'nothing'})`);
    }
    if (seen.has(citationTag(c))) throw new Error(`${where} cites ${citationTag(c)} twice`);
    seen.add(citationTag(c));
  }
}
