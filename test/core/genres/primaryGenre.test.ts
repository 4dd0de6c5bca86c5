import { describe, expect, it } from 'vitest';
import { primaryGenre } from '../../../src/core/genres/index.js';
import { artist } from '../factories.js';

const genreLists = (...artists: ReturnType<typeof artist>[]) => artists.map((a) => a.genres);

describe('primaryGenre', () => {
  it('takes the main artist’s genre over a featured artist’s', () => {
    const main = artist({ genres: ['indie rock', 'modern rock'] });
    const featured = artist({ genres: ['trap', 'rap', 'melodic rap'] });
    expect(primaryGenre(genreLists(main, featured))?.name).toBe('Indie / Alternative');
    expect(primaryGenre(genreLists(featured, main))?.name).toBe('Hip hop');
  });

  it('does not let a featured artist with many genres outvote a main artist with one', () => {
    const main = artist({ genres: ['pop'] });
    const featured = artist({ genres: ['trap', 'rap', 'drill', 'grime', 'boom bap', 'cloud rap', 'emo rap'] });
    expect(primaryGenre(genreLists(main, featured))?.key).toBe('pop');
  });

  it('lets two featured artists together outweigh the main artist (1 < 1/2 + 1/3 + 1/4)', () => {
    const main = artist({ genres: ['k-pop'] });
    const others = [1, 2, 3].map(() => artist({ genres: ['edm'] }));
    expect(primaryGenre(genreLists(main, ...others))?.key).toBe('electronic');
  });

  it('weighs an artist’s earlier genres a bit more than later ones', () => {
    expect(primaryGenre([['uk drill', 'dancehall']])?.key).toBe('hip-hop');
    expect(primaryGenre([['dancehall', 'uk drill']])?.key).toBe('reggae');
  });

  it('adds up an artist’s fine genres within one parent', () => {
    // Two rock genres after one pop genre still beat it in parent mode.
    expect(primaryGenre([['dance pop', 'hard rock', 'classic rock']])?.key).toBe('rock');
    expect(primaryGenre([['dance pop', 'hard rock', 'classic rock']], 'fine')?.name).toBe('Dance pop');
  });

  it('breaks exact ties by the family-tree order, then by name, whatever the input order', () => {
    // Position weights 1 + 0.5 (10th) equal 0.95 (2nd) + 0.55 (9th): blues and jazz tie at 1.5.
    const filler = ['zzq1', 'zzq2', 'zzq3', 'zzq4', 'zzq5', 'zzq6', 'zzq7'];
    const bluesFirst = ['blues', 'jazz', ...filler, 'bebop', 'delta blues'];
    const jazzFirst = ['jazz', 'blues', ...filler, 'delta blues', 'bebop'];
    expect(primaryGenre([bluesFirst])?.key).toBe('jazz');
    expect(primaryGenre([jazzFirst])?.key).toBe('jazz');
    // Neither fine genre is in the tree: the name decides.
    expect(primaryGenre([['qq b', 'qq a', ...filler, 'qq a', 'qq b']], 'fine')?.key).toBe('qq a');
    expect(primaryGenre([['qq a', 'qq b', ...filler, 'qq b', 'qq a']], 'fine')?.key).toBe('qq a');
  });

  it('returns undefined when no artist has a usable genre', () => {
    expect(primaryGenre([])).toBeUndefined();
    expect(primaryGenre([[], undefined, ['', '   ', '🎵']])).toBeUndefined();
    expect(primaryGenre([['한국 힙합']])).toBeUndefined();
    expect(primaryGenre([['한국 힙합']], 'fine')?.name).toBe('한국 힙합');
  });

  it('copes with an artist listing 500 genres', () => {
    const many = Array.from({ length: 500 }, (_, i) => (i % 2 ? `city ${i} hip hop` : `odd ${i}`));
    expect(primaryGenre([many])?.key).toBe('hip-hop');
    expect(primaryGenre([many], 'fine')?.key).toBe('odd 0');
  });
});
