// Public API: exports only.
export * from './config';
export * from './lessons';
export * from './findings';
export * from './stacks/hardened-environment';
export * as audit from './audit';
export { AUDIT_CHECKS, evaluateSnapshot, runAudit, collectAccount } from './audit';
export type { AccountSnapshot, AuditCheck, AuditOptions, AuditResult } from './audit';
