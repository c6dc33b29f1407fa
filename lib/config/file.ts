import * as fs from 'fs';
import * as path from 'path';
import { HardeningConfig, parseConfig } from './config';

/** A cdk.json that cannot be read (missing when named, not JSON). Invalid keys throw ConfigError. */
export class ConfigFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigFileError';
  }
}

/**
 * The configuration of a cdk.json's `hardening:` context: `file` when given (it must exist), else
 * `<cwd>/cdk.json` when present, else the defaults. `source` says which, for messages.
 */
export function readConfigFile(file: string | undefined, cwd: string): { config: HardeningConfig; source: string } {
  const candidate = file ?? path.join(cwd, 'cdk.json');
  if (!fs.existsSync(candidate)) {
    if (file) throw new ConfigFileError(`--config ${file}: no such file`);
    return { config: parseConfig({}), source: 'the default configuration (no cdk.json here)' };
  }
  let context: Record<string, unknown>;
  try {
    context = (JSON.parse(fs.readFileSync(candidate, 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
  } catch (e) {
    throw new ConfigFileError(`${candidate}: not valid JSON: ${(e as Error).message}`);
  }
  return { config: parseConfig(context), source: candidate };
}
