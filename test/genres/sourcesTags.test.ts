import { describe, expect, it } from 'vitest';
import { genreOfTag, genresFromWeightedTags, parentGenreOf } from '../../src/core/genres/index.js';

// Last.fm's top tags for Audioslave, as lastfm-docs/api-docs docs/artist/getTopTags.md captured them.
const audioslave = [
  { name: 'rock', count: 100 },
  { name: 'alternative rock', count: 78 },
  { name: 'hard rock', count: 52 },
  { name: 'alternative', count: 46 },
  { name: 'Grunge', count: 41 },
  { name: 'seen live', count: 19 },
  { name: 'post-grunge', count: 10 },
  { name: 'metal', count: 8 },
  { name: 'Audioslave', count: 8 },
  { name: 'american', count: 5 },
  { name: 'Chris Cornell', count: 4 },
  { name: '00s', count: 3 },
  { name: 'Supergroup', count: 3 },
  { name: 'punk', count: 2 },
  { name: 'favorites', count: 2 },
  { name: 'male vocalists', count: 1 },
];

describe('tags into the family tree (the allow-list)', () => {
  it('lets through only tags the family tree knows, in canonical spelling', () => {
    expect(genreOfTag('Grunge')).toBe('grunge');
    expect(genreOfTag('Hip-Hop')).toBe('hip hop');
    expect(genreOfTag('trip hop')).toBe('trip hop');
    for (const noise of [
      'seen live',
      'favorites',
      'female vocalists',
      'male vocalists',
      '00s',
      '1994',
      'british',
      'Audioslave',
      'Chris Cornell',
      'beautiful',
      'mysterious',
      '',
    ])
      expect(genreOfTag(noise), noise).toBeUndefined();
  });

  it('refuses words that describe a band rather than its music, though the word rules read them as a style', () => {
    expect(parentGenreOf('supergroup')).toBeDefined();
    expect(genreOfTag('Supergroup')).toBeUndefined();
  });

  it('reads a hyphenated tag the family tree only knows spaced', () => {
    expect(parentGenreOf('trip-hop')).toBeUndefined();
    expect(genreOfTag('trip-hop')).toBe('trip hop');
    expect(parentGenreOf(genreOfTag('trip-hop')!)?.id).toBe('electronic');
  });

  it('keeps an artist’s heavy genre tags, heaviest first, and drops the light and the non-genres', () => {
    expect(genresFromWeightedTags(audioslave)).toEqual([
      'rock',
      'alternative rock',
      'hard rock',
      'alternative',
      'grunge',
    ]);
    expect(genresFromWeightedTags(audioslave, { max: 10 })).toEqual([
      'rock',
      'alternative rock',
      'hard rock',
      'alternative',
      'grunge',
      'post-grunge',
    ]);
  });

  it('measures lightness against the heaviest tag of any kind, noise included', () => {
    const tags = [
      { name: 'seen live', count: 100 },
      { name: 'indie pop', count: 30 },
      { name: 'shoegaze', count: 5 },
    ];
    expect(genresFromWeightedTags(tags)).toEqual(['indie pop']);
  });

  it('ranks curated genres first whatever their votes, and never drops them as light', () => {
    const tags = [
      { name: 'electronic', count: 50 },
      { name: 'trip hop', count: 2, curated: true },
      { name: 'seen live', count: 90 },
    ];
    expect(genresFromWeightedTags(tags)).toEqual(['trip hop', 'electronic']);
  });

  it('gives each genre once, and nothing for an artist whose tags are all noise', () => {
    expect(
      genresFromWeightedTags([
        { name: 'Hip-Hop', count: 10 },
        { name: 'hip hop', count: 9 },
      ]),
    ).toEqual(['hip hop']);
    expect(
      genresFromWeightedTags([
        { name: 'seen live', count: 100 },
        { name: 'female vocalists', count: 80 },
      ]),
    ).toEqual([]);
    expect(genresFromWeightedTags([])).toEqual([]);
  });

  it('counts tags without votes alike, as MusicBrainz answers without counts sometimes do', () => {
    expect(genresFromWeightedTags([{ name: 'jazz' }, { name: 'blues' }])).toEqual(['jazz', 'blues']);
  });
});
