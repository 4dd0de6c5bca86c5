import { writeFile } from 'node:fs/promises';
import { extendedHistoryEntries, extendedHistoryZip, syntheticPlays } from '../emulators/spotify/index.js';
import { seedWorld } from '../emulators/spotify/seed.js';

/**
 * `tsx bench/makeExport.ts <plays> <out.zip>`: an Extended streaming history zip of that many music
 * plays (plus podcasts and skips, files of 15,000 entries), made in its own process so that the
 * import bench measures the import's memory, not the generator's.
 */
const [plays, out] = process.argv.slice(2);
const world = seedWorld(42);
const life = syntheticPlays(world, { count: Number(plays), start: Date.UTC(2014, 2, 2, 18) });
await writeFile(out!, await extendedHistoryZip(extendedHistoryEntries(world, life), { perFile: 15_000 }));
