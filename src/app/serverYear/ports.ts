import type { FirstPlay, ServerYear } from '../../core/serverYear/index.js';
import type { DigestDeps } from '../digest/ports.js';
import type { MessageModel } from '../ports.js';

/** The server year's reads (src/store/history/serverYearReader.ts), always for a set of opted-in members. */
export interface ServerYearReader {
  /**
   * Each member's year from their running sums: plays, ms, artists first played in it, and
   * listening time per genre. Members without plays in it are left out.
   */
  memberYears(
    memberIds: readonly string[],
    fromDay: string,
    toDay: string,
  ): Promise<
    Array<{
      memberId: string;
      plays: number;
      ms: number;
      newArtists: number;
      genres: Array<{ genre: string; ms: number }>;
    }>
  >;
  months(memberIds: readonly string[], fromDay: string, toDay: string): Promise<Array<{ month: string; ms: number }>>;
  /** In one pass over the year's artist rollups: the server's top artists and each member's favourite. */
  artists(
    memberIds: readonly string[],
    fromDay: string,
    toDay: string,
    limit: number,
  ): Promise<{
    top: Array<{ artistId: string; name: string; plays: number; ms: number }>;
    favourites: Array<{ memberId: string; name: string; plays: number }>;
  }>;
  /**
   * In one pass over the plays of [from, to): the top tracks, and each member's listening 00–05 h
   * and 05–09 h in their own time zone (else `fallbackZone`).
   */
  plays(
    memberIds: readonly string[],
    from: number,
    to: number,
    fallbackZone: string,
    limit: number,
  ): Promise<{
    topTracks: Array<{ name: string; artists: string[]; plays: number }>;
    hours: Array<{ memberId: string; nightMs: number; earlyMs: number }>;
  }>;
  /** Each member's first play ever (before `to`) of each of the artists. */
  firstPlays(memberIds: readonly string[], artistIds: readonly string[], to: number): Promise<FirstPlay[]>;
}

export interface ServerYearCard {
  png: Buffer;
  altText: string;
}

/** The message builders (src/discord/messages/serverYearMessages.ts), handed in. */
export interface ServerYearMessages {
  year(
    year: ServerYear,
    context: { names: ReadonlyMap<string, string>; guildName: string; card?: ServerYearCard; accent?: number },
    notes: { posted?: boolean },
  ): MessageModel;
}

export interface ServerYearDeps {
  reader: ServerYearReader;
  /** The digest's settings, ledger (exactly once), channel access, opted-in members and names. */
  digest: Pick<DigestDeps, 'settings' | 'ledger' | 'discord' | 'reader' | 'instanceId' | 'log'>;
  messages: ServerYearMessages;
  /** The award cards as one PNG; undefined when there is no award to draw. */
  card(year: ServerYear, names: ReadonlyMap<string, string>): Promise<ServerYearCard | undefined>;
}
