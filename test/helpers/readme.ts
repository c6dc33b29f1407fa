import { readFileSync } from 'fs';
import { join } from 'path';
import * as ts from 'typescript';
import { ROOT } from './app';

/** The README section whose first TypeScript block is the construct example users copy. */
export const CONSTRUCT_EXAMPLE_HEADING = '## Using the constructs in your own app';

/** The line of the example that adds the baseline; the non-compliant variant is the example without it. */
export const BASELINE_LINE = /^.*new WorkloadBaseline\(.*$\n?/m;

/**
 * The README's construct example, read from README.md itself so that the tests of it cannot drift
 * from what users copy. Throws, naming what is missing, when the section or its code block is gone.
 */
export function readmeConstructExample(readme = readFileSync(join(ROOT, 'README.md'), 'utf8')): string {
  const at = readme.indexOf(CONSTRUCT_EXAMPLE_HEADING);
  if (at < 0) throw new Error(`README.md has no '${CONSTRUCT_EXAMPLE_HEADING}' section: the construct example cannot be tested`);
  const next = readme.indexOf('\n## ', at + CONSTRUCT_EXAMPLE_HEADING.length);
  const section = readme.slice(at, next < 0 ? undefined : next);
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error(`README.md section '${CONSTRUCT_EXAMPLE_HEADING}' has no \`\`\`ts code block`);
  return block[1];
}

/** The example without its WorkloadBaseline line; throws unless the example has exactly one. */
export function withoutBaseline(example: string): string {
  const lines = example.match(new RegExp(BASELINE_LINE.source, 'gm')) ?? [];
  if (lines.length !== 1) throw new Error(`the README construct example must add WorkloadBaseline on exactly one line, found ${lines.length}`);
  return example.replace(BASELINE_LINE, '');
}

/** TypeScript to CommonJS, transpiled only (as tsx and ts-node --transpile-only run an app). */
export function transpile(source: string): string {
  const out = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    reportDiagnostics: true,
  });
  const errors = (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  if (errors.length > 0) throw new Error(`the README construct example does not parse: ${errors.join('; ')}`);
  return out.outputText;
}
