/**
 * Spotify's privacy exports, read one record at a time. Pure: no I/O, no clock.
 *
 * - Extended streaming history (`Streaming_History_Audio_*.json`): `ts` (ISO 8601, when the stream
 *   ended, second precision), `ms_played`, `master_metadata_*`, `spotify_track_uri`, and fields
 *   this module never reads (IP address, user agent, platform, username): they are dropped here,
 *   before anything could store them.
 * - Account data (`StreamingHistory_music_*.json`, older `StreamingHistory*.json`): `endTime`
 *   ("2022-12-05 16:52", UTC, minute precision), `artistName`, `trackName`, `msPlayed`; no URIs.
 *
 * Field sets vary by export date: every field is read defensively and a record that does not
 * make sense is counted as unusable, never guessed at. A file is written by whoever uploads it:
 * times outside the given window are unusable, and names are cleaned (no control characters) and
 * cut to a length every catalogue id built from them can hold.
 */

/** Spotify's own rule: a play counts when it lasted at least 30 seconds. */
export const MIN_PLAY_MS = 30_000;

export type ExportFileKind = 'extended' | 'account';

/** Which format a file inside the export holds, from its name; undefined for every other file. */
export function exportFileKind(path: string): ExportFileKind | undefined {
  const base = path.split(/[\\/]/).at(-1) ?? path;
  if (/^Streaming_History_Audio_.*\.json$/i.test(base)) return 'extended';
  if (/^StreamingHistory(_music)?_?\d+\.json$/i.test(base)) return 'account';
  return undefined;
}

/** One music play as the import stores it. */
export interface ImportedPlay {
  /** When the play ended (Unix ms). */
  playedAt: number;
  /** A Spotify track id, or `name:…` for a track the file names but does not identify. */
  trackId: string;
  trackName: string;
  artistName: string;
  albumName: string | null;
  msPlayed: number;
  format: ExportFileKind;
}

export type RecordOutcome =
  | { kind: 'music'; play: ImportedPlay }
  /** Podcast episodes and audiobooks: counted apart, not as music. */
  | { kind: 'podcast' | 'audiobook' }
  /** Shorter than 30 s: Spotify does not count it either. */
  | { kind: 'short' }
  /** Missing or nonsensical fields (no time, or one outside the window; no name; a negative duration). */
  | { kind: 'unusable' };

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** The longest name stored (track, artist, album): real ones are far shorter. */
export const MAX_NAME_LENGTH = 300;
// C0 and C1 controls (NUL among them, which Postgres text refuses) and lone surrogates.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/**
 * A name as stored: control characters replaced by spaces, at most MAX_NAME_LENGTH characters,
 * also once normalised (catalogue ids are built from the normalised name, and NFKC can expand a
 * character into many), so that no id outgrows what an index can hold.
 */
export function cleanName(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  let out = v.replace(CONTROL, ' ').trim();
  let cut = MAX_NAME_LENGTH;
  while (out.length > MAX_NAME_LENGTH || norm(out).length > MAX_NAME_LENGTH) {
    out = out
      .slice(0, cut)
      .replace(/[\ud800-\udbff]$/, '')
      .trim();
    cut = Math.floor(cut * 0.75);
  }
  return out === '' ? undefined : out;
}

/** When a play may have ended: from when Spotify opened (2008-10-07) to the end of year 9999. */
export interface PlayWindow {
  from: number;
  to: number;
}
/** Spotify opened to the public on 7 October 2008: no stream ended before. */
export const SPOTIFY_LAUNCH = Date.UTC(2008, 9, 7);
/** Without a clock (pure readers): any time a database and an ISO date can hold. */
export const ANY_TIME: PlayWindow = { from: Date.UTC(1970, 0, 1), to: Date.UTC(9999, 11, 31, 23, 59, 59) };
/** What a human can have played by `now` (a minute of tolerance for clocks). */
export const humanWindow = (now: number): PlayWindow => ({ from: SPOTIFY_LAUNCH, to: now + 60_000 });
const within = (at: number, window: PlayWindow) => Number.isFinite(at) && at >= window.from && at <= window.to;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The normalisation every name-based key uses (SQL: catalogue_norm, src/store/migrations/0009). */
export const norm = (s: string) => s.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
/** Catalogue ids for what an export knows only by name (stable across imports and members). */
export const nameArtistId = (artist: string) => `name:${norm(artist)}`;
export const nameTrackId = (artist: string, title: string) => `name:${norm(artist)}\u001f${norm(title)}`;
export const nameAlbumId = (artist: string, album: string) => `name:${norm(artist)}\u001f${norm(album)}`;
/** How an Account data play is matched to a known track: main artist and title, case- and space-insensitive. */
export const matchKey = (artist: string, title: string) => `${norm(artist)}\u001f${norm(title)}`;

const TRACK_URI = /^spotify:track:([A-Za-z0-9]{22})$/;

/** One entry of an Extended streaming history file. */
export function readExtendedRecord(record: unknown, window: PlayWindow = ANY_TIME): RecordOutcome {
  if (!isRecord(record)) return { kind: 'unusable' };
  if (str(record.spotify_episode_uri) || str(record.episode_name)) return { kind: 'podcast' };
  if (str(record.audiobook_uri) || str(record.audiobook_title)) return { kind: 'audiobook' };
  const ts = str(record.ts);
  const playedAt = ts === undefined ? NaN : Date.parse(ts);
  const ms = num(record.ms_played);
  const title = cleanName(record.master_metadata_track_name);
  const artist = cleanName(record.master_metadata_album_artist_name);
  if (!within(playedAt, window) || ms === undefined || ms < 0) return { kind: 'unusable' };
  if (ms < MIN_PLAY_MS) return { kind: 'short' };
  if (!title || !artist) return { kind: 'unusable' };
  const uri = str(record.spotify_track_uri);
  const id = uri ? TRACK_URI.exec(uri)?.[1] : undefined;
  return {
    kind: 'music',
    play: {
      playedAt,
      trackId: id ?? nameTrackId(artist, title),
      trackName: title,
      artistName: artist,
      albumName: cleanName(record.master_metadata_album_album_name) ?? null,
      msPlayed: Math.min(Math.round(ms), 2_147_483_647),
      format: 'extended',
    },
  };
}

const END_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** One entry of an Account data file (`endTime` is UTC). */
export function readAccountRecord(record: unknown, window: PlayWindow = ANY_TIME): RecordOutcome {
  if (!isRecord(record)) return { kind: 'unusable' };
  // Older Account data files mixed podcasts in, with the show as the "artist" and no other marker.
  if (str(record.podcastName) || str(record.episodeName)) return { kind: 'podcast' };
  const m = END_TIME.exec(str(record.endTime) ?? '');
  const ms = num(record.msPlayed);
  const title = cleanName(record.trackName);
  const artist = cleanName(record.artistName);
  if (!m || ms === undefined || ms < 0) return { kind: 'unusable' };
  const playedAt = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, m[6] ? +m[6] : 0);
  if (!within(playedAt, window)) return { kind: 'unusable' };
  if (ms < MIN_PLAY_MS) return { kind: 'short' };
  if (!title || !artist) return { kind: 'unusable' };
  return {
    kind: 'music',
    play: {
      playedAt,
      trackId: nameTrackId(artist, title),
      trackName: title,
      artistName: artist,
      albumName: null,
      msPlayed: Math.min(Math.round(ms), 2_147_483_647),
      format: 'account',
    },
  };
}

/**
 * Where in a text a `JSON.parse` error points, as line and column (1-based), from the position
 * V8 reports ("… at position 1234" or "… (line 3 column 7)"); undefined when it reports none.
 */
export function jsonErrorLocation(text: string, message: string): { line: number; column: number } | undefined {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  let at = pos ? Number(pos[1]) : /end of JSON input|Unexpected end/i.test(message) ? text.length : undefined;
  if (at === undefined) return undefined;
  at = Math.min(at, text.length);
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: at - lineStart + 1 };
}
