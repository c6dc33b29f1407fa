import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { Finding } from '../../lib/findings';
import { BreachLessonsChecks, PackFailOn } from '../../lib/nag/breach-lessons-checks';
import { stackNameOf } from '../../lib/template/evaluate-templates';
import { expandTemplatePaths } from '../../lib/template/load';
import { GateCase, buildGateApp } from '../fixtures/gate/gate-app';
import { FIXED_NOW, run } from '../report/fake-io';

// `cdk-hardening check` and synthesis must agree: the same statuses for the same (rule, resource), and
// the same verdict at the same level (synthesis fails exactly when check exits non-zero).

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const LEVELS: readonly PackFailOn[] = ['error', 'warning'];
const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));

type Statuses = Record<string, string>;
const key = (stack: string, f: Finding) => `${stack}#${f.resource.logicalId} ${f.ruleId}`;

function withoutCdkValidation<T>(fn: () => T): T {
  const saved = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.CDK_VALIDATION; else process.env.CDK_VALIDATION = saved;
  }
}

/** Synthesizes an app with the pack registered: did synthesis fail, and the pack's findings. */
function synthesize(app: App, pack: BreachLessonsChecks): { failed: boolean; findings: Finding[] } {
  Validations.of(app).addPlugins(pack);
  const failed = withoutCdkValidation(() => {
    try {
      app.synth();
      return false;
    } catch {
      return true;
    }
  });
  return { failed, findings: pack.lastFindings };
}

async function check(paths: string[], failOn: PackFailOn): Promise<{ code: number; findings: Finding[] }> {
  const r = await run(['check', ...paths, '--format', 'json', '--fail-on', failOn]);
  expect(r.stdout).not.toBe('');
  return { code: r.code, findings: JSON.parse(r.stdout).findings };
}

const statusesOf = (findings: readonly Finding[], stackOf: (f: Finding) => string): Statuses =>
  Object.fromEntries(findings.map((f) => [key(stackOf(f), f), f.status]));

/** Template fixtures (checked together per entry); each is also synthesized, included into a CDK app. */
const TEMPLATE_FIXTURES: Record<string, string[]> = {
  'check/templates/open-network.json': ['check/templates/open-network.json'],
  'check/templates/short-forms.yaml': ['check/templates/short-forms.yaml'],
  'check/templates/unencrypted-bucket.json': ['check/templates/unencrypted-bucket.json'],
  'check/dir': ['check/dir'],
  'report/assembly': ['report/assembly'],
  'gate/warning-only.json': ['gate/warning-only.json'],
};
// These cannot be synthesized as they are: CfnInclude rejects the intrinsics they test (check makes them opaque).
const NOT_SYNTHESIZABLE = ['check/templates/unsupported-intrinsics.json', 'check/cross-stack'];

/** `<stack>#<logicalId>` of every resource whose existence or properties depend on a Condition. */
function conditionalResources(loaded: { path: string; template: unknown }[]): Set<string> {
  const out = new Set<string>();
  for (const t of loaded) {
    const resources = ((t.template as { Resources?: Record<string, { Condition?: unknown }> }).Resources) ?? {};
    for (const [id, r] of Object.entries(resources)) {
      if (r.Condition !== undefined || JSON.stringify(r).includes('"Fn::If"')) out.add(`${stackNameOf(t.path)}#${id}`);
    }
  }
  return out;
}

describe('check and synthesis agree on every fixture template', () => {
  it('every template fixture is compared or listed as not synthesizable', () => {
    const dirs = ['check/templates', 'check/cross-stack', 'check/dir', 'report/assembly'];
    const covered = new Set([...Object.keys(TEMPLATE_FIXTURES), ...NOT_SYNTHESIZABLE]);
    for (const d of dirs) {
      const own = covered.has(d);
      if (!own) for (const f of fs.readdirSync(path.join(FIXTURES, d))) expect(covered).toContain(`${d}/${f}`);
    }
  });

  it.each(NOT_SYNTHESIZABLE)('%s: really cannot be included (so it is not silently skipped)', (fixture) => {
    const loaded = expandTemplatePaths([path.join(FIXTURES, fixture)]).loaded;
    const dir = tmp('agree-');
    expect(() => loaded.forEach((t, i) => {
      const file = path.join(dir, `${i}.json`);
      fs.writeFileSync(file, JSON.stringify(t.template));
      new CfnInclude(new Stack(new App(), `S${i}`), 'T', { templateFile: file });
    })).toThrow();
  });

  it.each(Object.entries(TEMPLATE_FIXTURES))('%s: same statuses, same verdict at failOn error and warning', async (_name, inputs) => {
    const paths = inputs.map((p) => path.join(FIXTURES, p));
    const loaded = expandTemplatePaths(paths).loaded;
    for (const failOn of LEVELS) {
      const dir = tmp('agree-');
      const app = new App({ outdir: path.join(dir, 'cdk.out') });
      for (const t of loaded) {
        const file = path.join(dir, `${stackNameOf(t.path)}.in.json`);
        fs.writeFileSync(file, JSON.stringify(t.template));
        new CfnInclude(new Stack(app, stackNameOf(t.path)), 'Template', { templateFile: file });
      }
      const synth = synthesize(app, new BreachLessonsChecks(app, { failOn, now: FIXED_NOW }));
      const checked = await check(paths, failOn);
      expect(synth.findings.length).toBeGreaterThan(0);
      const fromCheck = statusesOf(checked.findings, (f) => stackNameOf(f.resource.template!));
      const fromSynth = statusesOf(synth.findings, (f) => f.resource.template!.replace(/\.template\.json$/, ''));
      // check evaluates Conditions (Fn::If, a resource's Condition) from the template's parameters;
      // a CDK app keeps them as tokens, so there the pack may only say "cannot verify" (ERROR) -
      // never the opposite verdict. Everything else must be equal.
      const conditional = conditionalResources(loaded);
      for (const [key, synthStatus] of Object.entries(fromSynth)) {
        if (!conditional.has(key.split(' ')[0]) || synthStatus !== 'ERROR') continue;
        expect(fromCheck).toHaveProperty([key]);
        delete fromSynth[key];
        delete fromCheck[key];
      }
      expect(fromCheck).toEqual(fromSynth);
      expect({ failOn, checkFails: checked.code !== 0 }).toEqual({ failOn, checkFails: synth.failed });
    }
  });
});

describe('check of a synthesized app agrees with its synthesis', () => {
  const CASES: readonly GateCase[] = ['clean', 'warning', 'violation'];
  const EXPECTED_FAIL: Record<string, Record<PackFailOn, boolean>> = {
    clean: { error: false, warning: false },
    warning: { error: false, warning: true },
    violation: { error: true, warning: true },
  };

  it.each(CASES)('%s: same statuses for every rule and resource, same verdict at failOn error and warning', async (kase) => {
    for (const failOn of LEVELS) {
      const outdir = path.join(tmp('agree-app-'), 'cdk.out');
      const { app, pack } = buildGateApp(kase, { outdir, failOn });
      // buildGateApp registered the pack; synthesize() would add it twice.
      const failed = withoutCdkValidation(() => {
        try {
          app.synth();
          return false;
        } catch {
          return true;
        }
      });
      const checked = await check([outdir], failOn);
      expect(statusesOf(checked.findings, (f) => stackNameOf(f.resource.template!)))
        .toEqual(statusesOf(pack.lastFindings, (f) => f.resource.template!.replace(/\.template\.json$/, '')));
      expect({ failOn, synthFails: failed, checkFails: checked.code !== 0 })
        .toEqual({ failOn, synthFails: EXPECTED_FAIL[kase][failOn], checkFails: EXPECTED_FAIL[kase][failOn] });
    }
  });
});
