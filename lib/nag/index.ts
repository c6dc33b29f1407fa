export * from './types';
export * from './resource-index';
export { BREACH_LESSONS_RULES, RULE_IDS, RULE_ID_PREFIX, ruleById, rulesNamed } from './rules';
export * from './evaluate';
export * from './acknowledge';
export * from './evidence';
export * from './breach-lessons-checks';
export { SSE_S3_ACCESS_LOG_EXCEPTION } from './rules/s3/S3BucketCustomerManagedKey';
export { GUARDDUTY_DETECTOR_METADATA } from './rules/guardduty/GuardDutyDetectorPresent';
