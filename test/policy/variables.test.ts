/**
 * Policy variables and wildcards as AWS reads them (IAM User Guide, "IAM policy elements: Variables and
 * tags" and "Wildcards"): written for the mutants of lib/policy/variables.ts and wildcard.ts that the
 * evaluator's other tests let survive.
 */
import { buildContext, isUnknown } from '../../lib/policy';
import { resolveGlob, resolveVariables } from '../../lib/policy/variables';
import { compilePattern, matchCompiled, wildcardMatch } from '../../lib/policy/wildcard';

const ctx = (context: Record<string, string | string[]> = {}) => buildContext({
  principal: { arn: 'arn:aws:iam::111122223333:user/alice', account: '111122223333', type: 'User' },
  action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/key', context,
});

describe('policy variables', () => {
  test('text without a variable is itself; text around and between variables is kept', () => {
    expect(resolveVariables('home/alice/*', ctx())).toBe('home/alice/*');
    expect(resolveVariables('home/${aws:username}/*', ctx())).toBe('home/alice/*');
    expect(resolveVariables('${aws:username}-${aws:username}', ctx())).toBe('alice-alice');
    expect(resolveVariables('${aws:username}', ctx())).toBe('alice');
  });
  test('keys are matched without regard to case and blanks around the key or the default are ignored', () => {
    expect(resolveVariables('${AWS:UserName}', ctx())).toBe('alice');
    expect(resolveVariables('${ aws:username }', ctx())).toBe('alice');
    expect(resolveVariables("${aws:PrincipalTag/team ,  'none'}", ctx())).toBe('none');
  });
  test("a missing key takes the default; without one the statement cannot match (undefined)", () => {
    expect(resolveVariables("x/${aws:PrincipalTag/team, 'none'}", ctx())).toBe('x/none');
    expect(resolveVariables("${aws:PrincipalTag/team, 'none'}", ctx({ 'aws:PrincipalTag/team': 'ops' }))).toBe('ops');
    expect(resolveVariables('x/${aws:PrincipalTag/team}', ctx())).toBeUndefined();
  });
  test('a multivalued key is no single value: the default, or no match', () => {
    expect(resolveVariables("${aws:TagKeys, 'd'}", ctx({ 'aws:TagKeys': ['a', 'b'] }))).toBe('d');
    expect(resolveVariables('${aws:TagKeys}', ctx({ 'aws:TagKeys': ['a', 'b'] }))).toBeUndefined();
  });
  test('a malformed body (a default without quotes) resolves to nothing', () => {
    expect(resolveVariables('${aws:username, none}', ctx())).toBeUndefined();
  });
  test('${*}, ${?} and ${$} are the literal characters: in a glob they match only themselves', () => {
    expect(resolveVariables('a${*}b${?}c${$}', ctx())).toBe('a*b?c$');
    const re = resolveGlob('a${*}b*', ctx(), false);
    if (re === undefined || isUnknown(re)) throw new Error('expected a regex');
    expect(re.test('a*bzzz')).toBe(true);
    expect(re.test('axbzzz')).toBe(false);
  });
  test('a substituted value is literal in a glob: its dots and wildcards match only themselves', () => {
    const re = resolveGlob('home/${aws:PrincipalTag/dir}/*', ctx({ 'aws:PrincipalTag/dir': 'a.b*' }), false);
    if (re === undefined || isUnknown(re)) throw new Error('expected a regex');
    expect(re.test('home/a.b*/x')).toBe(true);
    expect(re.test('home/axbzz/x')).toBe(false);
    expect(resolveGlob('home/${aws:PrincipalTag/dir}', ctx(), false)).toBeUndefined();
  });
});

describe('policy variables: more shapes', () => {
  test('blanks after the default are ignored too', () => {
    expect(resolveVariables("${aws:PrincipalTag/team, 'none' }", ctx())).toBe('none');
  });
  test('a body with two commas is malformed: nothing, not the part after the first comma', () => {
    expect(resolveVariables("${aws:PrincipalTag/team,x, 'd'}", ctx())).toBeUndefined();
  });
  test('wildcards of the policy text before a variable stay wildcards', () => {
    const re = resolveGlob('home/*/${aws:username}', ctx(), false);
    if (re === undefined || isUnknown(re)) throw new Error('expected a regex');
    expect(re.test('home/x/alice')).toBe(true);
    expect(re.test('home/x/bob')).toBe(false);
  });
  test('a case-insensitive glob with a variable ignores case; a case-sensitive one does not', () => {
    const ci = resolveGlob('Home/${aws:username}/*', ctx(), true);
    const cs = resolveGlob('Home/${aws:username}/*', ctx(), false);
    if (ci === undefined || isUnknown(ci) || cs === undefined || isUnknown(cs)) throw new Error('expected a regex');
    expect(ci.test('home/ALICE/x')).toBe(true);
    expect(cs.test('home/ALICE/x')).toBe(false);
  });
});

describe('wildcards: cache and compiled patterns', () => {
  test('the same text in the two case modes is never confused (whichever comes first)', () => {
    expect(wildcardMatch('s:cachecase1*', 'S:CACHECASE1X', true)).toBe(true);
    expect(wildcardMatch('cachecase1*', 'cachecase1x', false)).toBe(true);
    expect(wildcardMatch('cachecase2*', 'CACHECASE2X', true)).toBe(true);
    expect(wildcardMatch('i:cachecase2*', 'i:cachecase2x', false)).toBe(true);
  });
  test('an empty pattern matches only the empty value', () => {
    expect(wildcardMatch('', 'x', false)).toBe(false);
    expect(wildcardMatch('', '', false)).toBe(true);
  });
  test('a compiled case-sensitive pattern with wildcards keeps case; a case-insensitive one was lowercased', () => {
    expect(matchCompiled(compilePattern('Arn:Key*', false), 'arn:keyx')).toBe(false);
    expect(matchCompiled(compilePattern('Arn:Key*', false), 'Arn:Keyx')).toBe(true);
    expect(matchCompiled(compilePattern('S3:Get*', true), 's3:getobject')).toBe(true);
  });
});

describe('wildcards', () => {
  test('a pattern without wildcards is compared whole, with or without case', () => {
    expect(wildcardMatch('s3:GetObject', 's3:getobject', true)).toBe(true);
    expect(wildcardMatch('s3:GetObject', 's3:getobject', false)).toBe(false);
    expect(wildcardMatch('s3:GetObject', 's3:GetObjectAcl', true)).toBe(false);
  });
  test('regex characters of a pattern are literal; * is any run and ? exactly one character', () => {
    expect(wildcardMatch('a.b*', 'axbc', false)).toBe(false);
    expect(wildcardMatch('a.b*', 'a.bc', false)).toBe(true);
    expect(wildcardMatch('a+?', 'a+x', false)).toBe(true);
    expect(wildcardMatch('a+?', 'aax', false)).toBe(false);
    expect(wildcardMatch('a?', 'a', false)).toBe(false);
    expect(wildcardMatch('(x)*', '(x)', false)).toBe(true);
  });
});
