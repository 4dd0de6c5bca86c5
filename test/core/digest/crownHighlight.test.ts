import { describe, expect, it } from 'vitest';
import { buildServerDigest, type DigestInput, type ServerDigest } from '../../../src/core/digest/index.js';

const input = (crownChanges: DigestInput['crownChanges']): DigestInput => ({
  week: '2026-11-30',
  thisWeek: [
    { memberId: 'a', ms: 600_000, plays: 10 },
    { memberId: 'b', ms: 300_000, plays: 5 },
  ],
  lastWeek: [],
  topArtists: [],
  topTracks: [],
  genres: [],
  lastWeekGenres: [],
  discoveries: [{ artistId: 'x', name: 'New Band', plays: 3, ms: 1 }],
  crownChanges,
});
const crowns = (digest: ReturnType<typeof buildServerDigest>) =>
  (digest as ServerDigest).highlights.filter((h) => h.kind === 'crown');

describe('the digest’s crown highlight', () => {
  it('a crown taken from someone comes before one claimed unopposed, even with fewer plays', () => {
    const digest = buildServerDigest(
      input([
        { artist: 'Unclaimed Before', toId: 'a', fromId: null, plays: 90 },
        { artist: 'Contested', toId: 'b', fromId: 'a', plays: 40 },
        { artist: 'Contested Less', toId: 'a', fromId: 'b', plays: 35 },
      ]),
    );
    expect(crowns(digest)).toEqual([{ kind: 'crown', artist: 'Contested', toId: 'b', fromId: 'a', plays: 40 }]);
  });

  it('comes on top of the other highlights, and is absent in a week without crown changes', () => {
    const digest = buildServerDigest(input([{ artist: 'Solo', toId: 'a', fromId: null, plays: 31 }])) as ServerDigest;
    expect(digest.highlights.map((h) => h.kind)).toEqual(['discovery', 'crown']);
    expect(crowns(buildServerDigest(input([])))).toEqual([]);
    expect(crowns(buildServerDigest(input(undefined)))).toEqual([]);
  });
});
