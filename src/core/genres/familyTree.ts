/**
 * The curated family tree every Spotify micro-genre folds into. The order of this list is the
 * tie-breaker everywhere (primary genre, chart legends), so the broad, common families come first.
 */
export const PARENT_GENRES = [
  { id: 'pop', name: 'Pop' },
  { id: 'rock', name: 'Rock' },
  { id: 'hip-hop', name: 'Hip hop' },
  { id: 'electronic', name: 'Electronic' },
  { id: 'rnb-soul', name: 'R&B / Soul' },
  { id: 'indie', name: 'Indie / Alternative' },
  { id: 'metal', name: 'Metal' },
  { id: 'punk', name: 'Punk / Emo' },
  { id: 'latin', name: 'Latin' },
  { id: 'k-pop', name: 'K-pop' },
  { id: 'j-pop', name: 'J-pop / Anime' },
  { id: 'c-pop', name: 'C-pop / Mandopop' },
  { id: 'country', name: 'Country' },
  { id: 'folk', name: 'Folk / Singer-songwriter' },
  { id: 'jazz', name: 'Jazz' },
  { id: 'blues', name: 'Blues' },
  { id: 'funk-disco', name: 'Funk / Disco' },
  { id: 'classical', name: 'Classical' },
  { id: 'soundtrack', name: 'Soundtrack / Score' },
  { id: 'ambient', name: 'Ambient / Chill' },
  { id: 'reggae', name: 'Reggae / Dancehall' },
  { id: 'afro', name: 'Afrobeats / African' },
  { id: 'brazilian', name: 'Brazilian' },
  { id: 'gospel', name: 'Gospel / Christian' },
  { id: 'world', name: 'World / Traditional' },
  { id: 'experimental', name: 'Experimental' },
  { id: 'children', name: "Children's" },
  { id: 'comedy-spoken', name: 'Comedy / Spoken word' },
] as const;

export type ParentGenreId = (typeof PARENT_GENRES)[number]['id'];

export interface ParentGenre {
  readonly id: ParentGenreId;
  readonly name: string;
  /** Position in the family tree; lower sorts first when weights tie. */
  readonly order: number;
}

const byId = new Map<string, ParentGenre>(PARENT_GENRES.map((g, order) => [g.id, { id: g.id, name: g.name, order }]));

/** All parent genres in tree order. */
export const FAMILY_TREE: readonly ParentGenre[] = [...byId.values()];

/** The parent genre with this id, or undefined for an unknown id. */
export function parentGenreById(id: string): ParentGenre | undefined {
  return byId.get(id);
}

/** Display names for the two buckets that are not genres. */
export const UNCLASSIFIED_NAME = 'Unclassified';
export const OTHER_NAME = 'Other';
