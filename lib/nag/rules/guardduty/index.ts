export * from './GuardDutyAllProtections';
export * from './GuardDutyDetectorPresent';
export * from './GuardDutyHighSeverityRouted';
