import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import { basename, join } from 'path';
import { cloudAssemblyStacks } from '../../lib/template/assembly';
import { ROOT } from './app';

/** What is pinned of one template: its file, a digest of its exact bytes, and its logical ids with their types. */
export interface PinnedTemplate {
  readonly file: string;
  readonly sha256: string;
  readonly resources: string[];
}

/** The account-mode templates as they were before organization mode existed (test/fixtures/account-mode). */
export const PINNED_FILE = join(ROOT, 'test', 'fixtures', 'account-mode', 'pinned-templates.json');

/** Digest and logical ids of every stack template of a cloud assembly directory (nested assemblies included). */
export function pinTemplates(assemblyDir: string): PinnedTemplate[] {
  return cloudAssemblyStacks(assemblyDir)!.map((s) => {
    const text = readFileSync(s.templateFile, 'utf8');
    const t = JSON.parse(text) as { Resources?: Record<string, { Type: string }> };
    return {
      file: basename(s.templateFile),
      sha256: createHash('sha256').update(text).digest('hex'),
      resources: Object.entries(t.Resources ?? {}).map(([id, r]) => `${id} ${r.Type}`).sort(),
    };
  });
}

export function readPinned(): PinnedTemplate[] {
  return JSON.parse(readFileSync(PINNED_FILE, 'utf8')) as PinnedTemplate[];
}
