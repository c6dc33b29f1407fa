import { Command, Option } from 'commander';
import { ExitCode, ExitCodeValue, FailOn } from '../findings';
import { ReportFormat } from '../report/types';
import type { RegisterCommand } from './commands';
import { TOOL_VERSION, withCommonOptions } from './common';
import { UsageError, writeOutput } from './io';

interface ReplayCliOptions {
  readonly format: ReportFormat;
  readonly out?: string;
  readonly failOn: FailOn;
  readonly scps: boolean;
  readonly config?: string;
  readonly bootstrap?: string;
  readonly account?: string;
  readonly region?: string;
  readonly organizationId?: string;
  readonly step: string[];
}

const collect = (value: string, previous: string[]): string[] => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];

/** Exit code of a replay: 3 when anything could not be decided, 1 when a step is OPEN or a service broken (unless --fail-on never). */
export function replayExitCode(counts: { OPEN: number; UNDECIDABLE: number }, continuity: ReadonlyArray<{ status: string }>, failOn: FailOn): ExitCodeValue {
  if (counts.UNDECIDABLE > 0 || continuity.some((c) => c.status === 'UNDECIDABLE')) return ExitCode.INCOMPLETE;
  if (failOn !== 'never' && (counts.OPEN > 0 || continuity.some((c) => c.status === 'BROKEN'))) return ExitCode.FINDINGS;
  return ExitCode.OK;
}

/**
 * `cdk-hardening replay <cdk.out | templates...>`: plays the kill chain of THREATS.md against the
 * synthesized policies with the project's evaluator; every step DENIED, DETECTED, OPEN or UNDECIDABLE.
 * text, json (cdk-hardening/replay@1) and md are the kill-chain views; sarif, junit and html view the
 * replay's findings (one per step and resource) through lib/report.
 */
export const registerReplay: RegisterCommand = (program: Command, io, setExitCode) => {
  withCommonOptions(
    program.command('replay')
      .description('replay the kill chain (personas x steps) against a cloud assembly or templates: each step denied, detected or open')
      .argument('<input...>', 'the cloud assembly directory (cdk.out), or template files / directories')
      .addOption(new Option('--scps', 'attach the service and resource control policies of policies/, rendered with the app\'s configuration').default(false))
      .addOption(new Option('--config <cdk.json>', 'the cdk.json whose hardening: context renders the SCPs (default: ./cdk.json, else the defaults)'))
      .addOption(new Option('--bootstrap <template>', 'the CDK bootstrap template the app deploys with (default: the aws-cdk package\'s own)'))
      .addOption(new Option('--account <id>', 'the account of environment-agnostic stacks (default: a placeholder)'))
      .addOption(new Option('--region <region>', 'the region of environment-agnostic stacks (default: us-east-1)'))
      .addOption(new Option('--organization-id <id>', 'the organization id (o-...), for policies conditioned on it'))
      .addOption(new Option('--step <ids>', 'only these steps (repeatable, comma-separated)').argParser(collect).default([])),
  ).action(async (inputs: string[], opts: ReplayCliOptions) => {
    if (opts.account !== undefined && !/^\d{12}$/.test(opts.account)) throw new UsageError(`--account '${opts.account}' is not a 12-digit account id`);
    if (opts.organizationId !== undefined && !/^o-[a-z0-9]{10,32}$/.test(opts.organizationId)) throw new UsageError(`--organization-id '${opts.organizationId}' is not an organization id (o-...)`);
    // The engine (and its managed-policy catalogue) is loaded when a replay runs, not at start-up of every command.
    const [{ runReplay, ReplayInputError, STEPS }, { replayFindings }, kc, { renderFindings }] = await Promise.all([
      import('../replay'), import('../replay/findings'), import('../report/killchain'), import('../report/render'),
    ]);
    const unknownSteps = opts.step.filter((s) => !STEPS.some((x) => x.id === s));
    if (unknownSteps.length) throw new UsageError(`--step ${unknownSteps.map((s) => `'${s}'`).join(', ')}: no such step (known: ${STEPS.map((s) => s.id).join(', ')})`);
    let run;
    try {
      run = runReplay(inputs, {
        scps: opts.scps, config: opts.config, bootstrap: opts.bootstrap, account: opts.account, region: opts.region,
        organizationId: opts.organizationId, steps: opts.step.length ? opts.step : undefined,
      });
    } catch (e) {
      if (e instanceof ReplayInputError) throw new UsageError(e.message);
      if ((e as Error).name === 'ConfigError') throw new UsageError((e as Error).message);
      throw e;
    }
    for (const w of run.warnings) io.stderr(`cdk-hardening: warning: ${w}\n`);
    const section = kc.killChainSection(run.result, opts.format === 'json' ? Number.MAX_SAFE_INTEGER : 5);
    const now = io.now();
    let content: string;
    switch (opts.format) {
      case 'text':
        content = `cdk-hardening replay — ${now.toISOString()} — ${run.stacks.length} stacks, ${run.resourceCount} resources, ${run.result.evaluations} policy evaluations\n`
          + run.assumptions.map((a) => `assumed: ${a}\n`).join('') + kc.renderKillChainText(section);
        break;
      case 'md':
        content = `# cdk-hardening replay\n\n${now.toISOString()} — ${run.stacks.length} stacks, ${run.resourceCount} resources.\n\n`
          + run.assumptions.map((a) => `- assumed: ${a}\n`).join('') + '\n' + kc.renderKillChainMarkdown(section);
        break;
      case 'json':
        content = JSON.stringify({
          ...section, generatedAt: now.toISOString(), toolVersion: TOOL_VERSION, stacks: run.stacks, assumptions: run.assumptions,
          warnings: run.warnings, organizationPolicies: run.scpNames, evaluations: run.result.evaluations, steps: run.result.steps,
        }, null, 2) + '\n';
        break;
      default:
        content = renderFindings(opts.format, replayFindings(run.result), { title: 'cdk-hardening replay', generatedAt: now, toolVersion: TOOL_VERSION });
    }
    writeOutput(io, opts.out, content);
    setExitCode(replayExitCode(run.result.counts, run.result.continuity, opts.failOn));
  });
};
