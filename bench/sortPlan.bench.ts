import { performance } from 'node:perf_hooks';
import { parentGenreOf } from '../src/core/genres/index.js';
import { analysePlaylist, planOrderChange, targetOrder, type PlaylistItemInput } from '../src/core/sort/index.js';

/**
 * Prints the pure side of /sort: the request lower bound against the seed's naive cost for
 * cold and warm artist caches, how long the analysis and the order planner take, and how many
 * calls the planner needs for typical reorderings.
 */
const GENRES = [
  'indie rock',
  'uk drill',
  'k-pop',
  'deep house',
  'stomp and holler',
  'art pop',
  'trap latino',
  'neo soul',
  'dark ambient',
  'melodic drill',
];

function syntheticPlaylist(size: number): { items: PlaylistItemInput[]; genres: Map<string, readonly string[]> } {
  // Roughly what real playlists look like: about one distinct artist per three tracks, a few features.
  const artistCount = Math.max(1, Math.round(size / 3));
  const genres = new Map<string, readonly string[]>();
  for (let a = 0; a < artistCount; a++)
    genres.set(`artist${a}`, a % 9 === 0 ? [] : [GENRES[a % GENRES.length]!, GENRES[(a * 3) % GENRES.length]!]);
  const items = Array.from({ length: size }, (_, i): PlaylistItemInput => ({
    uri: `spotify:track:t${i}`,
    type: 'track',
    isLocal: false,
    artistIds:
      i % 7 === 0
        ? [`artist${(i * 31) % artistCount}`, `artist${(i * 17) % artistCount}`]
        : [`artist${(i * 31) % artistCount}`],
    artistName: `Artist ${(i * 31) % artistCount}`,
    releaseDate: `${1970 + (i % 50)}-0${1 + (i % 9)}`,
  }));
  return { items, genres };
}

function time<T>(run: () => T): [T, number] {
  const start = performance.now();
  const result = run();
  return [result, performance.now() - start];
}

export default async function (): Promise<void> {
  console.log('split requests (lower bound vs seed: one artist lookup per track)');
  console.log('  tracks   cache  pages lookups creates adds  bound   naive   analyse ms');
  for (const size of [100, 1_000, 10_000]) {
    const { items, genres } = syntheticPlaylist(size);
    for (const cache of ['cold', 'warm'] as const) {
      const cachedArtistIds = cache === 'warm' ? new Set(genres.keys()) : new Set<string>();
      const [analysis, ms] = time(() => analysePlaylist(items, genres, { playlistName: 'Bench', cachedArtistIds }));
      const r = analysis.requests;
      console.log(
        `  ${String(size).padStart(6)}   ${cache}  ${String(r.itemPages).padStart(5)} ${String(r.artistLookups).padStart(7)} ${String(r.playlistCreates).padStart(7)} ${String(r.trackAdds).padStart(4)} ${String(r.total).padStart(6)} ${String(analysis.naiveRequests).padStart(7)} ${ms.toFixed(1).padStart(12)}`,
      );
    }
  }

  console.log('\norder mode planner (calls chosen; replace = ceil(N/100))');
  for (const size of [100, 1_000, 10_000]) {
    const { items, genres } = syntheticPlaylist(size);
    const uris = items.map((i) => i.uri);
    const withLocal = [...uris];
    withLocal[0] = 'spotify:local:a:b:c:1';
    const byGenre = targetOrder(items, { by: 'genre-artist', artistGenres: genres });
    const nearly = [...Array(size).keys()];
    nearly.splice(size >> 1, 0, ...nearly.splice(3, 5)); // one run of 5 moved
    const cases: Array<[string, readonly string[], number[]]> = [
      ['genre-artist', uris, byGenre],
      ['genre-artist + local file', withLocal, byGenre],
      ['release-date', uris, targetOrder(items, { by: 'release-date' })],
      ['one run moved', uris, nearly],
    ];
    for (const [label, current, target] of cases) {
      const [plan, ms] = time(() => planOrderChange(current, target));
      console.log(
        `  ${String(size).padStart(6)} ${label.padEnd(26)} ${plan.kind.padEnd(8)} ${String(plan.calls).padStart(5)} calls  ${ms.toFixed(1).padStart(7)} ms`,
      );
    }
  }

  const names = Array.from(
    { length: 100_000 },
    (_, i) => `${['swedish', 'ohio', 'dutch', 'brazilian'][i % 4]} ${GENRES[i % GENRES.length]} ${i % 500}`,
  );
  const [, ms] = time(() => names.forEach((n) => parentGenreOf(n)));
  console.log(`\nparentGenreOf: 100,000 names (500 × 4 × 10 distinct) in ${ms.toFixed(0)} ms`);
}
