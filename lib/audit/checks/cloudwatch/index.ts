export { default as cloudwatchCisAlarms } from './cis-alarms';
export { default as cloudwatchTrailLogGroup } from './trail-log-group';
