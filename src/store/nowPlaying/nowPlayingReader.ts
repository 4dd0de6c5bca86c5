import type pg from 'pg';
import type { PlayCounts, PlayedTrack } from '../../app/nowPlaying/ports.js';
import { mapListen } from '../../core/sources/index.js';
import { isNameId } from '../catalogue/norm.js';
import { resolveListens } from '../catalogue/resolve.js';

const SPOTIFY_ID = /^[A-Za-z0-9]{22}$/;

/**
 * /np's reads of the history: a track named by a source matched to the catalogue as the sync
 * matches listens (read only), the member's all-time totals of it and its main artist, and their
 * newest play. Each is a few index probes of one member's keys.
 */
export function createNowPlayingReader(pool: pg.Pool) {
  return {
    async counts(memberId: string, track: PlayedTrack): Promise<PlayCounts> {
      const mapped = mapListen({
        listenedAt: 0,
        track: {
          name: track.name,
          ...(track.mbid ? { mbid: track.mbid } : {}),
          ...(track.spotifyId ? { spotifyId: track.spotifyId } : {}),
          ...(track.isrc ? { isrc: track.isrc } : {}),
        },
        artists: track.artists.map((a) => ({ name: a.name, ...(a.mbid ? { mbid: a.mbid } : {}) })),
      });
      if (!mapped) return { trackPlays: 0, artistPlays: 0 };
      const [resolved] = await resolveListens(pool, [mapped]);
      const credited = resolved?.credits[0]?.id;
      // A Spotify artist the catalogue never met by name is still known by Spotify's id.
      const spotifyArtist = track.artists[0]?.spotifyId;
      const artistId = credited && (!isNameId(credited) || !spotifyArtist) ? credited : (spotifyArtist ?? credited);
      const { rows } = await pool.query<{ track_plays: number | null; artist_plays: number | null }>(
        `SELECT (SELECT plays FROM member_track_totals WHERE member_id = $1 AND track_id = $2) AS track_plays,
                (SELECT plays FROM member_artist_totals WHERE member_id = $1 AND artist_id = $3) AS artist_plays`,
        [memberId, resolved?.trackId ?? null, artistId ?? null],
      );
      return {
        trackPlays: rows[0]?.track_plays ?? 0,
        artistPlays: rows[0]?.artist_plays ?? 0,
        ...(artistId ? { artistId } : {}),
      };
    },

    async lastPlay(memberId: string): Promise<{ track: PlayedTrack; at: number } | undefined> {
      const { rows } = await pool.query<{
        played_at: Date;
        id: string;
        name: string;
        isrc: string | null;
        duration_ms: number | null;
        album: string | null;
        ids: string[];
        names: string[];
      }>(
        `SELECT p.played_at, t.id, t.name, t.isrc, t.duration_ms, al.name AS album,
                array_agg(a.id ORDER BY ta.position) AS ids, array_agg(a.name ORDER BY ta.position) AS names
         FROM (SELECT played_at, track_id FROM plays WHERE member_id = $1 ORDER BY played_at DESC LIMIT 1) p
         JOIN tracks t ON t.id = p.track_id
         LEFT JOIN albums al ON al.id = t.album_id
         JOIN track_artists ta ON ta.track_id = t.id JOIN artists a ON a.id = ta.artist_id
         GROUP BY p.played_at, t.id, t.name, t.isrc, t.duration_ms, al.name`,
        [memberId],
      );
      const row = rows[0];
      if (!row) return undefined;
      return {
        at: row.played_at.getTime(),
        track: {
          name: row.name,
          artists: row.ids.map((id, i) => ({ name: row.names[i]!, ...(isNameId(id) ? {} : { spotifyId: id }) })),
          ...(row.album ? { album: row.album } : {}),
          ...(isNameId(row.id) ? {} : { spotifyId: row.id }),
          ...(SPOTIFY_ID.test(row.id) ? { url: `https://open.spotify.com/track/${row.id}` } : {}),
          ...(row.isrc ? { isrc: row.isrc } : {}),
          ...(row.duration_ms ? { durationMs: row.duration_ms } : {}),
        },
      };
    },
  };
}
