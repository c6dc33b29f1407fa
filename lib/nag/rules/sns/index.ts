export * from './SNSTopicCustomerManagedKey';
