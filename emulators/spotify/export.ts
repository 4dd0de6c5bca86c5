import yazl from 'yazl';
import type { EmulatedPlay, Listening } from './listening.js';
import { seededRandom } from './random.js';
import type { ETrack, World } from './seed.js';

/**
 * Spotify's "Extended streaming history" export, as the privacy page delivers it: a zip holding
 * `Spotify Extended Streaming History/Streaming_History_Audio_<years>_<n>.json` files (about
 * 15,000 entries each, oldest first), with the fields real exports carry — including the IP
 * address, user agent and username Encore must never store — plus podcast episodes and plays
 * shorter than 30 s among the music, as in a real account.
 */
export interface ExtendedExportOptions {
  /** Entries per file (Spotify's are about 15,000). */
  perFile?: number;
  /** "old": username, ip_addr_decrypted, user_agent_decrypted; "new" (default): ip_addr and audiobook_* fields. */
  shape?: 'old' | 'new';
  /** One podcast episode entry per this many plays (0: none). Default 40. */
  episodeEvery?: number;
  /** One skipped (< 30 s) entry per this many plays (0: none). Default 15. */
  skipEvery?: number;
  seed?: number;
}

type Entry = Record<string, unknown>;
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The export's entries for these plays (oldest first), with episodes and skips among them. */
export function extendedHistoryEntries(
  world: World,
  plays: readonly EmulatedPlay[],
  options: ExtendedExportOptions = {},
): Entry[] {
  const random = seededRandom(options.seed ?? 7);
  const shape = options.shape ?? 'new';
  const episodes = [...world.episodes.values()];
  const episodeEvery = options.episodeEvery ?? 40;
  const skipEvery = options.skipEvery ?? 15;
  const base = (ts: number, ms: number): Entry =>
    shape === 'old'
      ? {
          ts: isoSeconds(ts),
          username: 'emulated-user',
          platform: 'Android OS 9 API 28 (samsung, SM-G960F)',
          ms_played: ms,
          conn_country: 'DE',
          ip_addr_decrypted: '203.0.113.7',
          user_agent_decrypted: 'unknown',
        }
      : { ts: isoSeconds(ts), platform: 'android', ms_played: ms, conn_country: 'DE', ip_addr: '203.0.113.7' };
  const nothing = (): Entry => ({
    master_metadata_track_name: null,
    master_metadata_album_artist_name: null,
    master_metadata_album_album_name: null,
    spotify_track_uri: null,
    episode_name: null,
    episode_show_name: null,
    spotify_episode_uri: null,
    ...(shape === 'new'
      ? { audiobook_title: null, audiobook_uri: null, audiobook_chapter_uri: null, audiobook_chapter_title: null }
      : {}),
  });
  const flags = (skipped: boolean): Entry => ({
    reason_start: 'trackdone',
    reason_end: skipped ? 'fwdbtn' : 'trackdone',
    shuffle: random.chance(0.3),
    skipped,
    offline: false,
    offline_timestamp: null,
    incognito_mode: false,
  });
  const music = (trackId: string, ts: number, ms: number, skipped: boolean): Entry => {
    const track = world.tracks.get(trackId)!;
    return {
      ...base(ts, ms),
      ...nothing(),
      master_metadata_track_name: track.name,
      master_metadata_album_artist_name: world.artists.get(track.artistIds[0]!)?.name ?? 'Unknown',
      master_metadata_album_album_name: world.albums.get(track.albumId)?.name ?? null,
      spotify_track_uri: `spotify:track:${track.id}`,
      ...flags(skipped),
    };
  };
  const out: Entry[] = [];
  plays.forEach((play, i) => {
    // Extras end a little before the play starts, so they never share its second.
    const before = play.playedAt - play.msPlayed - 2_000;
    if (skipEvery && i % skipEvery === skipEvery - 1)
      out.push(music(world.trackList[i % world.trackList.length]!.id, before, random.int(500, 25_000), true));
    if (episodeEvery && episodes.length && i % episodeEvery === episodeEvery - 1) {
      const episode = episodes[i % episodes.length]!;
      out.push({
        ...base(before - 1_000, random.int(60_000, 1_800_000)),
        ...nothing(),
        episode_name: episode.name,
        episode_show_name: episode.show,
        spotify_episode_uri: `spotify:episode:${episode.id}`,
        ...flags(false),
      });
    }
    out.push(music(play.trackId, play.playedAt, play.msPlayed, false));
  });
  return out.sort((a, b) => (String(a.ts) < String(b.ts) ? -1 : String(a.ts) > String(b.ts) ? 1 : 0));
}

/** The entries as Spotify's zip (one JSON file per `perFile` entries, named by the years they span). */
export function extendedHistoryZip(entries: readonly Entry[], options: { perFile?: number } = {}): Promise<Buffer> {
  const perFile = options.perFile ?? 15_000;
  const zip = new yazl.ZipFile();
  for (let i = 0, n = 0; i < entries.length; i += perFile, n++) {
    const chunk = entries.slice(i, i + perFile);
    const years = `${String(chunk[0]!.ts).slice(0, 4)}-${String(chunk.at(-1)!.ts).slice(0, 4)}`;
    zip.addBuffer(
      Buffer.from(JSON.stringify(chunk, null, 2)),
      `Spotify Extended Streaming History/Streaming_History_Audio_${years}_${n}.json`,
    );
  }
  zip.addBuffer(
    Buffer.from('<html><body>Read me first: what is in your data.</body></html>'),
    'Spotify Extended Streaming History/ReadMeFirst_ExtendedStreamingHistory.pdf',
  );
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * A long listening life, fast: `count` plays from `start`, in sessions of back-to-back tracks, with
 * a taste that clusters as real listening does: most sessions stay with one of a few dozen
 * favourite artists or a set of favourite tracks, some wander (discovery). For imports of 100k+
 * plays, where the hour-by-hour simulation of `listening.ts` would take too long to compute.
 */
export function syntheticPlays(world: World, options: { count: number; start: number; seed?: number }): EmulatedPlay[] {
  const random = seededRandom(options.seed ?? 11);
  const byArtist = new Map<string, ETrack[]>();
  for (const track of world.trackList) {
    const list = byArtist.get(track.artistIds[0]!) ?? [];
    list.push(track);
    byArtist.set(track.artistIds[0]!, list);
  }
  const artists = [...byArtist.values()];
  const favouriteArtists = Array.from({ length: 40 }, () => random.pick(artists));
  const favouriteTracks = Array.from({ length: 300 }, () => random.pick(world.trackList));
  const plays: EmulatedPlay[] = [];
  let at = options.start;
  while (plays.length < options.count) {
    const mode = random.next();
    const pool = mode < 0.5 ? random.pick(favouriteArtists) : mode < 0.8 ? favouriteTracks : world.trackList;
    const session = random.int(3, 25);
    for (let i = 0; i < session && plays.length < options.count; i++) {
      const track = random.pick(pool);
      const msPlayed = random.chance(0.15) ? random.int(30_000, track.durationMs) : track.durationMs;
      at += msPlayed + random.int(0, 5_000);
      plays.push({ trackId: track.id, playedAt: at, msPlayed, contextUri: '' });
    }
    at += random.int(30 * 60_000, 14 * 3_600_000);
  }
  return plays;
}

/** A seeded user's Extended streaming history zip for what they played in (from, to]. */
export function userExtendedHistoryZip(
  world: World,
  listening: Listening,
  userId: string,
  range: { from: number; to: number },
  options: ExtendedExportOptions = {},
): Promise<Buffer> {
  return extendedHistoryZip(
    extendedHistoryEntries(world, listening.playsBetween(userId, range.from, range.to), options),
    options,
  );
}
