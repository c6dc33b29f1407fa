export * from './CloudTrailArchiveObjectLock';
export * from './CloudTrailCisAlarms';
export * from './CloudTrailMultiRegionTrail';
export * from './CloudTrailPipelineBoundaryProtected';
export * from './CloudTrailValidatedEncrypted';
