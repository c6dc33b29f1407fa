export * from './KMSKeyPolicyNamedAdministrators';
export * from './KMSKeyPolicySeparatesDuties';
export * from './KMSKeyRotation';
