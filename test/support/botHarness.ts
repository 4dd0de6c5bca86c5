// Shared with the benches and the sandbox, which never import test/support.
export * from '../../scripts/support/botHarness.js';
