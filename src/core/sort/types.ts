/** One entry of a Spotify playlist, as the sorter needs it (the lead maps gateway items onto this). */
export interface PlaylistItemInput {
  /** spotify:track:…, spotify:episode:… or spotify:local:…; '' when Spotify no longer has the item. */
  readonly uri: string;
  readonly type: 'track' | 'episode';
  readonly isLocal: boolean;
  /** Artist ids in credit order, main artist first. Local files have none. */
  readonly artistIds: readonly string[];
  /** ISO timestamp when the item was added to the playlist. */
  readonly addedAt?: string;
  /** Album release date as Spotify gives it: "1999", "1999-05" or "1999-05-03". */
  readonly releaseDate?: string;
  readonly name?: string;
  /** The main artist's name, for ordering by artist. */
  readonly artistName?: string;
}

/** Artist id → that artist's genres. A missing id means "not resolved"; [] means "no genres". */
export type ArtistGenreLookup = ReadonlyMap<string, readonly string[]>;
