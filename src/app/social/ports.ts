import type { PrivacyRepository } from '../privacy/privacy.js';

/**
 * Server social (issue 15): what the leaderboards, /whoknows, crowns, /compat and server charts
 * read. Everything is scoped to the members who opted in for that server (privacy.visibleIn,
 * mirrored into SQL so queries can join it); a member who left is dropped from it.
 */

/** A UTC calendar day, 'YYYY-MM-DD'. */
export type Day = string;

export type LeaderboardMetric = 'minutes' | 'plays' | 'artists' | 'diversity' | 'discoveries';
/** Rolling windows ending today (UTC): the last 7, 30 or 365 days, or everything. */
export type SocialPeriod = 'week' | 'month' | 'year' | 'all';

/** Competition ranking: equal values share a rank and the next rank skips (1, 1, 3). */
export interface RankedMember {
  memberId: string;
  /** listening time in ms (for 'minutes'; rounded once, where it is shown), plays, distinct artists, diversity in bits (Shannon entropy over parent genres), discoveries (artists first played in the period). */
  value: number;
  rank: number;
}

export type WhoKnowsKind = 'artist' | 'track' | 'genre';

export interface CatalogueItem {
  kind: WhoKnowsKind;
  /** Artist or track id, or the parent-genre key (e.g. 'hip-hop'). */
  id: string;
  name: string;
  /** For a track: its main artist's name. */
  detail?: string;
}

/**
 * How a member named an item: its id, the MD5 (hex, of the UTF-8 bytes) of its id (an autocomplete
 * key for an id too long for Discord's 100-character values), or its exact name, case-insensitive.
 */
export type ItemLookup = { id: string } | { idMd5: string } | { name: string };

/** One member's all-time listening of an item; ranked like RankedMember. */
export interface Listener {
  memberId: string;
  plays: number;
  ms: number;
  rank: number;
}

export interface Crown {
  guildId: string;
  artistId: string;
  artistName: string;
  holderId: string;
  plays: number;
  /** Unix ms the holder took it. */
  since: number;
}

export interface CrownChange {
  guildId: string;
  artistId: string;
  artistName: string;
  /** null when the crown was unclaimed before. */
  fromId: string | null;
  toId: string;
  plays: number;
  at: number;
}

/** A member's taste, all time: the input of /compat and of the suggestions' "members like you". */
export interface TasteProfile {
  memberId: string;
  /** Most played first. */
  artists: Array<{ id: string; name: string; plays: number }>;
  /** Parent genres, most played first ('unclassified' left out). */
  genres: Array<{ genre: string; plays: number }>;
}

export interface SocialRepository {
  /** Mirrors one privacy choice into SQL; called wherever privacy.visibleIn changes. */
  setVisible(memberId: string, guildId: string, visible: boolean): Promise<void>;
  /** Replaces a member's whole visibility set (start-up backfill from the privacy store). */
  syncVisibility(memberId: string, guildIds: readonly string[]): Promise<void>;
  visibleMembers(guildId: string): Promise<string[]>;

  /** Every visible member with a value above zero, ranked (ties share a rank), best first. */
  leaderboard(guildId: string, metric: LeaderboardMetric, period: SocialPeriod, today: Day): Promise<RankedMember[]>;
  /** Visible members who played the item, all time, most plays first. */
  whoKnows(guildId: string, kind: WhoKnowsKind, id: string, limit: number): Promise<Listener[]>;
  /** Autocomplete: items the server's visible members played whose name contains `query`, most played first. */
  findInServer(guildId: string, kind: WhoKnowsKind, query: string, limit: number): Promise<CatalogueItem[]>;
  /**
   * An item the server's visible members played (more than no plays), looked up among those only:
   * what nobody visible here played is not found, whoever else in the instance played it. Of
   * several items with that name, the one most played here.
   */
  resolveInServer(guildId: string, kind: WhoKnowsKind, lookup: ItemLookup): Promise<CatalogueItem | undefined>;

  /**
   * Recomputes the server's crowns (all artists, or only `artistId`): the visible member with the
   * most plays of an artist, at least `threshold`, holds it; a tie keeps the current holder. Records
   * and returns what changed hands.
   */
  refreshCrowns(guildId: string, threshold: number, now: number, artistId?: string): Promise<CrownChange[]>;
  crownsOf(guildId: string, memberId: string): Promise<Crown[]>;
  crownOf(guildId: string, artistId: string): Promise<Crown | undefined>;
  crownChanges(guildId: string, from: number, to: number): Promise<CrownChange[]>;

  tasteProfile(memberId: string, limit: number): Promise<TasteProfile>;

  /** /chart scope:server over visible members, days inclusive. */
  serverTopArtists(
    guildId: string,
    fromDay: Day,
    toDay: Day,
    limit: number,
  ): Promise<Array<{ id: string; name: string; plays: number; ms: number }>>;
  serverTopGenres(
    guildId: string,
    fromDay: Day,
    toDay: Day,
    limit: number,
  ): Promise<Array<{ genre: string; plays: number; ms: number }>>;
  /** Plays per (weekday 0 = Monday, hour 0–23) in UTC over [from, to) Unix ms. */
  serverClock(
    guildId: string,
    from: number,
    to: number,
  ): Promise<Array<{ weekday: number; hour: number; plays: number }>>;

  /** /unlink: the member's social rows (visibility, crowns held, crown history naming them). */
  deleteForUser(memberId: string): Promise<number>;
}

// What the social use cases are handed (the Services name SocialDeps).

/**
 * Whether someone is still a member of a server, asked of Discord one member at a time (no
 * privileged members intent needed). The adapter caches positive answers.
 */
export interface GuildPresence {
  /** false only when Discord says the member is unknown there; a Discord failure counts as present. */
  isMember(guildId: string, memberId: string): Promise<boolean>;
  /** Forgets a cached "present" (a member just found gone, or withdrawn). */
  forget?(guildId: string, memberId: string): void;
  /**
   * Asks Discord now, without the cache: 'unknown' when Discord could not answer (an outage must
   * neither take members off the boards nor hand back an opt-in).
   */
  check?(guildId: string, memberId: string): Promise<'member' | 'gone' | 'unknown'>;
}

/**
 * Opted-in members who left a server (their opt-in there was withdrawn), remembered so that
 * rejoining gives it back, and where the membership sweep left off. Personal data.
 */
export interface DepartureRepository {
  /** Remembers that the member had opted in here when they left (the first departure is kept). */
  recordDeparture(guildId: string, memberId: string, at: number): Promise<void>;
  /** Forgets the departure; true when there was one (the member had opted in before leaving). */
  takeDeparture(guildId: string, memberId: string): Promise<boolean>;
  /** Members the sweep should ask about in this server (visible here, or departed), least recently checked first. */
  dueForCheck(guildId: string, limit: number): Promise<Array<{ memberId: string; departed: boolean }>>;
  markChecked(guildId: string, memberIds: readonly string[], at: number): Promise<void>;
  deleteForUser(memberId: string): Promise<number>;
}

export interface MembershipDeps {
  presence: GuildPresence;
  /** The mirrored privacy repository: withdrawing here updates the SQL mirror too. */
  privacy: PrivacyRepository;
  /** Where departures are remembered; without it, leaving withdraws the opt-in for good. */
  departures?: DepartureRepository;
  now?: () => number;
}

/** A server's social settings (not personal: no member is named). */
export interface SocialSettingsRepository {
  crownThreshold(guildId: string): Promise<number>;
  setCrownThreshold(guildId: string, threshold: number): Promise<void>;
}

export interface SocialDeps extends MembershipDeps {
  repo: SocialRepository;
  settings: SocialSettingsRepository;
  now: () => number;
}
