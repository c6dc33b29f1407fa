export * from './GuardDutyAllProtections';
export * from './GuardDutyDetectorPresent';
