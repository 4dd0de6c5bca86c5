export * from './awards.js';
export * from './year.js';
