import { describe, expect, it } from 'vitest';
import {
  exportFileKind,
  jsonErrorLocation,
  readAccountRecord,
  readExtendedRecord,
} from '../../../src/core/history/exportRecords.js';

const extended = (overrides: Record<string, unknown> = {}) => ({
  ts: '2014-03-02T18:21:09Z',
  username: 'someone',
  platform: 'Android OS 4.4.2 API 19 (samsung, GT-I9505)',
  ms_played: 183_442,
  conn_country: 'DE',
  ip_addr_decrypted: '203.0.113.7',
  user_agent_decrypted: 'unknown',
  master_metadata_track_name: 'Song',
  master_metadata_album_artist_name: 'Artist',
  master_metadata_album_album_name: 'Album',
  spotify_track_uri: 'spotify:track:4uLU6hMCjMI75M1A2tKUQC',
  episode_name: null,
  episode_show_name: null,
  spotify_episode_uri: null,
  reason_start: 'trackdone',
  reason_end: 'trackdone',
  shuffle: false,
  skipped: null,
  offline: false,
  offline_timestamp: 0,
  incognito_mode: false,
  ...overrides,
});

describe('reading Spotify’s export files', () => {
  it('knows the history files by name, wherever they sit in the zip', () => {
    expect(exportFileKind('Spotify Extended Streaming History/Streaming_History_Audio_2014-2016_0.json')).toBe(
      'extended',
    );
    expect(exportFileKind('MyData/StreamingHistory_music_0.json')).toBe('account');
    expect(exportFileKind('MyData/StreamingHistory0.json')).toBe('account');
    expect(exportFileKind('Spotify Extended Streaming History/Streaming_History_Video_2019-2024.json')).toBeUndefined();
    expect(exportFileKind('MyData/StreamingHistory_podcast_0.json')).toBeUndefined();
    expect(exportFileKind('MyData/Userdata.json')).toBeUndefined();
  });

  it('keeps what a play is and drops IP address, user agent, username and platform', () => {
    const outcome = readExtendedRecord(extended());
    expect(outcome).toEqual({
      kind: 'music',
      play: {
        playedAt: Date.UTC(2014, 2, 2, 18, 21, 9),
        trackId: '4uLU6hMCjMI75M1A2tKUQC',
        trackName: 'Song',
        artistName: 'Artist',
        albumName: 'Album',
        msPlayed: 183_442,
        format: 'extended',
      },
    });
    expect(JSON.stringify(outcome)).not.toMatch(/203\.0\.113\.7|someone|Android|unknown/);
    // Newer exports: ip_addr and audiobook fields, all null for music.
    const newer = extended({ ip_addr: '203.0.113.7', audiobook_uri: null, audiobook_title: null });
    delete (newer as Record<string, unknown>).ip_addr_decrypted;
    expect(readExtendedRecord(newer).kind).toBe('music');
  });

  it('counts podcasts and audiobooks apart, drops plays under 30 s and what makes no sense', () => {
    expect(readExtendedRecord(extended({ spotify_track_uri: null, spotify_episode_uri: 'spotify:episode:x' }))).toEqual(
      {
        kind: 'podcast',
      },
    );
    expect(readExtendedRecord(extended({ spotify_track_uri: null, audiobook_uri: 'spotify:show:x' }))).toEqual({
      kind: 'audiobook',
    });
    expect(readExtendedRecord(extended({ ms_played: 29_999 }))).toEqual({ kind: 'short' });
    expect(readExtendedRecord(extended({ ms_played: 30_000 })).kind).toBe('music');
    for (const bad of [
      null,
      7,
      [],
      extended({ ts: 'yesterday' }),
      extended({ ms_played: '200' }),
      extended({ master_metadata_track_name: null }),
    ])
      expect(readExtendedRecord(bad)).toEqual({ kind: 'unusable' });
    // A local file: names but no URI, kept by name.
    expect(readExtendedRecord(extended({ spotify_track_uri: null }))).toMatchObject({
      play: { trackId: 'name:artist\u001fsong' },
    });
  });

  it('reads Account data: endTime in UTC to the minute, names only', () => {
    expect(
      readAccountRecord({
        endTime: '2022-12-05 16:52',
        artistName: ' The  Artist',
        trackName: 'Song',
        msPlayed: 200_000,
      }),
    ).toEqual({
      kind: 'music',
      play: {
        playedAt: Date.UTC(2022, 11, 5, 16, 52),
        trackId: 'name:the artist\u001fsong',
        trackName: 'Song',
        artistName: 'The  Artist',
        albumName: null,
        msPlayed: 200_000,
        format: 'account',
      },
    });
    expect(
      readAccountRecord({ endTime: '2022-12-05 16:52', artistName: 'A', trackName: 'B', msPlayed: 1_000 }),
    ).toEqual({
      kind: 'short',
    });
    expect(readAccountRecord({ endTime: '05/12/2022', artistName: 'A', trackName: 'B', msPlayed: 100_000 })).toEqual({
      kind: 'unusable',
    });
  });

  it('says where JSON.parse stopped, as line and column', () => {
    const text = '[\n  {"a": 1},\n  {"b" 2}\n]';
    let message = '';
    try {
      JSON.parse(text);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(jsonErrorLocation(text, message)).toEqual({ line: 3, column: 8 });
    expect(jsonErrorLocation('[1,', 'Unexpected end of JSON input')).toEqual({ line: 1, column: 4 });
  });
});
