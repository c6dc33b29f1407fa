import { intrinsicName, partitionOf, pseudoValues, resolvePseudo, subAsJoin } from '../../lib/template/intrinsics';

/**
 * The intrinsic helpers a template read without aws-cdk-lib stands on (`check` on a synthesized or
 * hand-written template): which objects are intrinsics, how a Sub reads, which partition a region is in,
 * and which references a deployment's account and region resolve.
 */
describe('intrinsicName: a single-key Ref, Condition or Fn:: object', () => {
  test('names the intrinsic of a one-key object', () => {
    expect(intrinsicName({ Ref: 'X' })).toBe('Ref');
    expect(intrinsicName({ Condition: 'IsProd' })).toBe('Condition');
    expect(intrinsicName({ 'Fn::GetAtt': ['R', 'Arn'] })).toBe('Fn::GetAtt');
  });
  test('anything else is no intrinsic: other values, other keys, more than one key', () => {
    for (const v of [undefined, null, 'Ref', 7, true, [], [{ Ref: 'X' }], ['Ref'], {}, { Type: 'AWS::S3::Bucket' }, { Ref: 'X', Extra: 1 }, { 'Fn::If': [], Ref: 'X' }, { FnGetAtt: [] }, { ref: 'X' }]) {
      expect([v, intrinsicName(v)]).toEqual([v, undefined]);
    }
  });
});

describe('subAsJoin: the list form needs exactly [text, variables object]', () => {
  test('a list of another length, or whose second item is no object (null, a list, a string), is no Sub it reads', () => {
    for (const v of [['${A}', { A: 'x' }, 'extra'], ['${A}', 'x'], ['${A}', null], ['${A}', ['x']], [{ A: 'x' }, '${A}'], []]) {
      expect([v, subAsJoin(v as never)]).toEqual([v, undefined]);
    }
  });
  test('${!Text} is the literal ${Text}; a variable wins over a parameter of the same name', () => {
    expect(subAsJoin('${!Literal}-${A}')).toEqual({ 'Fn::Join': ['', ['${Literal}-', { Ref: 'A' }]] });
    expect(subAsJoin(['${A}', { A: 'given' }])).toEqual({ 'Fn::Join': ['', ['given']] });
    // the name inside ${ } is read without surrounding blanks
    expect(subAsJoin('${ A }.${ Res.Arn }')).toEqual({ 'Fn::Join': ['', [{ Ref: 'A' }, '.', { 'Fn::GetAtt': ['Res', 'Arn'] }]] });
  });
});

describe('partitionOf: the partition and URL suffix CloudFormation gives a region', () => {
  test.each([
    ['eu-west-1', 'aws', 'amazonaws.com'],
    ['us-east-1', 'aws', 'amazonaws.com'],
    ['cn-north-1', 'aws-cn', 'amazonaws.com.cn'],
    ['cn-northwest-1', 'aws-cn', 'amazonaws.com.cn'],
    ['us-gov-west-1', 'aws-us-gov', 'amazonaws.com'],
    ['us-iso-east-1', 'aws-iso', 'c2s.ic.gov'],
    ['us-isob-east-1', 'aws-iso-b', 'sc2s.sgov.gov'],
    // a region that only ends like another partition's prefix is in aws
    ['xx-cn-', 'aws', 'amazonaws.com'],
    ['ap-us-gov-', 'aws', 'amazonaws.com'],
  ])('%s is in %s (%s)', (region, partition, urlSuffix) => {
    expect(partitionOf(region)).toEqual({ partition, urlSuffix });
  });
});

describe('pseudoValues: what the deployment account and region fix', () => {
  test('the region fixes the partition and URL suffix too', () => {
    expect(pseudoValues({ 'AWS::Region': 'cn-north-1', 'AWS::AccountId': '111122223333' })).toEqual({
      'AWS::Region': 'cn-north-1', 'AWS::AccountId': '111122223333', 'AWS::Partition': 'aws-cn', 'AWS::URLSuffix': 'amazonaws.com.cn',
    });
  });
  test('without a region no partition is guessed', () => {
    expect(pseudoValues({ 'AWS::AccountId': '111122223333' })).toEqual({ 'AWS::AccountId': '111122223333' });
    expect(pseudoValues({})).toEqual({});
  });
  test('a partition given explicitly wins over the one of the region; names that are no pseudo parameter are dropped', () => {
    expect(pseudoValues({ 'AWS::Region': 'eu-west-1', 'AWS::Partition': 'aws-iso', Region: 'x', 'Custom::AWS::Y': 'z' })).toEqual({
      'AWS::Region': 'eu-west-1', 'AWS::Partition': 'aws-iso', 'AWS::URLSuffix': 'amazonaws.com',
    });
  });
});

describe('resolvePseudo: references to the given pseudo parameters become their values', () => {
  const pseudo = { 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '111122223333' };
  test('scalars, lists and nested objects: only the given pseudo parameters are replaced', () => {
    expect(resolvePseudo(['a', 1, null, true, { Ref: 'AWS::Region' }, { Ref: 'AWS::StackName' }, { Ref: 'Param' }], pseudo))
      .toEqual(['a', 1, null, true, 'eu-west-1', { Ref: 'AWS::StackName' }, { Ref: 'Param' }]);
    expect(resolvePseudo({ A: { B: [{ Ref: 'AWS::AccountId' }] } }, pseudo)).toEqual({ A: { B: ['111122223333'] } });
  });
  test('a Ref is replaced only as a one-key intrinsic naming a given parameter by string (not an inherited name, not a key among others)', () => {
    expect(resolvePseudo({ Ref: 'toString' }, pseudo)).toEqual({ Ref: 'toString' });
    expect(resolvePseudo({ Ref: ['AWS::Region'] }, pseudo)).toEqual({ Ref: ['AWS::Region'] });
    expect(resolvePseudo({ Ref: 'AWS::Region', Other: 1 }, pseudo)).toEqual({ Ref: 'AWS::Region', Other: 1 });
  });
  test('a Sub or Join key beside other keys is no intrinsic: the object keeps its form, its values resolved', () => {
    expect(resolvePseudo({ 'Fn::Sub': '${AWS::Region}', Other: 1 }, pseudo)).toEqual({ 'Fn::Sub': '${AWS::Region}', Other: 1 });
    expect(resolvePseudo({ 'Fn::Join': ['', ['a', { Ref: 'AWS::Region' }]], Other: 1 }, pseudo)).toEqual({ 'Fn::Join': ['', ['a', 'eu-west-1']], Other: 1 });
  });
  test('a Sub it cannot read stays a Sub, its values resolved', () => {
    expect(resolvePseudo({ 'Fn::Sub': ['${A}', 'not-variables'] }, pseudo)).toEqual({ 'Fn::Sub': ['${A}', 'not-variables'] });
    expect(resolvePseudo({ 'Fn::Sub': { Ref: 'AWS::Region' } }, pseudo)).toEqual({ 'Fn::Sub': 'eu-west-1' });
  });
  test('a Sub or a Join of literals is one string; of one part, that part; adjacent literals merge, empty ones drop', () => {
    expect(resolvePseudo({ 'Fn::Sub': 'arn:aws:s3:::${AWS::AccountId}-logs' }, pseudo)).toBe('arn:aws:s3:::111122223333-logs');
    expect(resolvePseudo({ 'Fn::Join': ['-', ['a', { Ref: 'AWS::Region' }, 'b']] }, pseudo)).toBe('a-eu-west-1-b');
    expect(resolvePseudo({ 'Fn::Join': ['-', [{ Ref: 'P' }]] }, pseudo)).toEqual({ Ref: 'P' });
    expect(resolvePseudo({ 'Fn::Join': ['', ['a', '', { Ref: 'AWS::Region' }, 'b', '', { Ref: 'P' }, '', 'c']] }, pseudo))
      .toEqual({ 'Fn::Join': ['', ['aeu-west-1b', { Ref: 'P' }, 'c']] });
    expect(resolvePseudo({ 'Fn::Join': ['', ['', { Ref: 'P' }]] }, pseudo)).toEqual({ 'Fn::Join': ['', [{ Ref: 'P' }]] });
  });
  test('a separated Join keeps its parts, and a Join it cannot read (no separator string, no list) is left as written', () => {
    expect(resolvePseudo({ 'Fn::Join': [':', ['a', { Ref: 'P' }, '']] }, pseudo)).toEqual({ 'Fn::Join': [':', ['a', { Ref: 'P' }, '']] });
    for (const arg of [[1, ['a', 'b']], ['-', 'ab'], '-', ['-']]) {
      expect(resolvePseudo({ 'Fn::Join': arg }, pseudo)).toEqual({ 'Fn::Join': arg });
    }
  });
});
