/**
 * Track suggestions (issue 16) without Spotify's removed recommendation endpoints: candidates from
 * the server's co-listening, the member's top artists' discographies and new releases, and
 * genre-filtered search; never anything the member played, saved or dismissed.
 */

export type SuggestFrom = 'everything' | 'artists' | 'server' | 'genre';
export type SuggestionSource = 'server' | 'newRelease' | 'deepCut' | 'genre';

export interface SuggestRequest {
  memberId: string;
  /** The server asked in (for the server radar); undefined in DMs. */
  guildId?: string;
  count: number;
  from: SuggestFrom;
  /** Parent-genre key when from = 'genre'. */
  genre?: string;
  now: number;
}

/** Why a track is suggested, as data; src/discord/messages turns it into words. */
export type SuggestionReason =
  | {
      source: 'server';
      /** Up to three opted-in members with taste like the asker's, most similar first. */
      listeners: Array<{ memberId: string; similarity: number }>;
      /** Their plays of the track in the last 30 days. */
      plays: number;
    }
  | { source: 'newRelease'; artistName: string; artistRank: number; releaseDate: string }
  | { source: 'deepCut'; artistName: string; artistRank: number; albumName: string }
  | {
      source: 'genre';
      /** Spotify's genre name, as searched ('uk garage'). */
      genre: string;
      genrePlays: number;
      /** What genrePlays counts: the member's plays of the genre in the last 7 days, or (none then) the last 4 weeks. */
      period?: 'week' | 'month';
    };

export interface Suggestion {
  trackId: string;
  uri: string;
  name: string;
  artists: Array<{ id: string; name: string }>;
  albumName?: string;
  reason: SuggestionReason;
}

export interface SuggestResult {
  suggestions: Suggestion[];
  /** Sources skipped because the daily Spotify budget is short (shown to the member only then). */
  skipped: SuggestionSource[];
  /** Spotify requests this answer cost. */
  requests: number;
}

export interface SuggestionFeedbackRepository {
  /** 👎: this artist is never suggested to the member again. */
  dismissArtist(memberId: string, artistId: string): Promise<void>;
  dismissedArtists(memberId: string): Promise<Set<string>>;
  /** 👍: the source that produced a liked suggestion weighs more for this member. */
  like(memberId: string, source: SuggestionSource): Promise<void>;
  sourceWeights(memberId: string): Promise<Record<SuggestionSource, number>>;
  deleteForUser(memberId: string): Promise<number>;
}

export interface SuggestService {
  suggest(request: SuggestRequest): Promise<SuggestResult>;
  feedback: SuggestionFeedbackRepository;
}
