// Shared with the history bench, which never imports the tests' modules.
export * from '../../scripts/support/collectorWorld.js';
