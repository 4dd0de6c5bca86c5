import type pg from 'pg';
import type { SourcePlaysRepository } from '../../app/sources/ports.js';
import {
  mapListen,
  offsetInSecond,
  playTiming,
  TYPICAL_TRACK_MS,
  type MappedListen,
} from '../../core/sources/index.js';
import { resolveListens } from '../catalogue/resolve.js';
import { lockMember } from '../history/memberLock.js';
import { storePlays, type PlayToStore } from '../history/storePlays.js';
import { inTransaction } from '../pool.js';

/**
 * Listens from ListenBrainz and Last.fm as plays (issue 23): each call is one transaction under the
 * member's lock. Every listen is matched to the catalogue first (src/store/catalogue/resolve.ts),
 * so the genres come for the identity it resolved to (a Last.fm Radiohead play gets the genre cached
 * for the Spotify Radiohead), then storePlays counts it once and adds it to the rollups.
 *
 * Plays are dated by their end: the listen's start plus the track's length, the listen's own or,
 * when it gives none (Last.fm never does), the catalogue's, marked estimated as the collector's
 * are. With no length anywhere a typical song's (TYPICAL_TRACK_MS) stands in, estimated too.
 */
export function createSourcePlays(pool: pg.Pool): SourcePlaysRepository {
  return {
    storeListens: (memberId, source, listens, genreOf) =>
      inTransaction(pool, async (db) => {
        const mapped = listens.map(mapListen).filter((l): l is MappedListen => l !== undefined);
        if (!mapped.length) return { inserted: 0 };
        // The member's lock first, as every writer of their plays takes it (storePlays again, a no-op).
        await lockMember(db, memberId);
        // Only while the link lasts: /unlink deletes it (waiting for this transaction) before the history.
        const { rowCount } = await db.query(
          `SELECT 1 FROM source_links WHERE member_id = $1 AND source = $2 FOR SHARE`,
          [memberId, source],
        );
        if (!rowCount) return { inserted: 0 };
        await db.query(`SET LOCAL jit = off`); // see storePlays
        const resolved = await resolveListens(db, mapped);
        const genres = await genreOf([...new Set(resolved.flatMap((r) => r.credits.map((a) => a.id)))]);
        const plays = resolved.map(({ listen, trackId, credits, catalogueMs, known }): PlayToStore => {
          // A known track keeps its album; a new one gets the listen's, by name.
          // Its release MBID too: the /chart cover grids ask the Cover Art Archive by it.
          const album = !known &&
            listen.album && {
              id: listen.album.nameId,
              name: listen.album.name,
              ...(listen.album.mbid ? { mbid: listen.album.mbid } : {}),
            };
          return {
            ...playTiming(
              Math.floor(listen.startedAt / 1000) * 1000 + offsetInSecond(listen.track.matchKey),
              listen.durationMs ?? catalogueMs ?? TYPICAL_TRACK_MS,
            ),
            track: {
              id: trackId,
              name: listen.track.name,
              ...(listen.durationMs ? { durationMs: listen.durationMs } : {}),
              ...(listen.track.isrc ? { isrc: listen.track.isrc } : {}),
              ...(listen.track.mbid ? { mbid: listen.track.mbid } : {}),
              ...(album ? { album } : {}),
              artists: credits,
            },
            source,
            genre: genres(credits.map((a) => a.id)),
          };
        });
        return { inserted: await storePlays(db, memberId, plays) };
      }),
  };
}
