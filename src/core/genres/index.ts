export {
  FAMILY_TREE,
  PARENT_GENRES,
  OTHER_NAME,
  UNCLASSIFIED_NAME,
  parentGenreById,
  type ParentGenre,
  type ParentGenreId,
} from './familyTree.js';
export { normaliseGenre, displayFineGenre } from './canonical.js';
export { parentGenreOf } from './parentGenre.js';
export { primaryGenre, artistWeight, genrePositionWeight, type GenreMode, type ResolvedGenre } from './primaryGenre.js';
export { genreOfTag, genresFromWeightedTags, type TagGenreOptions, type WeightedTag } from './tagGenres.js';
