export * from './SQSQueueCustomerManagedKey';
