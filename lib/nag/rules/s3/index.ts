export * from './S3BucketBlockPublicAccess';
export * from './S3BucketCustomerManagedKey';
export * from './S3BucketDataEventsLogged';
export * from './S3BucketMinimumTLS12';
export * from './S3BucketNoPublicAcl';
export * from './S3BucketNoncurrentVersionExpiry';
export * from './S3BucketTLSOnly';
export * from './S3BucketVersioning';
