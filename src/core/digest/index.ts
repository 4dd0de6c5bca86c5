export * from './week.js';
export * from './digest.js';
export * from './personal.js';
