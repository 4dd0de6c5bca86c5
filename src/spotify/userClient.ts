import { createHash } from 'node:crypto';
import { RelinkNeededError } from '../core/errors.js';
import type { ArtistGenreCache } from './genreCache.js';
import { AccessTokenRejected } from './errors.js';
import type { GatewayMetrics } from './metrics.js';
import type { OAuthClient } from './oauth.js';
import { toPlaylistEntry, type RawItem } from './playlistEntry.js';
import { send, type ApiRequest, type TransportDeps } from './transport.js';
import type {
  Artist,
  CurrentlyPlaying,
  Page,
  PlaylistEntry,
  Priority,
  SimplePlaylist,
  SpotifyUser,
  TimeRange,
  TokenSet,
  Track,
  UserTokens,
} from './types.js';

export { toPlaylistEntry } from './playlistEntry.js';

/** Refresh this long before expiry so a request never leaves with a token about to die. */
const REFRESH_AHEAD_MS = 60_000;

export interface ClientShared {
  transport: TransportDeps;
  oauth: OAuthClient;
  genres: ArtistGenreCache;
  metrics: GatewayMetrics;
  /** In-flight identical GETs, shared by all clients of the process. */
  inFlightGets: Map<string, Promise<unknown>>;
  /** One refresh per refresh token, however many requests need it at once. */
  refreshes: Map<string, Promise<TokenSet>>;
}

/**
 * The pacer's key for a member when the caller named none: a digest of the Spotify link's refresh
 * token, which stays the same across access-token refreshes and every client made for that link
 * (the token itself never becomes a map key or a log field).
 */
export function memberKeyOf(refreshToken: string): string {
  return createHash('sha256').update(refreshToken).digest('base64url').slice(0, 22);
}

/** One member's view of Spotify: every call paced, budgeted and authenticated through the gateway. */
export class SpotifyUserClient {
  private lastKey?: { refreshToken: string; member: string };

  constructor(
    private readonly shared: ClientShared,
    private readonly tokens: UserTokens,
    readonly priority: Priority,
    /** Whose queue this client's requests wait in at the pacer; by default, the Spotify link's. */
    private readonly member?: string,
  ) {}

  private memberFor(tokens: TokenSet): string {
    if (this.member !== undefined) return this.member;
    if (this.lastKey?.refreshToken !== tokens.refreshToken)
      this.lastKey = { refreshToken: tokens.refreshToken, member: memberKeyOf(tokens.refreshToken) };
    return this.lastKey.member;
  }

  /** The tokens as last loaded or refreshed by this client, and a load under way. */
  private known?: TokenSet;
  private loading?: Promise<TokenSet>;

  private async freshTokens(force = false): Promise<TokenSet> {
    // One load per client, shared by every call: a sort's thousands of artist lookups must not
    // each take a database connection before they even queue at the pacer. A 401 (force) reloads.
    if (force) this.known = undefined;
    const current =
      this.known ?? (await (this.loading ??= this.tokens.load().finally(() => (this.loading = undefined))));
    this.known = current;
    if (!force && current.expiresAt - REFRESH_AHEAD_MS > this.shared.transport.now()) return current;
    let pending = this.shared.refreshes.get(current.refreshToken);
    if (!pending) {
      this.shared.metrics.refreshes++;
      pending = this.shared.oauth.refresh(current).then(
        async (next) => {
          await this.tokens.save(next);
          return next;
        },
        async (error: unknown) => {
          if (error instanceof RelinkNeededError) await this.tokens.onRelinkNeeded?.().catch(() => {});
          throw error;
        },
      );
      this.shared.refreshes.set(current.refreshToken, pending);
      void pending.catch(() => {}).finally(() => this.shared.refreshes.delete(current.refreshToken));
    }
    this.known = await pending;
    return this.known;
  }

  private async call<T>(method: ApiRequest['method'], path: string, body?: unknown): Promise<T> {
    const attempt = async (force: boolean) => {
      const tokens = await this.freshTokens(force);
      const { accessToken } = tokens;
      const request: ApiRequest = {
        method,
        path,
        body,
        accessToken,
        priority: this.priority,
        member: this.memberFor(tokens),
      };
      if (method !== 'GET') return send<T>(this.shared.transport, request);
      const key = `${accessToken} ${path}`;
      const existing = this.shared.inFlightGets.get(key);
      if (existing) {
        this.shared.metrics.coalesced++;
        return existing as Promise<T>;
      }
      const pending = send<T>(this.shared.transport, request);
      this.shared.inFlightGets.set(key, pending);
      void pending.catch(() => {}).finally(() => this.shared.inFlightGets.delete(key));
      return pending;
    };
    try {
      return await attempt(false);
    } catch (error) {
      if (!(error instanceof AccessTokenRejected)) throw error;
      return attempt(true); // once: a second 401 after a fresh token is not a token problem
    }
  }

  /**
   * Every page of an offset-paged list. The first page tells the total; the rest are fetched
   * concurrently (the process-wide pacer bounds how many at once) and kept in order.
   */
  private async allPages<T>(
    path: string,
    pageSize: number,
    onProgress?: (read: number, total: number) => void,
    known?: { items: T[]; total: number; next: string | null },
  ): Promise<T[]> {
    const sep = path.includes('?') ? '&' : '?';
    const pageAt = (offset: number) => this.call<Page<T>>('GET', `${path}${sep}limit=${pageSize}&offset=${offset}`);
    const first = known ?? (await pageAt(0));
    let read = first.items.length;
    onProgress?.(read, first.total);
    if (!first.next || first.items.length === 0) return first.items;
    const offsets: number[] = [];
    for (let offset = first.items.length; offset < first.total; offset += pageSize) offsets.push(offset);
    const rest = await Promise.all(
      offsets.map(async (offset) => {
        const page = await pageAt(offset);
        read += page.items.length;
        onProgress?.(read, first.total);
        return page.items;
      }),
    );
    return [first.items, ...rest].flat();
  }

  me(): Promise<SpotifyUser> {
    return this.call('GET', '/me');
  }
  myPlaylists(onProgress?: (read: number, total: number) => void): Promise<SimplePlaylist[]> {
    return this.allPages('/me/playlists', 50, onProgress);
  }
  playlist(id: string): Promise<SimplePlaylist> {
    return this.call('GET', `/playlists/${encodeURIComponent(id)}`);
  }
  /**
   * Every item of a playlist. Pass the playlist object already fetched to reuse the first page
   * Spotify embeds in it, which saves one request per read.
   */
  async playlistItems(
    id: string,
    onProgress?: (read: number, total: number) => void,
    fetched?: SimplePlaylist,
  ): Promise<PlaylistEntry[]> {
    const embedded = fetched?.items ?? fetched?.tracks;
    const known = embedded?.items?.length
      ? { items: embedded.items as RawItem[], total: embedded.total, next: embedded.next ?? null }
      : undefined;
    const raw = await this.allPages<RawItem>(`/playlists/${encodeURIComponent(id)}/items`, 50, onProgress, known);
    return raw.map(toPlaylistEntry).filter((e): e is PlaylistEntry => e !== undefined);
  }
  async createPlaylist(name: string, description: string): Promise<SimplePlaylist> {
    // POST /me/playlists defaults to public; Encore's playlists are private unless asked.
    return this.call('POST', '/me/playlists', { name, description, public: false });
  }
  async addItems(playlistId: string, uris: readonly string[], position?: number): Promise<string> {
    if (uris.length > 100) throw new RangeError('at most 100 items per add');
    const r = await this.call<{ snapshot_id: string }>('POST', `/playlists/${encodeURIComponent(playlistId)}/items`, {
      uris,
      ...(position === undefined ? {} : { position }),
    });
    return r.snapshot_id;
  }
  async replaceItems(playlistId: string, uris: readonly string[]): Promise<string> {
    if (uris.length > 100) throw new RangeError('at most 100 items per replace');
    return (
      await this.call<{ snapshot_id: string }>('PUT', `/playlists/${encodeURIComponent(playlistId)}/items`, { uris })
    ).snapshot_id;
  }
  async reorderItems(
    playlistId: string,
    op: { rangeStart: number; insertBefore: number; rangeLength: number; snapshotId?: string },
  ): Promise<string> {
    const body = {
      range_start: op.rangeStart,
      insert_before: op.insertBefore,
      range_length: op.rangeLength,
      ...(op.snapshotId ? { snapshot_id: op.snapshotId } : {}),
    };
    return (await this.call<{ snapshot_id: string }>('PUT', `/playlists/${encodeURIComponent(playlistId)}/items`, body))
      .snapshot_id;
  }
  async removeItems(playlistId: string, uris: readonly string[], snapshotId?: string): Promise<string> {
    const body = { items: uris.map((uri) => ({ uri })), ...(snapshotId ? { snapshot_id: snapshotId } : {}) };
    return (
      await this.call<{ snapshot_id: string }>('DELETE', `/playlists/${encodeURIComponent(playlistId)}/items`, body)
    ).snapshot_id;
  }
  async topArtists(range: TimeRange, limit = 50): Promise<Artist[]> {
    const page = await this.call<Page<Artist>>(
      'GET',
      `/me/top/artists?time_range=${range}&limit=${Math.min(50, limit)}`,
    );
    await this.shared.genres.remember(page.items);
    return page.items;
  }
  async topTracks(range: TimeRange, limit = 50): Promise<Track[]> {
    return (await this.call<Page<Track>>('GET', `/me/top/tracks?time_range=${range}&limit=${Math.min(50, limit)}`))
      .items;
  }
  async followedArtists(): Promise<Artist[]> {
    const out: Artist[] = [];
    let after: string | null = null;
    do {
      const r: { artists: { items: Artist[]; cursors: { after: string | null } | null } } = await this.call(
        'GET',
        `/me/following?type=artist&limit=50${after ? `&after=${after}` : ''}`,
      );
      out.push(...r.artists.items);
      await this.shared.genres.remember(r.artists.items);
      after = r.artists.cursors?.after ?? null;
    } while (after);
    return out;
  }
  savedTracks(onProgress?: (read: number, total: number) => void): Promise<Array<{ added_at: string; track: Track }>> {
    return this.allPages('/me/tracks', 50, onProgress);
  }
  recentlyPlayed(
    cursor: { after?: number; before?: number } = {},
  ): Promise<{ items: Array<{ track: Track; played_at: string }> }> {
    const q =
      cursor.after !== undefined
        ? `&after=${cursor.after}`
        : cursor.before !== undefined
          ? `&before=${cursor.before}`
          : '';
    return this.call('GET', `/me/player/recently-played?limit=50${q}`);
  }
  /** What the member is playing now; undefined when nothing is (Spotify's 204). */
  async currentlyPlaying(): Promise<CurrentlyPlaying | undefined> {
    return (await this.call<CurrentlyPlaying | undefined>('GET', '/me/player/currently-playing')) ?? undefined;
  }
  async artist(id: string): Promise<Artist> {
    const a = await this.call<Artist>('GET', `/artists/${encodeURIComponent(id)}`);
    await this.shared.genres.remember([a]);
    return a;
  }
  artistAlbums(id: string): Promise<Array<{ id: string; name: string; release_date: string }>> {
    // Development mode caps a page of an artist's albums at 10.
    return this.allPages(`/artists/${encodeURIComponent(id)}/albums`, 10);
  }
  /** One page of an artist's albums and singles, newest first: what a suggestion needs, for one request. */
  async latestAlbums(id: string, limit = 10): Promise<Array<{ id: string; name: string; release_date: string }>> {
    const page = await this.call<Page<{ id: string; name: string; release_date: string }>>(
      'GET',
      `/artists/${encodeURIComponent(id)}/albums?include_groups=album,single&limit=${Math.min(10, limit)}`,
    );
    return page.items;
  }
  /** Whether each URI is in the member's library (saved tracks, followed artists …); at most 40 per request. */
  async libraryContains(uris: readonly string[]): Promise<boolean[]> {
    if (uris.length > 40) throw new RangeError('at most 40 URIs per library check');
    if (!uris.length) return [];
    return this.call('GET', `/me/library/contains?uris=${encodeURIComponent(uris.join(','))}`);
  }
  albumTracks(id: string): Promise<Track[]> {
    return this.allPages(`/albums/${encodeURIComponent(id)}/tracks`, 50);
  }
  track(id: string): Promise<Track> {
    return this.call('GET', `/tracks/${encodeURIComponent(id)}`);
  }
  /** Search; Spotify caps development-mode apps at 10 per page and offset 1000. */
  async search(
    q: string,
    types: Array<'artist' | 'track' | 'album'>,
    limit = 10,
    offset = 0,
  ): Promise<{
    artists?: Page<Artist>;
    tracks?: Page<Track>;
    albums?: Page<{ id: string; name: string; release_date: string; artists: Array<{ id: string; name: string }> }>;
  }> {
    const r = await this.call<{
      artists?: Page<Artist>;
      tracks?: Page<Track>;
      albums?: Page<{ id: string; name: string; release_date: string; artists: Array<{ id: string; name: string }> }>;
    }>(
      'GET',
      `/search?q=${encodeURIComponent(q)}&type=${types.join(',')}&limit=${Math.min(10, limit)}&offset=${Math.min(1000, offset)}`,
    );
    if (r.artists) await this.shared.genres.remember(r.artists.items);
    return r;
  }
  /** Genres for these artists from the shared cache, looking up only the misses. */
  genresForArtists(
    ids: readonly string[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<Map<string, string[]>> {
    return this.shared.genres.genresFor(ids, (id) => this.artist(id), onProgress);
  }
}
