import { AccessAnalyzerClient, paginateListAnalyzers } from '@aws-sdk/client-accessanalyzer';
import { ConfigServiceClient, DescribeConfigurationRecorderStatusCommand, DescribeConfigurationRecordersCommand } from '@aws-sdk/client-config-service';
import { EC2Client, GetEbsEncryptionByDefaultCommand } from '@aws-sdk/client-ec2';
import { GetPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { errorCode, toFailure } from './errors';
import { AccessAnalyzerSummary, AccountRegionSnapshot, Collected, ConfigRecorderSummary, S3PublicAccessBlock, failed, ok } from './types';

/** The account's S3 Block Public Access (one call per account); NoSuchPublicAccessBlockConfiguration: none (null). */
export async function collectS3PublicAccessBlock(s3c: S3ControlClient, account: string): Promise<Collected<S3PublicAccessBlock | null>> {
  try {
    const r = await s3c.send(new GetPublicAccessBlockCommand({ AccountId: account }));
    const c = r.PublicAccessBlockConfiguration;
    if (!c) return ok(null);
    return ok({
      blockPublicAcls: c.BlockPublicAcls === true, ignorePublicAcls: c.IgnorePublicAcls === true,
      blockPublicPolicy: c.BlockPublicPolicy === true, restrictPublicBuckets: c.RestrictPublicBuckets === true,
    });
  } catch (e) {
    if (errorCode(e) === 'NoSuchPublicAccessBlockConfiguration') return ok(null);
    return failed(toFailure('s3:GetAccountPublicAccessBlock', e));
  }
}

export async function collectEbsEncryptionByDefault(ec2: EC2Client): Promise<Collected<boolean>> {
  try {
    const r = await ec2.send(new GetEbsEncryptionByDefaultCommand({}));
    if (r.EbsEncryptionByDefault === undefined) return failed({ action: 'ec2:GetEbsEncryptionByDefault', kind: 'error', message: 'no EbsEncryptionByDefault in the answer' });
    return ok(r.EbsEncryptionByDefault);
  } catch (e) {
    return failed(toFailure('ec2:GetEbsEncryptionByDefault', e));
  }
}

export async function collectAccessAnalyzers(aa: AccessAnalyzerClient): Promise<Collected<AccessAnalyzerSummary[]>> {
  try {
    const out: AccessAnalyzerSummary[] = [];
    for await (const page of paginateListAnalyzers({ client: aa, pageSize: 100 }, {})) {
      for (const a of page.analyzers ?? []) out.push({ name: a.name ?? '', type: a.type ?? 'UNKNOWN', status: a.status ?? 'UNKNOWN' });
    }
    return ok(out);
  } catch (e) {
    return failed(toFailure('access-analyzer:ListAnalyzers', e));
  }
}

/** The region's recorders and their status: two calls (Config allows one recorder per region, plus service-linked ones). */
export async function collectConfigRecorders(cfg: ConfigServiceClient): Promise<Collected<ConfigRecorderSummary[]>> {
  let recorders;
  try {
    recorders = (await cfg.send(new DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders ?? [];
  } catch (e) {
    return failed(toFailure('config:DescribeConfigurationRecorders', e));
  }
  if (recorders.length === 0) return ok([]);
  try {
    const status = (await cfg.send(new DescribeConfigurationRecorderStatusCommand({}))).ConfigurationRecordersStatus ?? [];
    const byName = new Map(status.map((x) => [x.name, x]));
    return ok(recorders.map((r) => {
      const st = byName.get(r.name);
      return {
        name: r.name ?? '',
        ...(r.recordingGroup?.allSupported !== undefined ? { allSupported: r.recordingGroup.allSupported } : {}),
        ...(st?.recording !== undefined ? { recording: st.recording } : {}),
        ...(st?.lastStatus ? { lastStatus: st.lastStatus } : {}),
      };
    }));
  } catch (e) {
    return failed(toFailure('config:DescribeConfigurationRecorderStatus', e));
  }
}

export interface AccountRegionClients {
  readonly ec2: EC2Client;
  readonly accessAnalyzer: AccessAnalyzerClient;
  readonly configService: ConfigServiceClient;
}

/** One region's account-level settings: four calls, run together. */
export async function collectAccountRegion(c: AccountRegionClients, region: string): Promise<AccountRegionSnapshot> {
  const [ebsEncryptionByDefault, accessAnalyzers, configRecorders] = await Promise.all([
    collectEbsEncryptionByDefault(c.ec2), collectAccessAnalyzers(c.accessAnalyzer), collectConfigRecorders(c.configService),
  ]);
  return { region, ebsEncryptionByDefault, accessAnalyzers, configRecorders };
}
