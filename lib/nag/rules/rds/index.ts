export * from './RDSDeletionProtection';
export * from './RDSNotPubliclyAccessible';
export * from './RDSStorageCustomerManagedKey';
