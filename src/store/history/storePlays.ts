import type pg from 'pg';
import type { NewPlay } from '../../app/history/ports.js';
import { rollupDelta } from '../../core/history/index.js';
import { addToSocialTotals } from '../social/socialTotalsWriter.js';
import { lockMember } from './memberLock.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

const byKey = <T>(rows: Iterable<[string, T]>) =>
  [...new Map(rows).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Tracks, albums and artists the plays refer to. Rows are written in key order (and never updated)
 * so that two transactions sharing catalogue rows cannot deadlock.
 */
async function upsertCatalogue(db: Queryable, plays: readonly NewPlay[]): Promise<void> {
  const artists = byKey(
    plays.flatMap((p) => p.track.artists.map((a) => [a.id, a] as [string, { id: string; name: string }])),
  );
  const albums = byKey(
    plays.flatMap((p) =>
      p.track.album ? [[p.track.album.id, p.track.album] as [string, NonNullable<NewPlay['track']['album']>]] : [],
    ),
  );
  const tracks = byKey(plays.map((p) => [p.track.id, p.track] as [string, NewPlay['track']]));
  if (artists.length)
    await db.query(
      `INSERT INTO artists (id, name) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (id) DO NOTHING`,
      [artists.map((a) => a.id), artists.map((a) => a.name)],
    );
  if (albums.length)
    await db.query(
      `INSERT INTO albums (id, name, release_date) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (id) DO NOTHING`,
      [albums.map((a) => a.id), albums.map((a) => a.name), albums.map((a) => a.releaseDate ?? null)],
    );
  await db.query(
    `INSERT INTO tracks (id, name, album_id, duration_ms, isrc) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[]) ON CONFLICT (id) DO NOTHING`,
    [
      tracks.map((t) => t.id),
      tracks.map((t) => t.name),
      tracks.map((t) => t.album?.id ?? null),
      tracks.map((t) => t.durationMs ?? null),
      tracks.map((t) => t.isrc ?? null),
    ],
  );
  const credits = tracks.flatMap((t) => t.artists.map((a, position) => ({ trackId: t.id, position, artistId: a.id })));
  if (credits.length)
    await db.query(
      `INSERT INTO track_artists (track_id, position, artist_id) SELECT * FROM unnest($1::text[], $2::smallint[], $3::text[]) ON CONFLICT DO NOTHING`,
      [credits.map((c) => c.trackId), credits.map((c) => c.position), credits.map((c) => c.artistId)],
    );
}

/**
 * Inserts the plays that are new and adds exactly those to the member's rollups, inside the
 * caller's transaction: a play already stored (an overlapping poll, a retry, the other instance)
 * is neither inserted nor counted again.
 */
export async function storePlays(db: Queryable, memberId: string, plays: readonly NewPlay[]): Promise<number> {
  const unique = [...new Map(plays.map((p) => [p.playedAt, p])).values()].sort((a, b) => a.playedAt - b.playedAt);
  if (!unique.length) return 0;
  await lockMember(db, memberId);
  await upsertCatalogue(db, unique);
  const inserted = await db.query<{ played_at: Date }>(
    `INSERT INTO plays (member_id, played_at, track_id, ms_played, ms_estimated, source, context_uri)
     SELECT $1, * FROM unnest($2::timestamptz[], $3::text[], $4::int[], $5::bool[], $6::text[], $7::text[])
     ON CONFLICT (member_id, played_at) DO NOTHING
     RETURNING played_at`,
    [
      memberId,
      unique.map((p) => iso(p.playedAt)),
      unique.map((p) => p.track.id),
      unique.map((p) => p.msPlayed),
      unique.map((p) => p.msEstimated),
      unique.map((p) => p.source),
      unique.map((p) => p.contextUri ?? null),
    ],
  );
  const fresh = new Set(inserted.rows.map((r) => r.played_at.getTime()));
  const delta = rollupDelta(
    unique
      .filter((p) => fresh.has(p.playedAt))
      .map((p) => ({
        playedAt: p.playedAt,
        ms: p.msPlayed ?? 0,
        artistIds: p.track.artists.map((a) => a.id),
        genre: p.genre,
      })),
  );
  if (delta.daily.length)
    await db.query(
      `INSERT INTO member_daily (member_id, day, plays, ms) SELECT $1, * FROM unnest($2::date[], $3::int[], $4::bigint[])
       ON CONFLICT (member_id, day) DO UPDATE SET plays = member_daily.plays + EXCLUDED.plays, ms = member_daily.ms + EXCLUDED.ms`,
      [memberId, delta.daily.map((r) => r.day), delta.daily.map((r) => r.plays), delta.daily.map((r) => r.ms)],
    );
  if (delta.artists.length)
    await db.query(
      `INSERT INTO member_daily_artists (member_id, day, artist_id, plays, ms) SELECT $1, * FROM unnest($2::date[], $3::text[], $4::int[], $5::bigint[])
       ON CONFLICT (member_id, day, artist_id) DO UPDATE SET plays = member_daily_artists.plays + EXCLUDED.plays, ms = member_daily_artists.ms + EXCLUDED.ms`,
      [
        memberId,
        delta.artists.map((r) => r.day),
        delta.artists.map((r) => r.artistId),
        delta.artists.map((r) => r.plays),
        delta.artists.map((r) => r.ms),
      ],
    );
  if (delta.genres.length)
    await db.query(
      `INSERT INTO member_daily_genres (member_id, day, genre, plays, ms) SELECT $1, * FROM unnest($2::date[], $3::text[], $4::int[], $5::bigint[])
       ON CONFLICT (member_id, day, genre) DO UPDATE SET plays = member_daily_genres.plays + EXCLUDED.plays, ms = member_daily_genres.ms + EXCLUDED.ms`,
      [
        memberId,
        delta.genres.map((r) => r.day),
        delta.genres.map((r) => r.genre),
        delta.genres.map((r) => r.plays),
        delta.genres.map((r) => r.ms),
      ],
    );
  // The social totals count exactly the same fresh plays, in this transaction, under the same lock.
  await addToSocialTotals(
    db,
    memberId,
    unique.filter((p) => fresh.has(p.playedAt)),
    delta,
  );
  return fresh.size;
}
