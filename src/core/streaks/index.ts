export * from './streaks.js';
export * from './localDays.js';
export * from './milestones.js';
