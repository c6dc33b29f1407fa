/**
 * The names organization mode gives what it deploys, computed once from the configuration: the
 * stacks use them, and the live audit looks for exactly these.
 */

/** A baseline StackSet and the regions its instances are in. */
export interface BaselineStackSetName {
  readonly name: string;
  readonly regions: readonly string[];
}

/**
 * The two baseline StackSets: the global baseline (IAM is global: one instance per account, in the
 * home region) and the regional baseline (one instance per account and governed region).
 */
export function baselineStackSetNames(config: { readonly stackPrefix: string; readonly region: string; readonly governedRegions: readonly string[] }): {
  readonly global: BaselineStackSetName;
  readonly regional: BaselineStackSetName;
} {
  return {
    global: { name: `${config.stackPrefix}-baseline-global`, regions: [config.region] },
    regional: { name: `${config.stackPrefix}-baseline-regional`, regions: [...config.governedRegions] },
  };
}
