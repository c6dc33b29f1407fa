export * from './S3BucketBlockPublicAccess';
export * from './S3BucketCustomerManagedKey';
export * from './S3BucketNoPublicAcl';
export * from './S3BucketTLSOnly';
export * from './S3BucketVersioning';
