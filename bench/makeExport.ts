import { writeFile } from 'node:fs/promises';
import { extendedHistoryEntries, extendedHistoryZip, syntheticPlays } from '../emulators/spotify/index.js';
import { seedWorld } from '../emulators/spotify/seed.js';

/**
 * `tsx bench/makeExport.ts <plays> <out.zip> [<last play, ISO date>]`: an Extended streaming
 * history zip of that many music plays (plus podcasts and skips, files of 15,000 entries), made in
 * its own process so that the import bench measures the import's memory, not the generator's.
 *
 * The history ends at the given date (2026-01-01 by default) and starts no earlier than 2010: the
 * import keeps only what a human could have played, within Spotify's lifetime and in the past, so
 * the pauses between listening sessions are shortened until it fits (plays never overlap).
 */
const [plays, out, last] = process.argv.slice(2);
const end = Date.parse(last ?? '2026-01-01T00:00:00Z');
const earliest = Date.UTC(2010, 0, 1);
const world = seedWorld(42);
const life = syntheticPlays(world, { count: Number(plays), start: earliest });
const SESSION_BREAK = 20 * 60_000;
let listening = 0;
let pauses = 0;
for (let i = 1; i < life.length; i++) {
  const gap = life[i]!.playedAt - life[i]!.msPlayed - life[i - 1]!.playedAt;
  if (gap > SESSION_BREAK) pauses += gap;
  else listening += life[i]!.playedAt - life[i - 1]!.playedAt;
}
const shrink = Math.max(1, pauses / Math.max(1, end - earliest - listening - life[0]!.msPlayed));
let at = end - (listening + pauses / shrink);
const timed = life.map((play, i) => {
  if (i > 0) {
    const gap = play.playedAt - play.msPlayed - life[i - 1]!.playedAt;
    at += gap > SESSION_BREAK ? play.msPlayed + gap / shrink : play.playedAt - life[i - 1]!.playedAt;
  }
  return { ...play, playedAt: Math.round(at) };
});
await writeFile(out!, await extendedHistoryZip(extendedHistoryEntries(world, timed), { perFile: 15_000 }));
