/**
 * The deployment-time handler of AccountPasswordPolicy in a StackSet template (inline code: a member
 * account has no asset bucket). Its resource carries the same `Create` / `Update` SDK calls an
 * AwsCustomResource would (JSON strings, which BreachLessons-IAMAccountPasswordPolicyStrong reads); the
 * handler makes exactly IAM UpdateAccountPasswordPolicy with their parameters and refuses any other
 * call. Delete changes nothing: the policy stays (AWS's defaults are 8 characters, no reuse prevention).
 *
 * Inlined as compiled (../inline-handler.ts): only Node's modules and the AWS SDK v3 of the Lambda runtime.
 */
import { request as httpRequest } from 'http';
import { request as httpsRequest } from 'https';
import { IAMClient, UpdateAccountPasswordPolicyCommand, UpdateAccountPasswordPolicyCommandInput } from '@aws-sdk/client-iam';

export const PHYSICAL_ID = 'account-password-policy';

export interface PasswordPolicyEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResourceProperties: { readonly Create?: string; readonly Update?: string };
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly ResponseURL: string;
}

const NUMBERS = ['MinimumPasswordLength', 'PasswordReusePrevention', 'MaxPasswordAge'];
const BOOLEANS = ['RequireSymbols', 'RequireNumbers', 'RequireUppercaseCharacters', 'RequireLowercaseCharacters', 'AllowUsersToChangePassword', 'HardExpiry'];

/** The UpdateAccountPasswordPolicy input of an event's call; throws on any other call or a malformed one. */
export function passwordPolicyInput(call: string | undefined): UpdateAccountPasswordPolicyCommandInput {
  const c = JSON.parse(call ?? 'null') as { service?: string; action?: string; parameters?: Record<string, unknown> } | null;
  if (!c || String(c.service).toLowerCase() !== 'iam' || String(c.action).toLowerCase() !== 'updateaccountpasswordpolicy' || typeof c.parameters !== 'object' || c.parameters === null) {
    throw new Error(`refusing the call ${call}: this function only makes IAM UpdateAccountPasswordPolicy`);
  }
  const input: Record<string, number | boolean> = {};
  for (const [k, v] of Object.entries(c.parameters)) {
    if (NUMBERS.includes(k)) input[k] = Number(v);
    else if (BOOLEANS.includes(k)) input[k] = v === true || v === 'true';
    else throw new Error(`unknown password policy parameter ${k}`);
  }
  return input as UpdateAccountPasswordPolicyCommandInput;
}

export async function apply(event: PasswordPolicyEvent, iam: Pick<IAMClient, 'send'>): Promise<{ Status: 'SUCCESS' | 'FAILED'; Reason: string }> {
  try {
    if (event.RequestType === 'Delete') return { Status: 'SUCCESS', Reason: 'the password policy is retained' };
    const input = passwordPolicyInput(event.RequestType === 'Create' ? event.ResourceProperties.Create : event.ResourceProperties.Update);
    await iam.send(new UpdateAccountPasswordPolicyCommand(input));
    return { Status: 'SUCCESS', Reason: 'password policy set' };
  } catch (err) {
    return { Status: 'FAILED', Reason: (err instanceof Error ? err.message : String(err)).slice(0, 3000) };
  }
}

function respond(event: PasswordPolicyEvent, result: { Status: string; Reason: string }): Promise<void> {
  const body = JSON.stringify({
    Status: result.Status, Reason: result.Reason, PhysicalResourceId: PHYSICAL_ID,
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId,
  });
  const url = new URL(event.ResponseURL);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) }, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`CloudFormation response PUT returned ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error('CloudFormation response PUT timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** The Lambda entry point. */
export async function handler(event: PasswordPolicyEvent): Promise<void> {
  await respond(event, await apply(event, new IAMClient({})));
}
