import { App } from 'aws-cdk-lib';
import { ConfigError, parseConfig } from '../../lib/config';
import { MAX_STACK_PREFIX_LENGTH } from '../../lib/config/schema';
import { buildHardenedEnvironment } from '../../lib/stacks/hardened-environment';
import { cdkJsonContext } from '../helpers/app';

const prefix = (n: number) => `P${'a'.repeat(n - 1)}`;

function synthWith(stackPrefix: string) {
  const context = { ...cdkJsonContext(), 'hardening:stackPrefix': stackPrefix };
  const app = new App({ context });
  buildHardenedEnvironment(app, parseConfig(app.node.getAllContext()));
  return app.synth();
}

describe('the stack prefix limit of the configuration is the limit of synthesis', () => {
  test(`a prefix of ${MAX_STACK_PREFIX_LENGTH} characters synthesizes every stack`, () => {
    const assembly = synthWith(prefix(MAX_STACK_PREFIX_LENGTH));
    expect(assembly.stacks.map((s) => s.stackName)).toContain(`${prefix(MAX_STACK_PREFIX_LENGTH)}Detection`);
  });

  test(`one character more is refused by the configuration, naming the key, the value and the reason`, () => {
    const p = prefix(MAX_STACK_PREFIX_LENGTH + 1);
    let err: unknown;
    try { parseConfig({ ...cdkJsonContext(), 'hardening:stackPrefix': p }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(`hardening:stackPrefix="${p}": must be at most ${MAX_STACK_PREFIX_LENGTH} characters`);
    // and it is the real limit: synthesis itself fails at that length
    const context = { ...cdkJsonContext(), 'hardening:stackPrefix': prefix(MAX_STACK_PREFIX_LENGTH) };
    const app = new App({ context });
    const config = { ...parseConfig(app.node.getAllContext()), stackPrefix: p };
    expect(() => { buildHardenedEnvironment(app, config); app.synth(); }).toThrow(/64 characters|1-40/);
  });
});
