export * from './KMSKeyRotation';
