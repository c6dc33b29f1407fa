export * from './finding';
export * from './summary';
