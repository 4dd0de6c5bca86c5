import type { CandidateTrack } from '../../core/suggest/index.js';
import type { TasteInput } from '../../core/taste/compat.js';
import type { SuggestionFeedbackRepository } from './ports.js';

/** A UTC calendar day, 'YYYY-MM-DD'. */
export type Day = string;

/**
 * What the suggestion engine reads from the listening history (src/store/suggest). Every query
 * takes the instant or day it must not look past, so an evaluation can ask "as of" a cut.
 */
export interface SuggestHistory {
  /** The member's artists in [fromDay, toDay], most played first. */
  topArtists(
    memberId: string,
    fromDay: Day,
    toDay: Day,
    limit: number,
  ): Promise<Array<{ id: string; name: string; plays: number }>>;
  /**
   * Of `candidates`, the members who played any of `artistIds` in [fromDay, toDay], most such plays
   * first, at most `limit`: a big server's "members like you" are looked for among them only.
   */
  peersSharingArtists(
    candidates: readonly string[],
    artistIds: readonly string[],
    fromDay: Day,
    toDay: Day,
    limit: number,
  ): Promise<string[]>;
  /** Several members' tastes (artists and parent genres, 'unclassified' left out) over [fromDay, toDay]. */
  tastes(memberIds: readonly string[], fromDay: Day, toDay: Day, limit: number): Promise<Map<string, TasteInput>>;
  /**
   * Tracks `peers` played in [from, to) that `memberId` never played before `to`, most played by
   * them first, with each peer's plays.
   */
  serverRadar(
    memberId: string,
    peers: readonly string[],
    from: number,
    to: number,
    limit: number,
  ): Promise<Array<{ track: CandidateTrack; listeners: Array<{ memberId: string; plays: number }> }>>;
  /**
   * Which of these tracks the member played before `before`: by id, and by song ("name|main
   * artist", lower case) for plays an import knows only by name.
   */
  played(
    memberId: string,
    tracks: ReadonlyArray<{ id: string; name: string; mainArtist: string }>,
    before: number,
  ): Promise<{ ids: Set<string>; songs: Set<string> }>;
  /** How often the member played tracks of these albums before `before` (albums never played are absent). */
  albumPlays(memberId: string, albumIds: readonly string[], before: number): Promise<Map<string, number>>;
}

export interface SuggestAlbum {
  id: string;
  name: string;
  releaseDate: string;
  artists: Array<{ id: string; name: string }>;
}

/**
 * One member's Spotify as the engine needs it, behind the gateway (pacing, budget, breaker) and a
 * shared response cache: an artist's albums, an album's tracks and a search change slowly, so a
 * warm /suggest costs almost nothing. `cached` tells, at no cost, whether a call would be free.
 */
export interface SuggestSpotify {
  /** /me/top/artists (short term): only when the history is too thin to know the member's artists. */
  topArtists(): Promise<Array<{ id: string; name: string; genres: string[] }>>;
  /** The artist's newest albums and singles, newest first (one page of ≤ 10). */
  latestAlbums(artistId: string): Promise<SuggestAlbum[]>;
  albumTracks(album: { id: string; name: string }): Promise<CandidateTrack[]>;
  /** Search `genre:"…"` for tracks (≤ 10 in development mode). */
  searchGenre(genre: string): Promise<CandidateTrack[]>;
  /** Search `tag:new artist:"…"` for albums released in the past two weeks. */
  newAlbumsOf(artistName: string): Promise<SuggestAlbum[]>;
  /** Which of these tracks are in the member's library (≤ 40 a request; answers are kept a day). */
  savedAmong(trackIds: readonly string[]): Promise<Set<string>>;
  /** Genres the shared cache knows for these artists, at no request cost. */
  knownGenres(artistIds: readonly string[]): Promise<Map<string, string[]>>;
  /** Whether a call would be answered from the cache. */
  cached(call: 'latestAlbums' | 'albumTracks' | 'searchGenre' | 'newAlbumsOf', key: string): Promise<boolean>;
  /** How many of these tracks' library answers are not cached (what a check would cost: ⌈n / 40⌉ requests). */
  unknownSaved(trackIds: readonly string[]): Promise<number>;
  /** Requests this client has sent to Spotify so far. */
  requests(): number;
  /** Requests left in today's budget for interactive work. */
  remainingBudget(): Promise<number>;
}

export interface SuggestDeps {
  history: SuggestHistory;
  feedback: SuggestionFeedbackRepository;
  /** Members who opted in for this server (the only ones whose plays may be used or named). */
  visibleMembers(guildId: string): Promise<string[]>;
  spotifyFor(memberId: string): Promise<SuggestSpotify>;
}
