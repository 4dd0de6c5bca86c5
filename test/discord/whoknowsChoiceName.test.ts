import { describe, expect, it } from 'vitest';
import { whoKnowsChoiceName } from '../../src/discord/messages/socialMessages.js';

describe('/whoknows autocomplete choice names', () => {
  it('are listed whole when they fit', () => {
    expect(whoKnowsChoiceName({ kind: 'track', id: 't', name: 'Tide', detail: 'Moon' })).toBe('Tide — Moon');
    expect(whoKnowsChoiceName({ kind: 'genre', id: 'jazz', name: 'Jazz' })).toBe('Jazz');
  });

  it('fit Discord’s 100 characters however long, the title cut between graphemes and the artist kept', () => {
    const title = `${'Symphonie fantastique, Op. 14: V. Songe d’une nuit du sabbat '.repeat(3)}👩‍👩‍👧‍👦👩‍👩‍👧‍👦`;
    const name = whoKnowsChoiceName({ kind: 'track', id: 't', name: title, detail: 'Hector Berlioz' });
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name).toMatch(/^Symphonie fantastique, Op\. 14: V\. .*… — Hector Berlioz$/);
    const family = '👩‍👩‍👧‍👦';
    const emoji = whoKnowsChoiceName({ kind: 'artist', id: 'a', name: family.repeat(20) });
    expect(emoji.length).toBeLessThanOrEqual(100);
    expect(emoji.replace('…', '').split(family).join('')).toBe('');
    const longArtist = whoKnowsChoiceName({ kind: 'track', id: 't', name: 'Ave Maria', detail: 'A'.repeat(150) });
    expect(longArtist.length).toBeLessThanOrEqual(100);
    expect(longArtist.startsWith('Ave Maria — AAA')).toBe(true);
  });
});
