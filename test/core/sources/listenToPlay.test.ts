import { describe, expect, it } from 'vitest';
import { nameArtistId, nameTrackId } from '../../../src/core/history/exportRecords.js';
import { mapListen, playTiming, type ListenInput } from '../../../src/core/sources/index.js';

const AT = Date.UTC(2026, 10, 20, 18);
const RADIOHEAD_MBID = 'a74b1b7f-71a5-4011-9441-d0b5e4122711';
const aListen = (overrides: Partial<ListenInput> = {}): ListenInput => ({
  listenedAt: AT,
  track: { name: 'Creep' },
  artists: [{ name: 'Radiohead' }],
  ...overrides,
});

describe('a source listen as a play', () => {
  it('gets the name: ids an import would give the same names, whatever the case and spacing', () => {
    const mapped = mapListen(aListen({ track: { name: '  Creep ' }, artists: [{ name: 'RADIOHEAD' }] }))!;
    expect(mapped.artists).toEqual([{ nameId: nameArtistId('Radiohead'), name: 'RADIOHEAD' }]);
    expect(mapped.track.nameId).toBe(nameTrackId('radiohead', 'creep'));
    expect(mapped.track.matchKey).toBe('radiohead\u001fcreep');
  });

  it('keeps well-formed MBIDs, Spotify ids and ISRCs and drops malformed ones', () => {
    const good = mapListen(
      aListen({
        track: {
          name: 'Creep',
          mbid: 'D0E8F0A2-1111-2222-3333-444455556666',
          spotifyId: '70LcF31zb1H0PyJoS1Sx1r',
          isrc: 'gbaye9200070',
        },
        artists: [{ name: 'Radiohead', mbid: RADIOHEAD_MBID }],
      }),
    )!;
    expect(good.track).toMatchObject({
      mbid: 'd0e8f0a2-1111-2222-3333-444455556666',
      spotifyId: '70LcF31zb1H0PyJoS1Sx1r',
      isrc: 'GBAYE9200070',
    });
    expect(good.artists[0]!.mbid).toBe(RADIOHEAD_MBID);
    const bad = mapListen(
      aListen({
        track: { name: 'Creep', mbid: 'not-an-mbid', spotifyId: 'spotify:track:x', isrc: 'NOPE' },
        artists: [{ name: 'Radiohead', mbid: '' }],
      }),
    )!;
    expect(bad.track).toEqual({ name: 'Creep', nameId: bad.track.nameId, matchKey: bad.track.matchKey });
    expect(bad.artists[0]).not.toHaveProperty('mbid');
  });

  it('cleans names as an export’s are and credits each artist once, main artist first', () => {
    const mapped = mapListen(
      aListen({
        track: { name: 'Cre\u0000ep' },
        artists: [{ name: ' ' }, { name: 'Thom Yorke' }, { name: 'thom  yorke' }, { name: 'Jonny Greenwood' }],
        album: { name: 'Pablo\u0007Honey' },
      }),
    )!;
    expect(mapped.track.name).toBe('Cre ep');
    expect(mapped.artists.map((a) => a.name)).toEqual(['Thom Yorke', 'Jonny Greenwood']);
    expect(mapped.album).toEqual({ nameId: 'name:thom yorke\u001fpablo honey', name: 'Pablo Honey' });
  });

  it('is not a play without a title, an artist or a time', () => {
    expect(mapListen(aListen({ track: { name: '  ' } }))).toBeUndefined();
    expect(mapListen(aListen({ artists: [{ name: '\u0000' }] }))).toBeUndefined();
    expect(mapListen(aListen({ listenedAt: Number.NaN }))).toBeUndefined();
  });

  it('keeps a positive length and ignores a zero or negative one', () => {
    expect(mapListen(aListen({ track: { name: 'Creep', durationMs: 238_640.4 } }))!.durationMs).toBe(238_640);
    expect(mapListen(aListen({ track: { name: 'Creep', durationMs: 0 } }))).not.toHaveProperty('durationMs');
    expect(mapListen(aListen({ track: { name: 'Creep', durationMs: -5 } }))).not.toHaveProperty('durationMs');
  });
});

describe('when a listen’s play ended', () => {
  it('ends a length after its start, the length counted as an estimate (a track’s, not the time listened)', () => {
    expect(playTiming(AT, 240_000)).toEqual({ playedAt: AT + 240_000, msPlayed: 240_000, msEstimated: true });
  });

  it('with no length known, counts no minutes and is dated by its start', () => {
    expect(playTiming(AT, undefined)).toEqual({ playedAt: AT, msPlayed: null, msEstimated: false });
  });
});
