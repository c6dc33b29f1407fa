import { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { AccountClient } from '@aws-sdk/client-account';
import { BackupClient } from '@aws-sdk/client-backup';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { IAMClient, IAMClientConfig } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';

/** Static credentials (e.g. from sts:AssumeRole). */
export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** What the SDK accepts as credentials: static ones or a provider. */
export type CredentialsInput = NonNullable<IAMClientConfig['credentials']>;

/** How every SDK client of one audit is configured. */
export interface ClientSettings {
  /** Static credentials or a provider; default: the SDK's default chain (or `profile`). */
  readonly credentials?: CredentialsInput;
  /** A shared-config profile, passed to the SDK's credential provider (ini files). */
  readonly profile?: string;
  /** Points every client at this endpoint (private or test endpoints). */
  readonly endpoint?: string;
  /** Region for the global services (IAM, STS, Organizations, Account). Default us-east-1. */
  readonly homeRegion?: string;
  /** SDK attempts per call, with the adaptive retry mode. Default 5. */
  readonly maxAttempts?: number;
  /** Per-request socket timeout. Default 15 s. */
  readonly requestTimeoutMs?: number;
  /** Connection timeout. Default 5 s. */
  readonly connectionTimeoutMs?: number;
}

function config(s: ClientSettings, region: string) {
  return {
    region,
    ...(s.credentials ? { credentials: s.credentials } : {}),
    ...(s.profile ? { profile: s.profile } : {}),
    ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    retryMode: 'adaptive',
    maxAttempts: s.maxAttempts ?? 5,
    // requestTimeout only warns unless throwOnRequestTimeout; socketTimeout catches a silent peer.
    requestHandler: {
      requestTimeout: s.requestTimeoutMs ?? 15_000,
      throwOnRequestTimeout: true,
      socketTimeout: s.requestTimeoutMs ?? 15_000,
      connectionTimeout: s.connectionTimeoutMs ?? 5_000,
    },
  };
}

/** Builds the clients of one account's audit; `destroy()` closes their sockets. */
export class AuditClients {
  private readonly made: { destroy(): void }[] = [];
  constructor(readonly settings: ClientSettings) {}

  get homeRegion(): string {
    return this.settings.homeRegion ?? 'us-east-1';
  }

  private keep<T extends { destroy(): void }>(c: T): T {
    this.made.push(c);
    return c;
  }

  iam(): IAMClient { return this.keep(new IAMClient(config(this.settings, this.homeRegion))); }
  sts(): STSClient { return this.keep(new STSClient(config(this.settings, this.homeRegion))); }
  organizations(): OrganizationsClient { return this.keep(new OrganizationsClient(config(this.settings, this.homeRegion))); }
  account(): AccountClient { return this.keep(new AccountClient(config(this.settings, this.homeRegion))); }
  guardduty(region: string): GuardDutyClient { return this.keep(new GuardDutyClient(config(this.settings, region))); }
  cloudtrail(region: string): CloudTrailClient { return this.keep(new CloudTrailClient(config(this.settings, region))); }
  logs(region: string): CloudWatchLogsClient { return this.keep(new CloudWatchLogsClient(config(this.settings, region))); }
  cloudwatch(region: string): CloudWatchClient { return this.keep(new CloudWatchClient(config(this.settings, region))); }
  events(region: string): EventBridgeClient { return this.keep(new EventBridgeClient(config(this.settings, region))); }
  sns(region: string): SNSClient { return this.keep(new SNSClient(config(this.settings, region))); }
  kms(region: string): KMSClient { return this.keep(new KMSClient(config(this.settings, region))); }
  tagging(region: string): ResourceGroupsTaggingAPIClient { return this.keep(new ResourceGroupsTaggingAPIClient(config(this.settings, region))); }

  s3control(): S3ControlClient { return this.keep(new S3ControlClient(config(this.settings, this.homeRegion))); }
  ec2(region: string): EC2Client { return this.keep(new EC2Client(config(this.settings, region))); }
  accessAnalyzer(region: string): AccessAnalyzerClient { return this.keep(new AccessAnalyzerClient(config(this.settings, region))); }
  configService(region: string): ConfigServiceClient { return this.keep(new ConfigServiceClient(config(this.settings, region))); }
  backup(region: string): BackupClient { return this.keep(new BackupClient(config(this.settings, region))); }
  cloudformation(region: string): CloudFormationClient { return this.keep(new CloudFormationClient(config(this.settings, region))); }

  /** The same settings with other credentials (an assumed role). */
  withCredentials(credentials: StaticCredentials): AuditClients {
    return new AuditClients({ ...this.settings, credentials, profile: undefined });
  }

  destroy(): void {
    for (const c of this.made.splice(0)) c.destroy();
  }
}
