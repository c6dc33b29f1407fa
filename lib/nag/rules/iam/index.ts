export * from './IAMGroupRequiresMFA';
export * from './IAMNoAccessKeys';
export * from './IAMPolicyNoWildcardAdmin';
export * from './IAMRoleHumanSessionDuration';
export * from './IAMRolePermissionsBoundary';
export * from './IAMRoleTrustRequiresMFA';
export * from './IAMUserNoConsolePassword';
export * from './ResourcePolicyNotPublic';
