export * from './DynamoDBTableCustomerManagedKey';
export * from './DynamoDBTableRecovery';
