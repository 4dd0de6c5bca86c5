import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { CatalogueItem, Listener, SocialRepository, WhoKnowsKind } from '../../app/social/ports.js';
import { UNCLASSIFIED, genreLabel } from '../../core/history/index.js';

/** A LIKE pattern matching `text` anywhere, its own % and _ taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const TOTALS: Record<Exclude<WhoKnowsKind, 'genre'>, { table: string; column: string; catalogue: string }> = {
  artist: { table: 'member_artist_totals', column: 'artist_id', catalogue: 'artists' },
  track: { table: 'member_track_totals', column: 'track_id', catalogue: 'tracks' },
};

/**
 * What the visible members of a server played, item by item, over the all-time totals: /whoknows,
 * its autocomplete and its lookups, and a member's taste profile for /compat.
 */
export function createServerCatalogue(
  pool: pg.Pool,
): Pick<SocialRepository, 'whoKnows' | 'findInServer' | 'resolveInServer' | 'tasteProfile'> {
  return {
    async whoKnows(guildId, kind, id, limit): Promise<Listener[]> {
      const { table, column } = kind === 'genre' ? { table: 'member_genre_totals', column: 'genre' } : TOTALS[kind];
      const { rows } = await pool.query<{ member_id: string; plays: number; ms: string; rank: string }>(
        `SELECT t.member_id, t.plays, t.ms, rank() OVER (ORDER BY t.plays DESC) AS rank
         FROM ${table} t JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = t.member_id
         WHERE t.${column} = $2 AND t.plays > 0
         ORDER BY t.plays DESC, t.ms DESC, t.member_id LIMIT $3`,
        [guildId, id, limit],
      );
      return rows.map((r) => ({ memberId: r.member_id, plays: r.plays, ms: Number(r.ms), rank: Number(r.rank) }));
    },

    async findInServer(guildId, kind, query, limit): Promise<CatalogueItem[]> {
      const text = query.trim();
      if (kind === 'genre') {
        const { rows } = await pool.query<{ genre: string }>(
          `SELECT g.genre FROM member_genre_totals g JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = g.member_id
           WHERE g.genre <> $2 GROUP BY g.genre ORDER BY sum(g.plays) DESC, g.genre`,
          [guildId, UNCLASSIFIED],
        );
        const needle = text.toLowerCase();
        return rows
          .map((r) => ({ kind, id: r.genre, name: genreLabel(r.genre) }))
          .filter((g) => g.name.toLowerCase().includes(needle) || g.id.includes(needle))
          .slice(0, limit);
      }
      // Before anything is typed, Discord asks at once: what the server played lately (artists over
      // the last week, tracks over the last two days, up to the latest day a visible member here
      // played: nobody elsewhere moves that window) answers that quickly, where all time would sum
      // every member's every item.
      if (!text) {
        const latest = (
          await pool.query<{ day: string | null }>(
            `SELECT to_char(max(l.day), 'YYYY-MM-DD') AS day FROM guild_visibility v
             CROSS JOIN LATERAL (
               SELECT d.day FROM member_daily d WHERE d.member_id = v.member_id ORDER BY d.day DESC LIMIT 1) l
             WHERE v.guild_id = $1`,
            [guildId],
          )
        ).rows[0]?.day;
        if (!latest) return [];
        if (kind === 'artist') {
          const { rows } = await pool.query<{ id: string; name: string }>(
            `SELECT a.id, a.name FROM member_daily_artists r
             JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = r.member_id
             JOIN artists a ON a.id = r.artist_id
             WHERE r.day > $2::date - 7
             GROUP BY a.id, a.name ORDER BY sum(r.plays) DESC, a.name, a.id LIMIT $3`,
            [guildId, latest, limit],
          );
          return rows.map((r) => ({ kind, id: r.id, name: r.name }));
        }
        const { rows } = await pool.query<{ id: string; name: string; artist: string | null }>(
          `WITH top AS (
             SELECT p.track_id, count(*) AS plays FROM guild_visibility v
             CROSS JOIN LATERAL (
               SELECT p.track_id FROM plays p WHERE p.member_id = v.member_id AND p.played_at >= ($2::date - 1)::timestamp AT TIME ZONE 'UTC') p
             WHERE v.guild_id = $1
             GROUP BY p.track_id ORDER BY plays DESC, p.track_id LIMIT $3)
           SELECT tr.id, tr.name,
             (SELECT a.name FROM track_artists ta JOIN artists a ON a.id = ta.artist_id
              WHERE ta.track_id = top.track_id ORDER BY ta.position LIMIT 1) AS artist
           FROM top JOIN tracks tr ON tr.id = top.track_id ORDER BY top.plays DESC, tr.name, tr.id`,
          [guildId, latest, limit],
        );
        return rows.map((r) => ({ kind, id: r.id, name: r.name, ...(r.artist === null ? {} : { detail: r.artist }) }));
      }
      if (kind === 'artist') {
        const { rows } = await pool.query<{ id: string; name: string }>(
          `SELECT a.id, a.name FROM member_artist_totals t
           JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = t.member_id
           JOIN artists a ON a.id = t.artist_id
           WHERE a.name ILIKE $2 GROUP BY a.id, a.name ORDER BY sum(t.plays) DESC, a.name, a.id LIMIT $3`,
          [guildId, containing(text), limit],
        );
        return rows.map((r) => ({ kind, id: r.id, name: r.name }));
      }
      const { rows } = await pool.query<{ id: string; name: string; artist: string | null }>(
        `WITH top AS (
           SELECT tr.id, tr.name, sum(t.plays) AS plays FROM member_track_totals t
           JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = t.member_id
           JOIN tracks tr ON tr.id = t.track_id
           WHERE tr.name ILIKE $2 GROUP BY tr.id, tr.name ORDER BY plays DESC, tr.name, tr.id LIMIT $3)
         SELECT top.id, top.name,
           (SELECT a.name FROM track_artists ta JOIN artists a ON a.id = ta.artist_id
            WHERE ta.track_id = top.id ORDER BY ta.position LIMIT 1) AS artist
         FROM top ORDER BY top.plays DESC, top.name, top.id`,
        [guildId, containing(text), limit],
      );
      return rows.map((r) => ({ kind, id: r.id, name: r.name, ...(r.artist === null ? {} : { detail: r.artist }) }));
    },

    async resolveInServer(guildId, kind, lookup) {
      if (kind === 'genre') {
        // A server's genres are a handful: matched here, as autocomplete offers them.
        const { rows } = await pool.query<{ genre: string }>(
          `SELECT DISTINCT g.genre FROM member_genre_totals g
           JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = g.member_id
           WHERE g.genre <> $2 AND g.plays > 0`,
          [guildId, UNCLASSIFIED],
        );
        const found = rows.find(({ genre }) =>
          'id' in lookup
            ? genre === lookup.id
            : 'idMd5' in lookup
              ? createHash('md5').update(genre, 'utf8').digest('hex') === lookup.idMd5
              : genre === lookup.name || genreLabel(genre).toLowerCase() === lookup.name.trim().toLowerCase(),
        );
        return found && { kind, id: found.genre, name: genreLabel(found.genre) };
      }
      const { table, column, catalogue } = TOTALS[kind];
      const played = `${table} t JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = t.member_id`;
      const hit =
        'id' in lookup
          ? `SELECT $2::text AS id WHERE EXISTS (SELECT 1 FROM ${played} WHERE t.${column} = $2 AND t.plays > 0)`
          : 'idMd5' in lookup
            ? // Only an id that is not plain printable ASCII within 99 characters has a hashed key
              // (pickKey in src/app/social/social.ts); migration 0008 indexes exactly those ids.
              `SELECT c.id FROM ${catalogue} c
               WHERE (octet_length(c.id) > 99 OR c.id ~ '[^!-~]') AND md5(c.id) = $2
                 AND EXISTS (SELECT 1 FROM ${played} WHERE t.${column} = c.id AND t.plays > 0)
               LIMIT 1`
            : `SELECT c.id FROM ${played} JOIN ${catalogue} c ON c.id = t.${column}
               WHERE lower(c.name) = lower($2) AND t.plays > 0
               GROUP BY c.id ORDER BY sum(t.plays) DESC, c.id LIMIT 1`;
      const key = 'id' in lookup ? lookup.id : 'idMd5' in lookup ? lookup.idMd5 : lookup.name;
      const { rows } = await pool.query<{ id: string; name: string; artist: string | null }>(
        `WITH hit AS (${hit})
         SELECT c.id, c.name, ${
           kind === 'track'
             ? `(SELECT a.name FROM track_artists ta JOIN artists a ON a.id = ta.artist_id
                 WHERE ta.track_id = c.id ORDER BY ta.position LIMIT 1)`
             : 'NULL'
         } AS artist
         FROM hit JOIN ${catalogue} c ON c.id = hit.id`,
        [guildId, key],
      );
      const r = rows[0];
      return r && { kind, id: r.id, name: r.name, ...(r.artist === null ? {} : { detail: r.artist }) };
    },

    async tasteProfile(memberId, limit) {
      const [artists, genres] = await Promise.all([
        pool.query<{ id: string; name: string; plays: number }>(
          `SELECT t.artist_id AS id, a.name, t.plays FROM member_artist_totals t JOIN artists a ON a.id = t.artist_id
           WHERE t.member_id = $1 ORDER BY t.plays DESC, t.ms DESC, t.artist_id LIMIT $2`,
          [memberId, limit],
        ),
        pool.query<{ genre: string; plays: number }>(
          `SELECT genre, plays FROM member_genre_totals WHERE member_id = $1 AND genre <> $2 AND plays > 0
           ORDER BY plays DESC, genre`,
          [memberId, UNCLASSIFIED],
        ),
      ]);
      return { memberId, artists: artists.rows, genres: genres.rows };
    },
  };
}
