export { topGenresFromArtists, type GenreShare, type TopGenres } from './topGenres.js';
export {
  ARTIST_WEIGHT,
  GENRE_WEIGHT,
  compatibility,
  type Compatibility,
  type SharedArtist,
  type TasteInput,
} from './compat.js';
