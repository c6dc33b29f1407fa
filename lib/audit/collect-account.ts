import { DescribeOrganizationCommand, OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { StaticCredentials } from './clients';
import { errorCode, toFailure } from './errors';
import { Collected, OrganizationMembership, failed, ok } from './types';

export interface CallerIdentity {
  readonly account: string;
  readonly partition: string;
  readonly arn: string;
}

export function partitionOf(arn: string): string {
  return arn.split(':')[1] || 'aws';
}

export async function callerIdentity(sts: STSClient): Promise<Collected<CallerIdentity>> {
  try {
    const r = await sts.send(new GetCallerIdentityCommand({}));
    if (!r.Account || !r.Arn) return failed({ action: 'sts:GetCallerIdentity', kind: 'error', message: 'no account in the answer' });
    return ok({ account: r.Account, arn: r.Arn, partition: partitionOf(r.Arn) });
  } catch (e) {
    return failed(toFailure('sts:GetCallerIdentity', e));
  }
}

/** Organizations DescribeOrganization; AWSOrganizationsNotInUseException means no organization (null). */
export async function collectOrganization(org: OrganizationsClient): Promise<Collected<OrganizationMembership | null>> {
  try {
    const r = await org.send(new DescribeOrganizationCommand({}));
    const o = r.Organization;
    if (!o?.Id) return ok(null);
    return ok({ id: o.Id, managementAccountId: o.MasterAccountId ?? '' });
  } catch (e) {
    if (errorCode(e) === 'AWSOrganizationsNotInUseException') return ok(null);
    return failed(toFailure('organizations:DescribeOrganization', e));
  }
}

/** The ACTIVE accounts of the organization (organizations:ListAccounts, all pages). */
export async function listOrganizationAccounts(org: OrganizationsClient): Promise<Collected<string[]>> {
  try {
    const out: string[] = [];
    for await (const page of paginateListAccounts({ client: org, pageSize: 20 }, {})) {
      for (const a of page.Accounts ?? []) {
        const state = (a as { State?: string }).State ?? a.Status;
        if (a.Id && (state === undefined || state === 'ACTIVE')) out.push(a.Id);
      }
    }
    return ok(out.sort());
  } catch (e) {
    return failed(toFailure('organizations:ListAccounts', e));
  }
}

export async function assumeRole(sts: STSClient, roleArn: string, externalId?: string): Promise<Collected<StaticCredentials>> {
  try {
    const r = await sts.send(new AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: 'cdk-hardening-audit',
      DurationSeconds: 3600,
      ...(externalId ? { ExternalId: externalId } : {}),
    }));
    const c = r.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) return failed({ action: 'sts:AssumeRole', kind: 'error', message: `no credentials for ${roleArn}` });
    return ok({ accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration });
  } catch (e) {
    return failed(toFailure('sts:AssumeRole', e));
  }
}
