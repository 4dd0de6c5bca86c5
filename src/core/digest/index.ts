export * from './week.js';
export * from './digest.js';
