export * from './SNSAlertTopicEncryptedSubscribed';
export * from './SNSTopicCustomerManagedKey';
