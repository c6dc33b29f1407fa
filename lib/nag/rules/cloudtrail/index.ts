export * from './CloudTrailArchiveObjectLock';
export * from './CloudTrailMultiRegionTrail';
export * from './CloudTrailValidatedEncrypted';
