import type { MessageModel } from '../ports.js';
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

// What the suggestion use cases are handed (the Services name SuggestionsDeps).

/**
 * What /suggest answered, kept so its buttons (save, 👍, 👎) act on exactly the list the member
 * saw. Suggestions are stored whole, reasons included, so the message can be drawn again after a click.
 */
export interface SuggestAnswer {
  id: string;
  memberId: string;
  guildId?: string;
  createdAt: number;
  suggestions: Suggestion[];
  /** Positions in `suggestions` the member liked / dismissed (by artist). */
  liked: number[];
  dismissed: number[];
  saveStartedAt?: number;
  playlistId?: string;
  savedAt?: number;
}

export interface SuggestAnswerRepository {
  create(answer: SuggestAnswer): Promise<void>;
  get(id: string): Promise<SuggestAnswer | undefined>;
  /** Adds positions to `liked` or `dismissed` (each once); the answer as it is now. */
  mark(id: string, kind: 'liked' | 'dismissed', positions: readonly number[]): Promise<SuggestAnswer | undefined>;
  saveStarted(id: string, now: number): Promise<void>;
  /** Records the playlist a save created or found (before anything is written into it). */
  savePlaylist(id: string, playlistId: string): Promise<void>;
  saveFinished(id: string, now: number): Promise<void>;
  /** Deletes answers created before `before`; how many. */
  prune(before: number): Promise<number>;
  deleteForUser(memberId: string): Promise<number>;
}

/** A member's Spotify account as Encore's playlists use it (src/features/suggest wires the gateway). */
export interface MemberPlaylists {
  /** Creates a private playlist; its id. */
  create(name: string, description: string): Promise<string>;
  /** Replaces every item (at most 100); 'gone' when the playlist was deleted or is no longer theirs. */
  replace(playlistId: string, uris: readonly string[]): Promise<'ok' | 'gone'>;
  /** One of their playlists whose description contains `marker` (a save that stopped midway). */
  findByMarker(marker: string): Promise<string | undefined>;
}
export type PlaylistsFor = (memberId: string, priority: 'interactive' | 'background') => Promise<MemberPlaylists>;

/** Exclusive, expiring ownership of a piece of work (store.leases). */
export interface LeasePort {
  acquire(kind: string, id: string, owner: string, ttlMs: number, now: number): Promise<boolean>;
  release(kind: string, id: string, owner: string): Promise<void>;
}

export interface AnswerDeps {
  service: SuggestService;
  answers: SuggestAnswerRepository;
  playlists: PlaylistsFor;
  leases: LeasePort;
  newId(): string;
}

/**
 * The weekly "Encore Radar" (issue 16): off by default; once a member turns it on, one private
 * playlist in their account whose items are replaced in place every week with fresh suggestions,
 * and a DM when it changes. /unlink erases the record, which stops it.
 */
export interface RadarRecord {
  memberId: string;
  /** The server it was turned on in: the server radar's "members like you" come from there. */
  guildId?: string;
  enabled: boolean;
  enabledAt: number;
  playlistId?: string;
  /** What the playlist holds now, so next week's suggestions are fresh. */
  trackUris: string[];
  /** The UTC Monday (YYYY-MM-DD) of the last week it was filled for. */
  lastRefreshedWeek?: string;
  refreshedAt?: number;
}

export interface RadarRepository {
  get(memberId: string): Promise<RadarRecord | undefined>;
  /** Turns it on (keeping the playlist of an earlier time on); the record as it is now. */
  enable(memberId: string, guildId: string | undefined, now: number): Promise<RadarRecord>;
  /** Turns it off (the playlist stays in the member's account); false when it was not on. */
  disable(memberId: string): Promise<boolean>;
  setPlaylist(memberId: string, playlistId: string): Promise<void>;
  /**
   * Records week `week`'s fill unless a fill of that week (or a later one) is already recorded:
   * true for the one caller that recorded it. Across instances, this is what makes a week once.
   */
  recordWeek(memberId: string, week: string, uris: readonly string[], now: number): Promise<boolean>;
  /** Turned-on radars not yet filled for `week`. */
  due(week: string): Promise<RadarRecord[]>;
  deleteForUser(memberId: string): Promise<number>;
}

export interface RadarRefreshed {
  memberId: string;
  playlistId: string;
  week: string;
  suggestions: Suggestion[];
}

export interface RadarDeps {
  radar: RadarRepository;
  suggest: SuggestService;
  playlists: PlaylistsFor;
  leases: LeasePort;
  /** A DM carrying Discord's nonce: a retry after a crash returns the first message instead of a second. */
  sendDm(memberId: string, message: MessageModel, nonce: string): Promise<'sent' | 'closed'>;
  nonce(memberId: string, week: string): string;
  refreshedMessage(refreshed: RadarRefreshed): MessageModel;
  /**
   * Whether the member is still in the server their radar was turned on in: false only when Discord
   * says they are not. A server they left is not drawn on (its members, its plays).
   */
  stillIn?(guildId: string, memberId: string): Promise<boolean>;
  instanceId: string;
  log?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/**
 * "Sounds of <server>" (issue 16): a playlist in the account of the admin who turned it on, filled
 * with the most played tracks of the members who share their listening with that server, refreshed
 * in place on the first of every month for the month before, and announced in the digest channel.
 */
export interface ServerPlaylistRecord {
  guildId: string;
  ownerId: string;
  enabled: boolean;
  enabledAt: number;
  playlistId?: string;
}

export interface ServerTrack {
  trackId: string;
  name: string;
  artistId: string;
  artistName: string;
  plays: number;
  /** How many of the members played it. */
  listeners: number;
}

export interface ServerMonth {
  month: string;
  playlistId: string;
  tracks: number;
  members: number;
  announced?: string;
}

export interface ServerPlaylistRepository {
  get(guildId: string): Promise<ServerPlaylistRecord | undefined>;
  /** Turns it on for `ownerId`; an earlier playlist is kept when the same admin turns it on again. */
  enable(guildId: string, ownerId: string, now: number): Promise<ServerPlaylistRecord>;
  disable(guildId: string): Promise<boolean>;
  setPlaylist(guildId: string, playlistId: string): Promise<void>;
  enabledList(): Promise<ServerPlaylistRecord[]>;
  month(guildId: string, month: string): Promise<ServerMonth | undefined>;
  /** Records the month's refresh once: true for the one caller that recorded it. */
  recordMonth(guildId: string, month: ServerMonth, now: number): Promise<boolean>;
  markAnnounced(guildId: string, month: string, where: string): Promise<void>;
  /** The members' most played tracks over [from, to): most listeners first, then plays. Only Spotify tracks. */
  topTracks(memberIds: readonly string[], from: number, to: number, limit: number): Promise<ServerTrack[]>;
  /** /unlink of the admin: the server playlists in their account stop (the playlists stay theirs). */
  deleteForOwner(memberId: string): Promise<number>;
}

export interface ServerPlaylistAnnouncement {
  guildId: string;
  guildName: string;
  monthLabel: string;
  playlistId: string;
  tracks: ServerTrack[];
  members: number;
}

export interface ServerPlaylistDeps {
  repo: ServerPlaylistRepository;
  /** Members who let this server see their listening. */
  optedIn(guildId: string): Promise<string[]>;
  playlists: PlaylistsFor;
  leases: LeasePort;
  guildName(guildId: string): string | undefined;
  /** True when this process's Discord shards hold the server: its announcement is posted from there. */
  ownsGuild(guildId: string): boolean;
  /**
   * Tells the server: in the digest channel (with Discord's nonce, so a retry never posts twice),
   * else by DM to the admin who owns the playlist; where it went.
   */
  announce(
    guildId: string,
    ownerId: string,
    message: MessageModel,
    nonce: string,
  ): Promise<'channel' | 'dm' | 'nowhere'>;
  nonce(guildId: string, month: string): string;
  announcementMessage(announcement: ServerPlaylistAnnouncement): MessageModel;
  /**
   * Whether the admin whose Spotify holds the playlist is still a member of the server: false only
   * when Discord says they are not (an outage keeps it going). Without it, membership is not checked.
   */
  ownerPresent?(guildId: string, ownerId: string): Promise<boolean>;
  /** What the server (else the owner) is told when the playlist stops because its owner left. */
  stoppedMessage?(): MessageModel;
  instanceId: string;
  log?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/** What /suggest, its buttons, /digest playlist and the playlist jobs are given (services.suggestions). */
export interface SuggestionsDeps {
  answers: AnswerDeps;
  radar: RadarDeps;
  serverPlaylist: ServerPlaylistDeps;
  /** Display names of members (never pings), for reasons that name who played a track. */
  memberNames(guildId: string | undefined, memberIds: readonly string[]): Promise<Map<string, string>>;
  /** The member's parent genres from their history, most played first (the genre option's autocomplete). */
  memberGenres(memberId: string, now: number): Promise<string[]>;
}
