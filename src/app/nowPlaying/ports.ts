/**
 * /np (issue 25): what a member is playing now, or played last, from whichever source they
 * connected (Spotify, ListenBrainz, Last.fm), with their own counts from the history and how many
 * of the server's opted-in members listen to the artist.
 */

export type NowPlayingSource = 'spotify' | 'listenbrainz' | 'lastfm';

/** A track as a source names it: enough to show it and to find it in Encore's catalogue. */
export interface PlayedTrack {
  name: string;
  /** Credits in order, main artist first (at least one). */
  artists: ReadonlyArray<{ name: string; mbid?: string; spotifyId?: string }>;
  album?: string;
  /** A cover image the source offers. */
  imageUrl?: string;
  /** Where the track can be opened (Spotify, Last.fm). */
  url?: string;
  spotifyId?: string;
  mbid?: string;
  isrc?: string;
  durationMs?: number;
}

/** One source's answer: a track playing now, the last one played, nothing, or a consent it lacks. */
export type SourceReading =
  | { kind: 'playing'; track: PlayedTrack; at: number }
  | { kind: 'last'; track: PlayedTrack; at: number }
  | { kind: 'nothing' }
  /** Spotify linked before Encore asked for the currently-playing scope: a new consent fixes it. */
  | { kind: 'needs-consent' };

/** What the member has played of a track and its main artist, all time, from the history totals. */
export interface PlayCounts {
  trackPlays: number;
  artistPlays: number;
  /** The catalogue's id of the main artist, when the catalogue knows it. */
  artistId?: string;
}

export interface NowPlayingDeps {
  /** The sources the member connected, Spotify first. */
  sourcesOf(memberId: string): Promise<NowPlayingSource[]>;
  /** What a source says the member plays now, else their last listen there. */
  read(memberId: string, source: NowPlayingSource): Promise<SourceReading>;
  /** The newest play in Encore's history, whatever its source. */
  lastFromHistory(memberId: string): Promise<{ track: PlayedTrack; at: number } | undefined>;
  counts(memberId: string, track: PlayedTrack): Promise<PlayCounts>;
  /** Opted-in members of the server who played the artist, most plays first (what /whoknows reads). */
  listenersOf?(guildId: string, artistId: string): Promise<ReadonlyArray<{ memberId: string; rank: number }>>;
  /** A one-time link through Spotify's consent again, with the scopes Encore asks for now. */
  consentUrl(memberId: string, guildId?: string): Promise<{ url: string; expiresAt: number }>;
}

/** What the Services name `nowPlaying`. */
export type NowPlayingService = NowPlayingDeps;
