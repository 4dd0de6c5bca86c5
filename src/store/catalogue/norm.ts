/**
 * Name keys in SQL. The normalisation itself is the catalogue_norm function (migration 0009), the
 * SQL twin of `norm` in src/core/history/exportRecords.ts; every query that compares names by key
 * goes through it, so generated keys, indexes and ad-hoc comparisons always agree.
 */
export const sqlNorm = (expr: string) => `catalogue_norm(${expr})`;

/** A track's match key (main artist and title, normalised), as tracks.match_key holds it. */
export const sqlMatchKey = (artist: string, title: string) => `${sqlNorm(artist)} || chr(31) || ${sqlNorm(title)}`;

/** Synthetic ids for what is known only by name (nameArtistId, nameTrackId): never Spotify's. */
export const isNameId = (id: string) => id.startsWith('name:');
