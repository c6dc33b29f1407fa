import { readFileSync } from 'fs';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';

export const ROOT = join(__dirname, '..', '..');

/** The context of cdk.json: the same feature flags and defaults `cdk synth` uses. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')).context;
}

/** The cdk.json context without the hardening: keys (feature flags only). */
export function featureFlags(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(cdkJsonContext()).filter(([k]) => !k.startsWith('hardening:')));
}

/** A fresh app and stack with cdk.json's feature flags, in a fixed environment. */
export function testStack(id = 'TestStack'): { app: App; stack: Stack } {
  const app = new App({ context: featureFlags() });
  const stack = new Stack(app, id, { env: { account: '111122223333', region: 'us-east-1' } });
  return { app, stack };
}
