import { describe, expect, it } from 'vitest';
import {
  MAX_NAME_LENGTH,
  SPOTIFY_LAUNCH,
  humanWindow,
  nameTrackId,
  readAccountRecord,
  readExtendedRecord,
  type ImportedPlay,
} from '../../../src/core/history/exportRecords.js';

const NOW = Date.UTC(2026, 10, 30, 12);
const window = humanWindow(NOW);
const extended = (fields: Record<string, unknown>) => ({
  ts: '2024-06-01T10:00:00Z',
  ms_played: 200_000,
  master_metadata_track_name: 'Song',
  master_metadata_album_artist_name: 'Band',
  master_metadata_album_album_name: 'Album',
  spotify_track_uri: null,
  ...fields,
});
const play = (outcome: ReturnType<typeof readExtendedRecord>) => (outcome as { play: ImportedPlay }).play;

describe('what a crafted export cannot make the import store', () => {
  it('a play that ended before Spotify opened, in the future or past year 9999 is unusable', () => {
    for (const ts of [
      '0001-01-01T00:00:00Z',
      '2008-10-06T23:59:59Z',
      '2099-01-01T00:00:00Z',
      '+010000-01-01T00:00:00Z',
      new Date(NOW + 61_000).toISOString(),
    ])
      expect(readExtendedRecord(extended({ ts }), window)).toEqual({ kind: 'unusable' });
    expect(readExtendedRecord(extended({ ts: new Date(SPOTIFY_LAUNCH).toISOString() }), window).kind).toBe('music');
    expect(readExtendedRecord(extended({ ts: new Date(NOW).toISOString() }), window).kind).toBe('music');
    for (const endTime of ['9999-12-31 23:59', '1999-01-01 00:00'])
      expect(readAccountRecord({ endTime, artistName: 'A', trackName: 'B', msPlayed: 100_000 }, window)).toEqual({
        kind: 'unusable',
      });
    // Without a clock, only what a date can hold: year 10000 is unusable even then.
    expect(readExtendedRecord(extended({ ts: '+010000-01-01T00:00:00Z' })).kind).toBe('unusable');
  });

  it('names lose their control characters and are cut, even where normalising would expand them', () => {
    const cleaned = play(
      readExtendedRecord(
        extended({ master_metadata_track_name: 'A\u0000B\u0007C\u009f', master_metadata_album_artist_name: '\u0000X' }),
        window,
      ),
    );
    expect(cleaned).toMatchObject({ trackName: 'A B C', artistName: 'X' });
    expect(readExtendedRecord(extended({ master_metadata_track_name: '\u0000\u0001 ' }), window)).toEqual({
      kind: 'unusable',
    });
    // U+FDFA normalises (NFKC) to 18 characters: the id built from it stays short all the same.
    for (const long of ['x'.repeat(10_000), '\uFDFA'.repeat(5_000), '😀'.repeat(5_000)]) {
      const p = play(
        readExtendedRecord(
          extended({ master_metadata_track_name: long, master_metadata_album_artist_name: long }),
          window,
        ),
      );
      expect(p.trackName.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
      expect(p.trackName).not.toMatch(/[\ud800-\udbff]$/);
      expect(p.trackId).toBe(nameTrackId(p.artistName, p.trackName));
      expect(p.trackId.length).toBeLessThanOrEqual(2 * MAX_NAME_LENGTH + 6);
    }
  });
});
