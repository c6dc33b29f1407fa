export * from './defaults';
export * from './schema';
export * from './config';
export * from './security-names';
export * from './alert-emails';
export * from './file';
export * from './organization-names';
