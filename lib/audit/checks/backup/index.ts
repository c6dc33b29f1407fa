export { default as backupVaultLock } from './vault-lock';
export { default as backupPlanCoverage } from './plan-coverage';
