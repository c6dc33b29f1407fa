import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

const HANDLERS = join(__dirname, 'handlers');
const cache = new Map<string, string>();

/**
 * The CommonJS source of a handler under lib/constructs/handlers, to inline into a Lambda function
 * (`Code.fromInline`, CloudFormation's `ZipFile`): no file asset, so no asset bucket in the target
 * account and no bootstrap beyond the deployment roles. A handler module imports only Node's modules
 * and the AWS SDK v3 clients the Lambda Node.js runtime ships.
 *
 * From the built package it is the compiled `.js` file; from the TypeScript sources (tests, `cdk synth`
 * through tsx) the `.ts` file, transpiled with TypeScript's compiler (a development dependency) and the
 * same module settings as the build, so both give the same code.
 */
export function inlineHandlerSource(name: string): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`handler name must be lowercase letters, digits and hyphens, got '${name}'`);
  const js = join(HANDLERS, `${name}.js`);
  const ts = join(HANDLERS, `${name}.ts`);
  let source: string;
  if (existsSync(js)) {
    source = readFileSync(js, 'utf8');
  } else if (existsSync(ts)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const typescript = require('typescript') as typeof import('typescript');
    source = typescript.transpileModule(readFileSync(ts, 'utf8'), {
      fileName: ts,
      compilerOptions: {
        target: typescript.ScriptTarget.ES2022, module: typescript.ModuleKind.CommonJS, esModuleInterop: true,
        sourceMap: false, inlineSourceMap: false, declaration: false,
      },
    }).outputText;
  } else {
    throw new Error(`no handler '${name}' in ${HANDLERS}`);
  }
  source = source.replace(/\n\/\/# sourceMappingURL=.*$/m, '').trimEnd() + '\n';
  cache.set(name, source);
  return source;
}
