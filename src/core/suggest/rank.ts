/**
 * Suggestion ranking (issue 16): candidates from several sources are filtered (nothing the member
 * played or saved, no artist they dismissed), scored by how much the member likes the artist and
 * its genres and how strong the source's own signal is, weighted by the member's 👍 per source,
 * and spread so no artist takes more than two places in one answer.
 */

export type CandidateSource = 'server' | 'newRelease' | 'deepCut' | 'genre';

export type CandidateReason =
  | { source: 'server'; listeners: Array<{ memberId: string; similarity: number }>; plays: number }
  | { source: 'newRelease'; artistName: string; artistRank: number; releaseDate: string }
  | { source: 'deepCut'; artistName: string; artistRank: number; albumName: string }
  | { source: 'genre'; genre: string; genrePlays: number; period?: 'week' | 'month' };

export interface CandidateTrack {
  trackId: string;
  uri: string;
  name: string;
  /** Credits in order, main artist first. */
  artists: Array<{ id: string; name: string }>;
  albumName?: string;
}

export interface Candidate extends CandidateTrack {
  reason: CandidateReason;
  /** The source's own strength for this track, 0–1 (how much similar members play it, how new it is …). */
  signal: number;
}

export interface RankContext {
  /** Tracks the member played (by id) — never suggested. */
  played: ReadonlySet<string>;
  /** "name|main artist name", lower case: the same song under another id (an import's name-only row, a re-release). */
  playedKeys?: ReadonlySet<string>;
  /** Tracks found in the member's library — never suggested. */
  saved: ReadonlySet<string>;
  /** Artists the member dismissed (👎) — never suggested, whatever their position in the credits. */
  dismissedArtists: ReadonlySet<string>;
  /** Artist → 0–1, the member's most played artist 1. */
  artistAffinity: ReadonlyMap<string, number>;
  /** Genre (Spotify's fine names) → 0–1, the member's top genre 1. */
  genreAffinity: ReadonlyMap<string, number>;
  /** Artist → its genres, where known. */
  artistGenres: ReadonlyMap<string, readonly string[]>;
  sourceWeights: Readonly<Record<CandidateSource, number>>;
  maxPerArtist?: number;
}

export interface RankedCandidate extends Candidate {
  score: number;
}

export const MAX_PER_ARTIST = 2;

/** "name|main artist", lower case, without a trailing "(Remastered …)" / "- Remastered" note. */
export function songKey(name: string, mainArtistName: string | undefined): string {
  const bare = name
    .toLowerCase()
    .replace(/\s*[([][^)\]]*(remaster|version|edit|mix)[^)\]]*[)\]]\s*$/, '')
    .replace(/\s+-\s+.*(remaster|version|edit).*$/, '')
    .trim();
  return `${bare}|${(mainArtistName ?? '').toLowerCase().trim()}`;
}

/** Whether the member may be offered this track at all. */
export function isEligible(c: CandidateTrack, ctx: RankContext): boolean {
  if (ctx.played.has(c.trackId) || ctx.saved.has(c.trackId)) return false;
  if (c.artists.some((a) => ctx.dismissedArtists.has(a.id))) return false;
  if (ctx.playedKeys?.has(songKey(c.name, c.artists[0]?.name))) return false;
  return true;
}

/**
 * How well a candidate fits: the source's signal, the member's affinity to its artists (the
 * strongest predictor of what they play next), and to its genres. Weighted by the source's 👍 weight.
 */
export function scoreCandidate(c: Candidate, ctx: RankContext): number {
  const artistAffinity = Math.max(0, ...c.artists.map((a) => ctx.artistAffinity.get(a.id) ?? 0));
  const genres = c.artists.flatMap((a) => ctx.artistGenres.get(a.id) ?? []);
  const genreAffinity = Math.max(0, ...genres.map((g) => ctx.genreAffinity.get(g) ?? 0));
  const base = 0.3 * clamp01(c.signal) + 0.5 * Math.sqrt(artistAffinity) + 0.2 * genreAffinity;
  return base * (ctx.sourceWeights[c.reason.source] ?? 1);
}

/**
 * The answer: eligible candidates, one per song, best first, at most `maxPerArtist` per credited
 * artist; each pick makes the next of the same main artist and of the same source a little less
 * attractive, so an answer mixes artists and reasons when the scores are close.
 */
export function rankSuggestions(candidates: readonly Candidate[], ctx: RankContext, count: number): RankedCandidate[] {
  const best = new Map<string, RankedCandidate>();
  for (const c of candidates) {
    if (!isEligible(c, ctx)) continue;
    const scored = { ...c, score: scoreCandidate(c, ctx) };
    const key = songKey(c.name, c.artists[0]?.name);
    const known = best.get(c.trackId) ?? best.get(key);
    if (known && known.score >= scored.score) continue;
    if (known) {
      best.delete(known.trackId);
      best.delete(songKey(known.name, known.artists[0]?.name));
    }
    best.set(c.trackId, scored);
    best.set(key, scored);
  }
  const pool = [...new Set(best.values())].sort((a, b) => b.score - a.score || (a.trackId < b.trackId ? -1 : 1));
  const maxPerArtist = ctx.maxPerArtist ?? MAX_PER_ARTIST;
  const perArtist = new Map<string, number>();
  const perSource = new Map<CandidateSource, number>();
  const out: RankedCandidate[] = [];
  const taken = new Set<RankedCandidate>();
  while (out.length < count) {
    let pick: RankedCandidate | undefined;
    let pickScore = -Infinity;
    for (const c of pool) {
      if (taken.has(c)) continue;
      if (c.artists.some((a) => (perArtist.get(a.id) ?? 0) >= maxPerArtist)) continue;
      const adjusted =
        c.score * 0.75 ** (perArtist.get(c.artists[0]!.id) ?? 0) * 0.92 ** (perSource.get(c.reason.source) ?? 0);
      if (adjusted > pickScore) {
        pick = c;
        pickScore = adjusted;
      }
    }
    if (!pick) break;
    taken.add(pick);
    out.push(pick);
    for (const a of new Set(pick.artists.map((x) => x.id))) perArtist.set(a, (perArtist.get(a) ?? 0) + 1);
    perSource.set(pick.reason.source, (perSource.get(pick.reason.source) ?? 0) + 1);
  }
  return out;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0));
