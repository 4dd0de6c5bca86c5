export { topGenresFromArtists, type GenreShare, type TopGenres } from './topGenres.js';
