import { UpdateAccountPasswordPolicyCommand } from '@aws-sdk/client-iam';
import { PasswordPolicyEvent, apply } from '../../lib/constructs/handlers/account-password-policy';
import { inlineHandlerSource } from '../../lib/constructs/inline-handler';

const call = (parameters: Record<string, unknown>, action = 'updateAccountPasswordPolicy', service = 'IAM') => JSON.stringify({ service, action, parameters });
const event = (RequestType: PasswordPolicyEvent['RequestType'], Create?: string, Update?: string): PasswordPolicyEvent => ({
  RequestType, ResourceProperties: { Create, Update }, StackId: 's', RequestId: 'r', LogicalResourceId: 'l', ResponseURL: 'https://localhost/x',
});

function fakeIam() {
  const sent: unknown[] = [];
  return { sent, client: { send: async (c: unknown) => { sent.push(c); return {}; } } as never };
}

describe('the inline account-password-policy handler (StackSet templates)', () => {
  const params = { MinimumPasswordLength: 14, PasswordReusePrevention: 24, MaxPasswordAge: 90, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, AllowUsersToChangePassword: true, HardExpiry: false };

  test('Create and Update make exactly UpdateAccountPasswordPolicy with the call\'s parameters, as numbers and booleans', async () => {
    for (const type of ['Create', 'Update'] as const) {
      const iam = fakeIam();
      const asStrings = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
      const r = await apply(event(type, call(asStrings), call(asStrings)), iam.client);
      expect(r.Status).toBe('SUCCESS');
      expect(iam.sent).toHaveLength(1);
      expect(iam.sent[0]).toBeInstanceOf(UpdateAccountPasswordPolicyCommand);
      expect((iam.sent[0] as UpdateAccountPasswordPolicyCommand).input).toEqual(params);
    }
  });

  test('Delete calls nothing: the policy stays', async () => {
    const iam = fakeIam();
    expect((await apply(event('Delete', call(params)), iam.client)).Status).toBe('SUCCESS');
    expect(iam.sent).toEqual([]);
  });

  test('any other call, a missing call or an unknown parameter fails the resource and calls nothing', async () => {
    for (const bad of [call(params, 'deleteAccountPasswordPolicy'), call(params, 'updateAccountPasswordPolicy', 'S3'), undefined, call({ ...params, Extra: 1 })]) {
      const iam = fakeIam();
      const r = await apply(event('Create', bad), iam.client);
      expect(r.Status).toBe('FAILED');
      expect(iam.sent).toEqual([]);
    }
  });

  test('the inlined handler imports only Node\'s modules and the SDK client the Lambda runtime ships', () => {
    const src = inlineHandlerSource('account-password-policy');
    const imports = [...src.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]).sort();
    expect(imports).toEqual(['@aws-sdk/client-iam', 'http', 'https']);
  });
});
