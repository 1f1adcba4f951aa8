export * from './dates';
export * from './schedule';
export * from './period';
