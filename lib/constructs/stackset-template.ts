import { readFileSync } from 'fs';
import {
  Aws, CfnParameter, CfnResource, CfnRule, CustomResourceProviderBase, DefaultStackSynthesizer, DockerImageAssetLocation, DockerImageAssetSource,
  FileAssetLocation, FileAssetSource, IResolvable, Lazy, Stack, Stage, Token,
} from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct, IConstruct } from 'constructs';
import { STACKSET_TEMPLATE_METADATA } from '../nag/resource-index';

/**
 * The role StackSets deploys a service-managed StackSet's stacks with in each member account
 * (created by the StackSets service-linked role; the SCPs exempt it where they exempt the pipeline).
 */
export const STACKSETS_EXECUTION_ROLE_NAME_PATTERN = 'stacksets-exec-*';

/** CloudFormation refuses a StackSet TemplateBody larger than this (bytes): larger templates need an S3 URL. */
export const STACKSET_TEMPLATE_BODY_MAX_BYTES = 51_200;

/** Resource types a baseline template must never hold: the organization creates the detector in every member. */
export const FORBIDDEN_BASELINE_TYPES: Readonly<Record<string, string>> = {
  'AWS::GuardDuty::Detector': 'GuardDuty\'s organization auto-enable creates the one detector per account and region; a second fails the StackSet instance',
  'AWS::GuardDuty::Master': 'the invitation model: the organization\'s delegated administrator manages members',
  'AWS::GuardDuty::Member': 'the invitation model: the organization\'s delegated administrator manages members',
};

/**
 * The synthesizer of a StackSet's template: no bootstrap version parameter or rule (member accounts are
 * not bootstrapped), and a CloudFormation execution role that is the StackSets execution role — key
 * policies name it as their administrator. Assets are recorded, not refused here, so that the template
 * validation can name the construct that added one (StackSetTemplate.validate).
 */
export class StackSetTemplateSynthesizer extends DefaultStackSynthesizer {
  /** Whether a stack is a StackSet template (built with this synthesizer). */
  public static isStackSetTemplate(stack: Stack): boolean {
    return stack.synthesizer instanceof StackSetTemplateSynthesizer;
  }

  /** What the stack asked to publish: file and image assets have no bucket or repository in a member account. */
  public readonly assets: string[] = [];

  /**
   * Accounts the template is never deployed to: a service-managed StackSet never deploys to the
   * organization's management account (CloudFormation API, DeploymentTargets), and the accounts its
   * targets exclude. The pack compares environments with them: a boundary of the template caps no
   * principal of these accounts.
   */
  public readonly excludedAccounts: readonly string[];

  constructor(props: { readonly excludedAccounts?: readonly string[] } = {}) {
    super({
      generateBootstrapVersionRule: false,
      cloudFormationExecutionRole: `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${STACKSETS_EXECUTION_ROLE_NAME_PATTERN}`,
    });
    this.excludedAccounts = [...(props.excludedAccounts ?? [])];
  }

  /**
   * Marks the stack as a StackSet template for the packs (construct context), and records that, with the
   * excluded accounts, in the template's Metadata, where `check` reads it (STACKSET_TEMPLATE_METADATA).
   */
  public bind(stack: Stack): void {
    super.bind(stack);
    const info = { excludedAccounts: [...this.excludedAccounts] };
    stack.node.setContext(STACKSET_TEMPLATE_METADATA, info);
    stack.templateOptions.metadata = { ...stack.templateOptions.metadata, [STACKSET_TEMPLATE_METADATA]: info };
  }

  public addFileAsset(asset: FileAssetSource): FileAssetLocation {
    this.assets.push(`file asset ${asset.fileName ?? asset.executable?.join(' ') ?? asset.sourceHash}`);
    return super.addFileAsset(asset);
  }

  public addDockerImageAsset(asset: DockerImageAssetSource): DockerImageAssetLocation {
    this.assets.push(`container image asset ${asset.directoryName ?? asset.sourceHash}`);
    return super.addDockerImageAsset(asset);
  }
}

/** One problem of a StackSet template, naming the construct that causes it. */
export interface StackSetTemplateProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * What a StackSet template must not hold, found in the construct tree and the rendered template:
 * an asset (no asset bucket in member accounts), the bootstrap version parameter or rule, an
 * `Fn::ImportValue` (exports do not cross accounts), a GuardDuty detector (or the invitation model),
 * and a literal of its own account or region where a pseudo-parameter belongs (the stack must be
 * environment-agnostic). Each problem names the construct.
 */
export function stackSetTemplateProblems(stack: Stack): StackSetTemplateProblem[] {
  const problems: StackSetTemplateProblem[] = [];
  const add = (scope: IConstruct, message: string) => problems.push({ path: scope.node.path, message });
  if (!Token.isUnresolved(stack.account) || !Token.isUnresolved(stack.region)) {
    add(stack, `is bound to ${stack.account}/${stack.region}: a StackSet template must be environment-agnostic (pseudo-parameters, never a literal account or region)`);
  }
  const named = new Set<IConstruct>();
  for (const c of stack.node.findAll()) {
    if (c instanceof s3assets.Asset) {
      add(c, 'is a file asset: StackSet templates have no asset bucket in member accounts; use inline code (lambda.Code.fromInline)');
      named.add(c);
    }
    if (CfnResource.isCfnResource(c) && FORBIDDEN_BASELINE_TYPES[c.cfnResourceType] !== undefined) {
      add(c, `is a ${c.cfnResourceType}: ${FORBIDDEN_BASELINE_TYPES[c.cfnResourceType]}`);
    }
    if (c instanceof CfnParameter && c.node.id === 'BootstrapVersion') add(c, 'is the CDK bootstrap version parameter: member accounts are not bootstrapped');
    if (c instanceof CfnRule && c.node.id === 'CheckBootstrapVersion') add(c, 'is the CDK bootstrap version rule: member accounts are not bootstrapped');
    if (c instanceof CustomResourceProviderBase) {
      add(c, 'is a custom-resource provider whose code is a file asset: StackSet templates must be asset-free; use a function with inline code');
      named.add(c);
    }
  }
  const synth = stack.synthesizer;
  if (synth instanceof StackSetTemplateSynthesizer && synth.assets.length > named.size) {
    const unnamed = synth.assets.length - named.size;
    add(stack, `adds ${unnamed} asset${unnamed === 1 ? '' : 's'} no construct of it declares (${synth.assets.join(', ')}), e.g. a custom-resource provider's code: StackSet templates must be asset-free`);
  } else if (!(synth instanceof StackSetTemplateSynthesizer)) {
    add(stack, 'must use the StackSetTemplateSynthesizer: any other synthesizer may add the CDK bootstrap version parameter and rule, which member accounts (not bootstrapped) cannot satisfy, and names another deployer');
  }
  const template = stack.resolve((stack as unknown as { _toCloudFormation(): unknown })._toCloudFormation()) as { Resources?: Record<string, unknown> };
  const byLogicalId = new Map<string, IConstruct>();
  for (const c of stack.node.findAll()) {
    if (CfnResource.isCfnResource(c)) byLogicalId.set(stack.resolve(c.logicalId) as string, c);
  }
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (JSON.stringify(resource).includes('"Fn::ImportValue"')) {
      add(byLogicalId.get(logicalId) ?? stack, `imports a value (Fn::ImportValue) in ${logicalId}: exports do not cross accounts, and StackSets cannot import another stack's output`);
    }
  }
  return problems;
}

export interface StackSetTemplateProps {
  /** The stack set's name, shown in every member account's stack name (`StackSet-<name>-<id>`). */
  readonly stackSetName: string;
  readonly description: string;
  /** Where the template comes from: a stack built with StackSetTemplateSynthesizer, in a Stage of the app. */
  readonly template: Stack;
  /** Organization roots or OUs whose accounts get the stacks (and new accounts, by auto-deployment). */
  readonly organizationalUnitIds: string[];
  /** Accounts of the OUs left out (account filter DIFFERENCE). @default none */
  readonly excludeAccounts?: string[];
  readonly regions: string[];
  readonly operationPreferences: {
    readonly maxConcurrentPercentage: number;
    readonly failureTolerancePercentage: number;
    readonly regionConcurrencyType: 'SEQUENTIAL' | 'PARALLEL';
  };
  /** Values of the template's parameters, by name; every parameter must have one. @default none */
  readonly parameters?: Record<string, string>;
  /** StackSets whose auto-deployment to a new account must finish first. @default none */
  readonly dependsOn?: StackSetTemplate[];
}

/**
 * A service-managed StackSet run by the delegated administrator (CallAs DELEGATED_ADMIN) whose template
 * is a stack of this app: its template body is the stack's synthesized template, inline — so the packs
 * evaluate the very template every member account gets. Auto-deployment to accounts added to the
 * targets, stacks retained when an account leaves, managed execution (operations queued, not refused).
 */
export class StackSetTemplate extends Construct {
  public readonly stackSet: cloudformation.CfnStackSet;
  /** `arn:<partition>:cloudformation:<region>:<account>:stackset/<name>:<id>`. */
  public readonly stackSetArn: string;
  /** The stack whose synthesized template is the StackSet's TemplateBody. */
  public readonly templateStack: Stack;

  constructor(scope: Construct, id: string, props: StackSetTemplateProps) {
    super(scope, id);
    const stage = Stage.of(props.template);
    if (!stage || stage === Stage.of(this) || !StackSetTemplateSynthesizer.isStackSetTemplate(props.template)) {
      throw new Error(`StackSetTemplate ${this.node.path}: the template stack ${props.template.node.path} must be built with StackSetTemplateSynthesizer in a Stage of its own`);
    }
    if (props.organizationalUnitIds.length === 0) throw new Error(`StackSetTemplate ${this.node.path}: organizationalUnitIds must list at least one root or OU`);
    if (props.regions.length === 0) throw new Error(`StackSetTemplate ${this.node.path}: regions must list at least one region`);
    this.templateStack = props.template;
    const excluded = props.excludeAccounts ?? [];
    const given = props.parameters ?? {};
    const parameters = Lazy.any({
      produce: () => {
        const declared = Object.keys(this.renderedTemplate().Parameters ?? {});
        const missing = declared.filter((p) => given[p] === undefined);
        if (missing.length) throw new Error(`StackSetTemplate ${this.node.path}: no value for the template's parameter${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`);
        const extra = Object.keys(given).filter((p) => !declared.includes(p));
        if (extra.length) throw new Error(`StackSetTemplate ${this.node.path}: the template declares no parameter ${extra.join(', ')}`);
        return declared.length ? declared.map((p) => ({ parameterKey: p, parameterValue: given[p] })) : undefined;
      },
    }) as unknown as IResolvable;
    this.stackSet = new cloudformation.CfnStackSet(this, 'Resource', {
      stackSetName: props.stackSetName,
      description: props.description,
      permissionModel: 'SERVICE_MANAGED',
      callAs: 'DELEGATED_ADMIN',
      autoDeployment: {
        enabled: true,
        retainStacksOnAccountRemoval: true,
        ...(props.dependsOn?.length ? { dependsOn: props.dependsOn.map((d) => d.stackSetArn) } : {}),
      },
      managedExecution: { Active: true },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      operationPreferences: { ...props.operationPreferences },
      stackInstancesGroup: [{
        deploymentTargets: {
          organizationalUnitIds: [...props.organizationalUnitIds],
          ...(excluded.length ? { accounts: [...excluded], accountFilterType: 'DIFFERENCE' } : {}),
        },
        regions: [...props.regions],
      }],
      parameters,
      templateBody: Lazy.string({ produce: () => this.templateBody() }),
    });
    this.stackSetArn = `arn:${Aws.PARTITION}:cloudformation:${Aws.REGION}:${Aws.ACCOUNT_ID}:stackset/${this.stackSet.attrStackSetId}`;
    for (const d of props.dependsOn ?? []) this.stackSet.addResourceDependency(d.stackSet);
  }

  /** The template body: the template stack's synthesized template, minified. */
  public templateBody(): string {
    return JSON.stringify(this.renderedTemplate());
  }

  private renderedTemplate(): { Parameters?: Record<string, unknown>; [k: string]: unknown } {
    // The template's Stage is synthesized before the stacks that hold the StackSets (CDK synthesizes
    // nested assemblies first), so this reads the file the packs validated; synth() returns it cached.
    const stage = Stage.of(this.templateStack)!;
    const artifact = stage.synth().getStackArtifact(this.templateStack.artifactId);
    const body = JSON.parse(readFileSync(artifact.templateFullPath, 'utf8')) as Record<string, unknown>;
    const parameters = (body.Parameters ?? {}) as Record<string, unknown>;
    const rules = (body.Rules ?? {}) as Record<string, unknown>;
    if (parameters.BootstrapVersion !== undefined || rules.CheckBootstrapVersion !== undefined) {
      throw new Error(`StackSetTemplate ${this.node.path}: the template of ${this.templateStack.node.path} has the CDK bootstrap version parameter or rule; member accounts are not bootstrapped`);
    }
    const size = Buffer.byteLength(JSON.stringify(body), 'utf8');
    if (size > STACKSET_TEMPLATE_BODY_MAX_BYTES) {
      throw new Error(`StackSetTemplate ${this.node.path}: the template of ${this.templateStack.node.path} is ${size} bytes minified; a StackSet TemplateBody holds at most ${STACKSET_TEMPLATE_BODY_MAX_BYTES}`);
    }
    return body;
  }
}

/**
 * Makes `stack` refuse synthesis, naming the construct, when it holds what a StackSet template must not
 * (stackSetTemplateProblems). Runs in CDK's validation phase, before anything is written.
 */
export function validateAsStackSetTemplate(stack: Stack): void {
  stack.node.addValidation({
    validate: () => stackSetTemplateProblems(stack).map((p) => `${p.path} ${p.message}`),
  });
}

/** A Stage whose stacks are StackSet templates: env-agnostic, and validated as such. */
export class StackSetTemplates extends Stage {
  constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  /** Registers a template stack: validated as a StackSet template at synthesis. */
  public add<T extends Stack>(stack: T): T {
    validateAsStackSetTemplate(stack);
    return stack;
  }
}
