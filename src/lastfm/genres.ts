import { genresFromWeightedTags } from '../core/genres/index.js';
import type { LastfmClient } from './client.js';

/**
 * An artist's genres from Last.fm's top tags, through the family tree's allow-list: only tags that
 * map onto a family count ("seen live", "favorites", "female vocalists", decades and the artist's
 * own name never do), and tags under a tenth of the top tag's weight are noise. Undefined when
 * Last.fm knows the artist but none of its tags is a genre, or does not know it.
 */
export async function lastfmArtistGenres(
  client: Pick<LastfmClient, 'artistTopTags'>,
  artist: { name?: string; mbid?: string },
): Promise<string[] | undefined> {
  const genres = genresFromWeightedTags(await client.artistTopTags(artist));
  return genres.length ? genres : undefined;
}
