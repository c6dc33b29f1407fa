export * from './KMSKeyPolicySeparatesDuties';
export * from './KMSKeyRotation';
