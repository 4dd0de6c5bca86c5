import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every Spotify API path literal in src/ and commands/ (template strings with ${…} kept as {x}). */
function spotifyPathsInSource(): Array<{ file: string; path: string }> {
  const found: Array<{ file: string; path: string }> = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (full.endsWith('.ts')) {
        const text = readFileSync(full, 'utf8');
        for (const m of text.matchAll(
          /['`](\/(?:me|playlists|artists|albums|tracks|search|users|browse|recommendations|audio-features|audio-analysis|markets|episodes|shows)\b[^'`\n]*)['`]/g,
        )) {
          found.push({ file: full, path: m[1]!.replace(/\$\{[^}]+\}/g, '{x}') });
        }
      }
    }
  };
  for (const root of ['src', 'commands']) {
    try {
      walk(root);
    } catch {
      // commands/ may not exist yet
    }
  }
  return found;
}

// PLATFORM.md: what a development-mode app can no longer call.
const REMOVED: Array<[RegExp, string]> = [
  [/^\/recommendations/, 'recommendations'],
  [/^\/audio-features/, 'audio features'],
  [/^\/audio-analysis/, 'audio analysis'],
  [/^\/artists\/[^/]+\/related-artists/, 'related artists'],
  [/^\/artists\/[^/]+\/top-tracks/, 'artist top tracks'],
  [/^\/browse/, 'browse'],
  [/^\/markets/, 'markets'],
  [/^\/(artists|tracks|albums|episodes|shows)\?ids=/, 'batch lookups'],
  [/^\/users\//, 'other users and POST /users/{id}/playlists'],
  [/^\/playlists\/[^/]+\/tracks/, '/playlists/{id}/tracks (now /items)'],
  [/^\/me\/(tracks|following|albums)\?ids=/, 'PUT/DELETE on /me/tracks|following (now /me/library)'],
];

describe('Spotify endpoints used by the source', () => {
  const paths = spotifyPathsInSource();

  it('finds the paths the gateway calls (so the check below is looking at something)', () => {
    const unique = [...new Set(paths.map((p) => p.path.split('?')[0]))].sort();
    console.info(`Spotify paths in the source:\n  ${unique.join('\n  ')}`);
    expect(unique).toEqual(
      expect.arrayContaining(['/me', '/me/playlists', '/playlists/{x}/items', '/artists/{x}', '/search']),
    );
  });

  it('calls no endpoint Spotify removed for development-mode apps', () => {
    const offenders = paths.flatMap(({ file, path: p }) =>
      REMOVED.filter(([re]) => re.test(p)).map(([, what]) => `${file}: ${p} (${what})`),
    );
    expect(offenders).toEqual([]);
  });

  it('would catch a removed endpoint (the patterns match what they should)', () => {
    for (const p of [
      '/recommendations?seed_artists=x',
      '/artists?ids=a,b',
      '/playlists/{x}/tracks',
      '/users/{x}/playlists',
      '/artists/{x}/top-tracks',
    ]) {
      expect(
        REMOVED.some(([re]) => re.test(p)),
        p,
      ).toBe(true);
    }
  });
});
