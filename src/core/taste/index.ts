export { topGenresFromArtists, type GenreShare, type TopGenres } from './topGenres.js';
export {
  ARTIST_WEIGHT,
  GENRE_WEIGHT,
  LOVED_PLAYS,
  compatibility,
  type Compatibility,
  type SharedArtist,
  type TasteInput,
} from './compat.js';
export {
  NOT_YET_CLASSIFIED,
  genreDisplayName,
  isUnclassified,
  topClassifiedGenre,
  unclassifiedLast,
} from './unclassified.js';
