export * from './count-events';
export * from './minute-buckets';
export * from './occupancy-samples';
export * from './sync-state';
export * from './applied-configs';
export * from './device-identity';
export * from './quarantined-rows';
