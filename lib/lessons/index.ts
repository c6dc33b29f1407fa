export * from './types';
export * from './catalogue';
export * from './citations';
export * from './guardduty';
export * from './reference-ids';
