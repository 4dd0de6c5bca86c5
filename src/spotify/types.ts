import type Keyv from 'keyv';
import type { TokenSet } from '../core/tokens.js';

export type { TokenSet } from '../core/tokens.js';

/** Where a member's tokens live; the linking feature stores them encrypted. */
export interface UserTokens {
  load(): Promise<TokenSet>;
  save(next: TokenSet): Promise<void>;
  /** Spotify answered invalid_grant: the refresh token is dead and the member must link again. */
  onRelinkNeeded?(): Promise<void>;
}

/**
 * Where the Spotify adapter keeps what it shares between processes (the quota breaker, the daily
 * budget, the artist-genre and catalogue caches): keyv namespaces by name. The store provides
 * them; src/spotify is handed them and never imports src/store.
 */
export interface KeyvNamespaces {
  namespace<T>(name: string): Keyv<T>;
}

/** Who a request is for: interactive commands first, background collection and warming last. */
export type Priority = 'interactive' | 'background' | 'warming';

export interface SpotifyImage {
  url: string;
  width?: number | null;
  height?: number | null;
}
export interface SimpleArtist {
  id: string | null;
  name: string;
}
export interface Artist {
  id: string;
  name: string;
  genres: string[];
}
export interface Track {
  id: string | null;
  uri: string;
  name: string;
  duration_ms: number;
  is_local?: boolean;
  artists: SimpleArtist[];
  album?: { id: string | null; name: string; release_date?: string | null; images?: SpotifyImage[] };
  external_ids?: { isrc?: string };
  external_urls?: { spotify?: string };
  type: 'track';
}
export interface Episode {
  id: string;
  uri: string;
  name: string;
  duration_ms: number;
  type: 'episode';
}
export interface SpotifyUser {
  id: string;
  display_name: string | null;
  /** PLATFORM.md: link on account_id where Spotify sends it; fall back to id. */
  account_id?: string;
}
export interface SimplePlaylist {
  id: string;
  name: string;
  description: string | null;
  collaborative: boolean;
  public: boolean | null;
  snapshot_id: string;
  owner: { id: string; display_name?: string | null };
  /** Spotify embeds the first page of items (when the member may read them). */
  items?: { total: number; items?: unknown[]; next?: string | null };
  tracks?: { total: number; items?: unknown[]; next?: string | null };
}
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
  next: string | null;
}

/** A playlist entry read from both `item` (2026) and `track` (before), normalised. */
export interface PlaylistEntry {
  uri: string;
  type: 'track' | 'episode';
  isLocal: boolean;
  addedAt?: string;
  name: string;
  durationMs: number;
  artists: SimpleArtist[];
  releaseDate?: string;
  isrc?: string;
}

export type TimeRange = 'short_term' | 'medium_term' | 'long_term';

/** GET /me/player/currently-playing's 200 answer (204, nothing playing, has no body). */
export interface CurrentlyPlaying {
  timestamp: number;
  progress_ms: number | null;
  is_playing: boolean;
  currently_playing_type: 'track' | 'episode' | 'ad' | 'unknown';
  /** null for an ad, or an episode when additional_types does not ask for episodes. */
  item: Track | Episode | null;
  context: { type: string; uri: string } | null;
}
