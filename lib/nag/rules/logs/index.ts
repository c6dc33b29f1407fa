export * from './LogGroupCustomerManagedKey';
export * from './LogGroupRetention';
