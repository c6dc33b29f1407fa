/**
 * Reading policy documents (lib/policy/parse.ts): a document we cannot read is refused with a PolicyError
 * naming the policy, the statement, the element and the bad value - never read as something it is not
 * (a statement dropped, a condition lost, a field misread), and never a crash. The evaluator turns the
 * refusal into Undecidable (fail closed).
 */
import { evaluate, parsePolicy, PolicyError, PolicyRequest, PolicySet, unknown } from '../../lib/policy';

const A = '111122223333';
const ALICE = `arn:aws:iam::${A}:user/alice`;
const OBJECT = 'arn:aws:s3:::bucket-a/report.csv';
const get: PolicyRequest = { principal: { arn: ALICE, account: A }, action: 's3:GetObject', resource: OBJECT, resourceAccount: A };

const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
/** A document whose one statement is an Allow of s3:GetObject on * with `extra` merged in. */
const allowWith = (extra: object) => doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', ...extra });

/** The message of the PolicyError parsePolicy throws; fails the test when it accepts or throws anything else. */
function refusal(document: unknown, name = 'p'): string {
  try {
    parsePolicy(document, name);
  } catch (e) {
    if (e instanceof PolicyError) return e.message;
    throw e;
  }
  throw new Error(`parsePolicy accepted ${JSON.stringify(document)}`);
}

/** An identity policy allowing everything in s3, plus `deny` as a second statement. */
const allowAllThenDeny = (deny: object): PolicySet => ({
  identity: [{ name: 'guard', document: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', Action: 's3:*', Resource: '*', ...deny }) }],
});

describe('a Deny we cannot read never becomes an Allow (the evaluation is Undecidable)', () => {
  test.each([
    ['an empty Action list', { Action: [] }],
    ['an empty Resource list', { Resource: [] }],
    ['a Condition written as a list', { Condition: [{ Bool: { 'aws:SecureTransport': 'false' } }] }],
    ['an empty Condition list', { Condition: [] }],
    ['a condition operator mapped to a list', { Condition: { StringEquals: [] } }],
    ['a condition key with no values', { Condition: { StringEquals: { 'aws:username': [] } } }],
    ['Resource and NotResource together', { NotResource: 'arn:aws:s3:::other/*' }],
  ])('%s', (_what, deny) => {
    const r = evaluate(get, allowAllThenDeny(deny));
    expect(r.decision).toBe('Undecidable');
    expect(r.reason).toMatch(/policy 'guard': statement 1/);
  });
  test('a statement that is null', () => {
    const r = evaluate(get, { identity: [{ name: 'guard', document: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, null) }] });
    expect(r.decision).toBe('Undecidable');
    expect(r.reason).toMatch(/statement 1 must be an object, got null/);
  });
  test('a document that is null or missing', () => {
    for (const document of [null, undefined]) {
      const r = evaluate(get, { identity: [{ name: 'guard', document: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) }], permissionsBoundary: { name: 'boundary', document } });
      expect(r.decision).toBe('Undecidable');
      expect(r.reason).toContain(`policy 'boundary' must be an object, got ${String(document)}`);
    }
  });
});

describe('malformed statements are refused, naming the statement, the element and the value', () => {
  test('an element must not be empty', () => {
    expect(refusal(allowWith({ Action: [] }))).toBe("policy 'p': statement 0: Action is empty");
    expect(refusal(doc({ Effect: 'Deny', NotAction: [], Resource: '*' }))).toBe("policy 'p': statement 0: NotAction is empty");
    expect(refusal(allowWith({ Resource: [] }))).toBe("policy 'p': statement 0: Resource is empty");
    expect(refusal(doc({ Effect: 'Allow', Action: 's3:*', NotResource: [] }))).toBe("policy 'p': statement 0: NotResource is empty");
  });
  test('Action and Resource entries must be strings', () => {
    expect(refusal(allowWith({ Action: ['s3:GetObject', 42] }))).toBe("policy 'p': statement 0: Action entries must be strings, got 42");
    expect(refusal(doc({ Effect: 'Deny', NotAction: [{ s3: 'Get' }], Resource: '*' }))).toBe(`policy 'p': statement 0: NotAction entries must be strings, got {"s3":"Get"}`);
    expect(refusal(allowWith({ Resource: [OBJECT, 7] }))).toBe("policy 'p': statement 0: Resource entries must be strings, got 7");
    expect(refusal(doc({ Effect: 'Allow', Action: 's3:*', NotResource: [true] }))).toBe("policy 'p': statement 0: NotResource entries must be strings, got true");
  });
  test('a statement must be an object (not a string, a list or null)', () => {
    expect(refusal(doc('Allow s3:*'))).toBe(`policy 'p': statement 0 must be an object, got "Allow s3:*"`);
    expect(refusal(doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }])))
      .toMatch(/^policy 'p': statement 1 must be an object, got \[\{"Effect":"Allow"/);
    expect(refusal(doc(null))).toBe("policy 'p': statement 0 must be an object, got null");
  });
  test('a missing Effect is named as missing', () => {
    expect(refusal(doc({ Action: 's3:*', Resource: '*' }))).toBe(`policy 'p': statement 0: Effect must be "Allow" or "Deny", got undefined`);
  });
  test('an unresolved Effect is named with the reason it could not be resolved', () => {
    const reason = `Fn::If ${'IsProductionEnvironmentWithAVeryLongConditionName'.repeat(3)}`;
    expect(refusal(doc({ Effect: unknown(reason), Action: 's3:*', Resource: '*' }))).toBe(`policy 'p': statement 0: Effect must be "Allow" or "Deny", got <unknown: ${reason}>`);
  });
  test('Resource and NotResource together, Principal and NotPrincipal together', () => {
    expect(refusal(allowWith({ NotResource: 'arn:aws:s3:::other/*' }))).toBe("policy 'p': statement 0: Resource and NotResource together");
    expect(refusal(doc({ Effect: 'Deny', Principal: '*', NotPrincipal: { AWS: ALICE }, Action: 's3:*', Resource: '*' })))
      .toBe("policy 'p': statement 0: Principal and NotPrincipal together");
  });
  test('a Sid must be a string', () => {
    expect(refusal(allowWith({ Sid: 12 }))).toBe("policy 'p': statement 0: Sid must be a string, got 12");
    expect(parsePolicy(allowWith({ Sid: 'ReadReports' }), 'p').statements[0].sid).toBe('ReadReports');
  });
  test('the statement named is the one at fault, and the policy is named', () => {
    const message = refusal(doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Allow', Action: 's3:*', Resource: [] }), 'bucket-readers');
    expect(message).toBe("policy 'bucket-readers': statement 1: Resource is empty");
  });
  test('long values are shown cut to 120 characters, shorter ones whole', () => {
    const long = 'x'.repeat(400);
    const message = refusal(doc({ Effect: long, Action: 's3:*', Resource: '*' }));
    expect(message).toBe(`policy 'p': statement 0: Effect must be "Allow" or "Deny", got "${'x'.repeat(116)}...`);
    const exactly120 = 'y'.repeat(118); // 120 characters once quoted
    expect(refusal(doc({ Effect: exactly120, Action: 's3:*', Resource: '*' }))).toBe(`policy 'p': statement 0: Effect must be "Allow" or "Deny", got "${exactly120}"`);
  });
  test('a fault that is not the policy\'s (a throwing getter) is not reported as a malformed policy', () => {
    const statement = { Effect: 'Allow', Resource: '*', get Action(): string { throw new RangeError('getter failed'); } };
    expect(() => parsePolicy({ Statement: [statement] }, 'p')).toThrow(RangeError);
  });
});

describe('Principal and NotPrincipal', () => {
  test('"*" is everyone and names no one in particular', () => {
    const p = parsePolicy(doc({ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }), 'p').statements[0].principal;
    expect(p).toEqual({ wildcard: true, aws: [], service: [], federated: [], canonicalUser: [] });
  });
  test('{ AWS: "*" } is everyone too: a resource policy with it alone grants a principal of the account', () => {
    const p = parsePolicy(doc({ Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 's3:*', Resource: '*' }), 'p').statements[0].principal;
    expect(p?.wildcard).toBe(true);
    const r = evaluate(get, { resourcePolicy: { name: 'bucket', document: doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: OBJECT }) } });
    expect(r.decision).toBe('Allow');
  });
  test('a principal of one type names nobody of the other types', () => {
    const parsed = parsePolicy(doc({ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 's3:*', Resource: '*' }), 'p').statements[0].principal;
    expect(parsed).toEqual({ wildcard: false, aws: [], service: ['sns.amazonaws.com'], federated: [], canonicalUser: [] });
    const aws = parsePolicy(doc({ Effect: 'Allow', Principal: { AWS: ALICE }, Action: 's3:*', Resource: '*' }), 'p').statements[0].principal;
    expect(aws).toEqual({ wildcard: false, aws: [ALICE], service: [], federated: [], canonicalUser: [] });
  });
  test('an unresolved Principal is kept unresolved: it is no one known and not everyone', () => {
    const who = unknown('Fn::GetAtt Role.Arn');
    const p = parsePolicy(doc({ Effect: 'Allow', Principal: who, Action: 's3:*', Resource: '*' }), 'p').statements[0].principal;
    expect(p).toEqual({ wildcard: false, aws: [who], service: [], federated: [], canonicalUser: [] });
    const r = evaluate(get, { resourcePolicy: { name: 'bucket', document: doc({ Effect: 'Allow', Principal: who, Action: 's3:GetObject', Resource: OBJECT }) } });
    expect(r.decision).toBe('Undecidable');
    expect(r.unknowns).toContain('Fn::GetAtt Role.Arn');
  });
  test('a Principal that is not "*" or an object is refused, naming the element', () => {
    expect(refusal(doc({ Effect: 'Allow', Principal: ALICE, Action: 's3:*', Resource: '*' })))
      .toBe(`policy 'p': statement 0: Principal must be "*" or an object, got "${ALICE}"`);
    expect(refusal(doc({ Effect: 'Allow', Principal: 111122223333, Action: 's3:*', Resource: '*' })))
      .toBe("policy 'p': statement 0: Principal must be \"*\" or an object, got 111122223333");
    expect(refusal(doc({ Effect: 'Allow', Principal: [{ AWS: ALICE }], Action: 's3:*', Resource: '*' })))
      .toBe(`policy 'p': statement 0: Principal must be "*" or an object, got [{"AWS":"${ALICE}"}]`);
    expect(refusal(doc({ Effect: 'Allow', Principal: null, Action: 's3:*', Resource: '*' })))
      .toBe("policy 'p': statement 0: Principal must be \"*\" or an object, got null");
    expect(refusal(doc({ Effect: 'Deny', NotPrincipal: ALICE, Action: 's3:*', Resource: '*' })))
      .toBe(`policy 'p': statement 0: NotPrincipal must be "*" or an object, got "${ALICE}"`);
  });
  test('a principal entry that is not a string is refused, naming the element and its type', () => {
    expect(refusal(doc({ Effect: 'Allow', Principal: { AWS: [{ Ref: 'Role' }] }, Action: 's3:*', Resource: '*' })))
      .toBe(`policy 'p': statement 0: Principal.AWS must be a string, got {"Ref":"Role"}`);
  });
  test('an account id written as a number is read as that account', () => {
    const p = parsePolicy(doc({ Effect: 'Allow', Principal: { AWS: 111122223333 }, Action: 's3:*', Resource: '*' }), 'p').statements[0].principal;
    expect(p?.aws).toEqual(['111122223333']);
  });
});

describe('conditions', () => {
  const conditionOf = (Condition: unknown) => parsePolicy(allowWith({ Condition }), 'p').statements[0].conditions;
  test('values written without quotes are read as their text', () => {
    const [bool, num] = conditionOf({ Bool: { 'aws:SecureTransport': false }, NumericLessThan: { 's3:max-keys': 10 } });
    expect(bool.values).toEqual(['false']);
    expect(num.values).toEqual(['10']);
  });
  test('a Deny of insecure transport written with an unquoted false still denies', () => {
    const policies = allowAllThenDeny({ Condition: { Bool: { 'aws:SecureTransport': false } } });
    expect(evaluate({ ...get, context: { 'aws:SecureTransport': 'false' } }, policies).decision).toBe('ExplicitDeny');
    expect(evaluate({ ...get, context: { 'aws:SecureTransport': 'true' } }, policies).decision).toBe('Allow');
  });
  test('a limit written as a number still limits', () => {
    const policies = allowAllThenDeny({ Condition: { NumericGreaterThan: { 's3:max-keys': 100 } } });
    expect(evaluate({ ...get, context: { 's3:max-keys': '500' } }, policies).decision).toBe('ExplicitDeny');
    expect(evaluate({ ...get, context: { 's3:max-keys': '50' } }, policies).decision).toBe('Allow');
  });
  test('a condition value that is neither a string, a number nor a boolean is refused, naming the condition', () => {
    expect(refusal(allowWith({ Condition: { StringEquals: { 'aws:username': [{ name: 'alice' }] } } })))
      .toBe(`policy 'p': statement 0: condition StringEquals aws:username must be a string, got {"name":"alice"}`);
    expect(refusal(allowWith({ Condition: { StringEquals: { 'aws:username': null } } })))
      .toBe("policy 'p': statement 0: condition StringEquals aws:username must be a string, got null");
  });
  test('a Condition that is not an object is refused', () => {
    expect(refusal(allowWith({ Condition: [] }))).toBe("policy 'p': statement 0: Condition must be an object, got []");
    expect(refusal(allowWith({ Condition: 'aws:SecureTransport' }))).toBe(`policy 'p': statement 0: Condition must be an object, got "aws:SecureTransport"`);
    expect(refusal(allowWith({ Condition: null }))).toBe("policy 'p': statement 0: Condition must be an object, got null");
  });
  test('an operator that does not map keys to values is refused, naming the operator', () => {
    expect(refusal(allowWith({ Condition: { StringEquals: [] } }))).toBe("policy 'p': statement 0: condition StringEquals must map keys to values, got []");
    expect(refusal(allowWith({ Condition: { StringEquals: ['aws:username', 'alice'] } })))
      .toBe(`policy 'p': statement 0: condition StringEquals must map keys to values, got ["aws:username","alice"]`);
    expect(refusal(allowWith({ Condition: { StringEquals: 'alice' } }))).toBe(`policy 'p': statement 0: condition StringEquals must map keys to values, got "alice"`);
    expect(refusal(allowWith({ Condition: { StringEquals: null } }))).toBe("policy 'p': statement 0: condition StringEquals must map keys to values, got null");
  });
  test('a condition key with no values is refused, naming the key', () => {
    expect(refusal(allowWith({ Condition: { StringEquals: { 'aws:username': [] } } }))).toBe("policy 'p': statement 0: condition StringEquals aws:username has no values");
  });
  test('an empty set qualifier is named as the fault', () => {
    expect(refusal(allowWith({ Condition: { ':StringEquals': { 'aws:username': 'alice' } } }))).toBe(`policy 'p': statement 0: unknown condition set qualifier in operator ":StringEquals"`);
  });
  test('an unknown or invalid operator is refused, naming the statement that holds it', () => {
    const second = (Condition: object) => doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', Action: 's3:*', Resource: '*', Condition });
    expect(refusal(second({ StringEqualz: { 'aws:username': 'alice' } }))).toBe(`policy 'p': statement 1: unknown condition operator "StringEqualz"`);
    expect(refusal(second({ 'ForSomeValues:StringEquals': { 'aws:TagKeys': 'env' } }))).toBe(`policy 'p': statement 1: unknown condition set qualifier in operator "ForSomeValues:StringEquals"`);
    expect(refusal(second({ NullIfExists: { 'aws:TokenIssueTime': 'true' } })))
      .toBe(`policy 'p': statement 1: condition operator "NullIfExists" is not valid: Null takes no IfExists or set qualifier`);
  });
});

describe('unresolved Action and Resource entries stay unresolved', () => {
  test('an unresolved action is kept, and a decision that depends on it is Undecidable', () => {
    const action = unknown('Ref ActionParameter');
    const parsed = parsePolicy(allowWith({ Action: [action] }), 'p').statements[0].action;
    expect(parsed).toEqual([{ source: '<unknown: Ref ActionParameter>', regex: undefined, literal: undefined, unknown: action }]);
    const r = evaluate(get, { identity: [{ name: 'p', document: allowWith({ Action: [action] }) }] });
    expect(r.decision).toBe('Undecidable');
    expect(r.unknowns).toContain('Ref ActionParameter');
  });
  test('an unresolved resource is kept, and a decision that depends on it is Undecidable', () => {
    const resource = unknown('Fn::GetAtt Bucket.Arn');
    expect(parsePolicy(allowWith({ Resource: [resource] }), 'p').statements[0].resource).toEqual([resource]);
    const r = evaluate(get, { identity: [{ name: 'p', document: allowWith({ Resource: resource }) }] });
    expect(r.decision).toBe('Undecidable');
    expect(r.unknowns).toContain('Fn::GetAtt Bucket.Arn');
  });
  test('a Resource says whether it holds policy variables (read only under Version 2012-10-17)', () => {
    const [plain, variable] = parsePolicy(allowWith({ Resource: [OBJECT, 'arn:aws:s3:::bucket-a/${aws:username}/*'] }), 'p').statements[0].resource as ReadonlyArray<{ hasVariables: boolean }>;
    expect([plain.hasVariables, variable.hasVariables]).toEqual([false, true]);
  });
});

describe('documents', () => {
  test('a document given as JSON text is read', () => {
    const text = JSON.stringify(allowWith({}));
    expect(evaluate(get, { identity: [{ name: 'p', document: text }] }).decision).toBe('Allow');
    expect(parsePolicy(text, 'p').statements).toHaveLength(1);
  });
  test('JSON text that does not parse is refused as not valid JSON, with the parser\'s reason', () => {
    const text = '{"Version": "2012-10-17", "Statement": [';
    let parserReason = '';
    try { JSON.parse(text); } catch (e) { parserReason = (e as Error).message; }
    expect(parserReason).not.toBe('');
    expect(refusal(text, 'broken')).toBe(`policy 'broken' is not valid json: ${parserReason}`);
  });
  test('valid JSON text holding a malformed statement names the statement, not a JSON fault', () => {
    expect(refusal(JSON.stringify(allowWith({ Action: [] })), 'text')).toBe("policy 'text': statement 0: Action is empty");
  });
  test('a document that is not an object is refused, naming the policy and the value', () => {
    expect(refusal(42, 'n')).toBe("policy 'n' must be an object, got 42");
    expect(refusal([allowWith({})], 'list')).toMatch(/^policy 'list' must be an object, got \[\{"Version"/);
    expect(refusal(null, 'nothing')).toBe("policy 'nothing' must be an object, got null");
    expect(refusal(undefined, 'absent')).toBe("policy 'absent' must be an object, got undefined");
  });
  test('a document already parsed is used as it is (in parsePolicy and in evaluate)', () => {
    const parsed = parsePolicy(allowWith({}), 'p');
    expect(parsePolicy(parsed, 'p')).toBe(parsed);
    expect(evaluate(get, { identity: [{ name: 'p', document: parsed }] }).decision).toBe('Allow');
  });
  test('a document is parsed once per name, whatever other names it was parsed under meanwhile', () => {
    const document = allowWith({});
    const first = parsePolicy(document, 'a');
    const other = parsePolicy(document, 'b');
    expect(other.name).toBe('b');
    expect(parsePolicy(document, 'a')).toBe(first);
    expect(parsePolicy(document, 'b')).toBe(other);
  });
  test('Version 2008-10-17 is read, and policy variables in it are literal text', () => {
    const old = { Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket-a/${aws:username}/*' }] };
    const parsed = parsePolicy(old, 'old');
    expect(parsed.version).toBe('2008-10-17');
    expect(parsed.statements[0].variables).toBe(false);
    expect(evaluate({ ...get, resource: 'arn:aws:s3:::bucket-a/alice/x' }, { identity: [{ name: 'old', document: old }] }).decision).toBe('ImplicitDeny');
    expect(evaluate({ ...get, resource: 'arn:aws:s3:::bucket-a/${aws:username}/x' }, { identity: [{ name: 'old', document: old }] }).decision).toBe('Allow');
  });
  test('an unknown Version is refused, naming it', () => {
    expect(refusal({ Version: '2012-10-18', Statement: [] }, 'v')).toBe(`policy 'v' has an unknown Version "2012-10-18"`);
  });
});

describe('an unresolved value where an object belongs is refused, never read as an object', () => {
  // lib/nag turns an intrinsic it cannot resolve ({ 'Fn::If': ... }) into an Unknown marker wherever it stands;
  // read as an object, the marker's own fields ("reason", "isUnknownValue") would become condition keys.
  const block = unknown('Fn::If IsProduction');
  test('a Deny whose condition block is unresolved makes the evaluation Undecidable, not Allow', () => {
    const r = evaluate(get, allowAllThenDeny({ Condition: { StringEquals: block } }));
    expect(r.decision).toBe('Undecidable');
    expect(r.reason).toContain("policy 'guard': statement 1: condition StringEquals must map keys to values, got <unknown: Fn::If IsProduction>");
  });
  test('an Allow whose condition block is unresolved does not allow unconditionally', () => {
    const r = evaluate(get, { identity: [{ name: 'p', document: allowWith({ Condition: { StringNotEquals: block } }) }] });
    expect(r.decision).toBe('Undecidable');
  });
  test('an unresolved Condition, statement or document is named as unresolved', () => {
    expect(refusal(allowWith({ Condition: block }))).toBe("policy 'p': statement 0: Condition must be an object, got <unknown: Fn::If IsProduction>");
    expect(refusal(doc(block))).toBe("policy 'p': statement 0 must be an object, got <unknown: Fn::If IsProduction>");
    expect(refusal(block, 'whole')).toBe("policy 'whole' must be an object, got <unknown: Fn::If IsProduction>");
  });
});
