export * from './events';
export * from './neptune-import-poller-stack';
export * from './neptune-import-task-poller';
export * from './poller-config';
export * from './polling-strategy';
export * from './trigger-patterns';
export * from './validation';
