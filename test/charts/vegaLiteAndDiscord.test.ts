import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

// A fresh process: in this one discord.js may already be loaded, which hides the failure.
const script = `
import { tsImport } from 'tsx/esm/api';
await tsImport('./src/charts/renderCore.ts', import.meta.url);
console.log(JSON.stringify({ set: new Set([1, 'a']) }));
await import('discord.js');
console.log('discord.js loaded');
`;

describe('the chart renderer and discord.js in one process', () => {
  it('lets discord.js load after vega-lite, and vega-lite still serialises Sets for its hashing', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd() });
    expect(stdout.trim().split('\n')).toEqual(['{"set":"Set(1,\\"a\\")"}', 'discord.js loaded']);
  }, 60_000);
});
