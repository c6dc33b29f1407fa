import { App, Stack } from 'aws-cdk-lib';
import { HardeningConfig } from '../config';

export interface Organization {
  readonly stacks: Stack[];
}

export function buildOrganization(_app: App, _config: HardeningConfig): Organization {
  throw new Error('organization mode is not built yet');
}
