export { default as cloudtrailMultiRegionLogging } from './multi-region-logging';
export { default as cloudtrailPiiDataEvents } from './pii-data-events';
