export * from './BackupPlanLockedVault';
export * from './BackupVaultLocked';
export * from './StatefulResourceBackedUp';
export * from './StatefulResourceRetained';
