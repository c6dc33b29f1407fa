// Public API: exports only.
export * from './config';
export * from './lessons';
export * from './findings';
export * from './stacks/hardened-environment';
