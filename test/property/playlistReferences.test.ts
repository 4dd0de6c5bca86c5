import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { playlistIdFrom } from '../../commands/sort.js';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const spotifyId = fc.string({ unit: fc.constantFrom(...BASE62), minLength: 22, maxLength: 22 });
const space = fc.stringMatching(/^[ \t\n]{0,3}$/);
const query = fc.stringMatching(/^[\w=&-]{1,30}$/);

/** The ways a member pastes a playlist: the share link (with its ?si=, a locale segment), the URI. */
const reference = (id: string) =>
  fc.oneof(
    fc.constant(`https://open.spotify.com/playlist/${id}`),
    query.map((q) => `https://open.spotify.com/playlist/${id}?si=${q}`),
    fc.constantFrom('intl-fr', 'intl-pt', 'embed').map((seg) => `https://open.spotify.com/${seg}/playlist/${id}`),
    fc.constant(`open.spotify.com/playlist/${id}`),
    fc.constant(`spotify:playlist:${id}`),
  );

// Spotify keeps a name's spaces as typed ("Chill "), and a member does not type them back.
const playlistName = fc.string({ minLength: 1, maxLength: 40 }).filter((n) => n.trim() !== '');
const ownPlaylists = fc.uniqueArray(fc.record({ id: spotifyId, name: playlistName }), {
  maxLength: 8,
  selector: (p) => p.name.trim().toLowerCase(),
});

describe('playlist references typed into /sort (property-based)', () => {
  it('a link or URI to a playlist names that playlist, with any surrounding spaces, whatever the member owns', () => {
    fc.assert(
      fc.property(
        spotifyId.chain((id) => fc.tuple(fc.constant(id), reference(id))),
        space,
        space,
        ownPlaylists,
        ([id, ref], before, after, own) => {
          expect(playlistIdFrom(`${before}${ref}${after}`, own)).toBe(id);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('one of the member’s playlists is found by its name, in any letter case and with spaces around it', () => {
    fc.assert(
      fc.property(
        ownPlaylists.filter((own) => own.length > 0),
        fc.nat(),
        fc.boolean(),
        space,
        (own, pick, upper, pad) => {
          const chosen = own[pick % own.length]!;
          // A name that is itself a link or a bare id is read as that link or id first.
          fc.pre(!/open\.spotify\.com\/|^\s*spotify:playlist:|^\s*[A-Za-z0-9]{22}\s*$/.test(chosen.name));
          const typed = upper ? chosen.name.toUpperCase() : chosen.name.toLowerCase();
          fc.pre(typed.toLowerCase() === chosen.name.toLowerCase());
          expect(playlistIdFrom(`${pad}${typed}${pad}`, own)).toBe(chosen.id);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary input, and answers only an id of the member’s own or one shaped like a Spotify id', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), ownPlaylists, (typed, own) => {
        const id = playlistIdFrom(typed, own);
        if (id === undefined) return;
        expect(own.some((p) => p.id === id) || /^[A-Za-z0-9]+$/.test(id)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
