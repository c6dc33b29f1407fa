/** KMS actions by duty, shared by the pack's key-policy rule and the live audit (no aws-cdk-lib here). */

/** Actions that manage a key (policy, state, aliases, deletion, key material). */
export const KMS_ADMIN_ACTIONS = [
  'CreateAlias', 'DeleteAlias', 'UpdateAlias', 'PutKeyPolicy', 'ScheduleKeyDeletion', 'CancelKeyDeletion', 'DisableKey', 'EnableKey',
  'DisableKeyRotation', 'EnableKeyRotation', 'RotateKeyOnDemand', 'UpdateKeyDescription', 'TagResource', 'UntagResource',
  'ImportKeyMaterial', 'DeleteImportedKeyMaterial', 'ReplicateKey', 'UpdatePrimaryRegion', 'RevokeGrant',
].map((a) => `kms:${a}`);

/**
 * Actions that use a key for cryptography, and CreateGrant: a grant can give its creator Decrypt,
 * so whoever may create grants without a service confining them may use the key.
 */
export const KMS_USE_ACTIONS = [
  'Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext', 'Sign', 'Verify', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret', 'CreateGrant',
].map((a) => `kms:${a}`);
