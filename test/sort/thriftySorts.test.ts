import { describe, expect, it } from 'vitest';
import type { BackgroundGenreSources } from '../../src/app/genres/resolveInBackground.js';
import { createThriftySorts, type SplitGenreChoice, type SplitPreview } from '../../src/app/sort/index.js';
import type { PlaylistItemInput } from '../../src/core/sort/index.js';
import { createGenreChoiceRepository } from '../../src/store/genreChoices.js';
import { createSortJobRepository } from '../../src/store/sortJobs.js';
import { useTestStore } from '../support/database.js';

const testStore = useTestStore();

const track = (i: number, artist: string): PlaylistItemInput => ({
  uri: `spotify:track:t${i}`,
  type: 'track',
  isLocal: false,
  artistIds: [artist],
  artistName: artist,
});
/** What MusicBrainz knows, by artist name. */
const musicbrainzGenres: Record<string, string[]> = { rockA: ['garage rock'], jazzA: ['cool jazz'] };

/** A member's choice that went thrifty: 20 tracks by two artists the cache does not know. */
function thriftyChoice(member: string): SplitGenreChoice {
  const items = Array.from({ length: 20 }, (_, i) => track(i, i % 2 ? 'rockA' : 'jazzA'));
  return {
    id: `choice-${member}`,
    discordUserId: member,
    createdAt: Date.now(),
    request: { discordUserId: member, playlistId: 'src', minTracksPerGenre: 1, mode: 'parent' },
    source: {
      playlist: { id: 'src', name: 'Road trip', snapshotId: 's1', total: items.length, readable: true },
      items,
    },
    unknownArtists: 2,
    thriftyMinutes: 1,
    remainingBudget: 1_000,
    status: 'thrifty',
  };
}

/** The thrifty runner of one instance over the real stores, MusicBrainz in memory, recording what members hear. */
function instance(id: string, options: { deliver?: () => Promise<void> } = {}) {
  const store = testStore();
  const cache = new Map<string, string[]>();
  const musicbrainzAsked: string[] = [];
  const heard: string[] = [];
  const warnings: string[] = [];
  const sources: BackgroundGenreSources = {
    cached: async (ids) => new Map(ids.flatMap((a) => (cache.has(a) ? [[a, cache.get(a)!] as const] : []))),
    musicbrainzMisses: async () => new Set(),
    rememberMusicBrainzMisses: async () => {},
    musicbrainzByName: async (name) => (musicbrainzAsked.push(name), musicbrainzGenres[name]),
    remember: async (found) => void found.forEach((a) => cache.set(a.id, a.genres)),
  };
  const choices = createGenreChoiceRepository(store);
  const thrifty = createThriftySorts({
    sources,
    remainingBudget: async () => 1_000,
    jobs: createSortJobRepository(store),
    choices,
    leases: store.leases,
    instanceId: id,
    log: { warn: (_fields, message) => void warnings.push(message) },
    deliver: async (choice, preview: SplitPreview) => {
      await options.deliver?.();
      heard.push(`${choice.discordUserId}: ${preview.analysis.playlists.map((p) => p.genreName).join(', ')}`);
    },
    tellFailed: async (choice) => void heard.push(`${choice.discordUserId}: failed`),
  });
  return { thrifty, choices, heard, warnings, musicbrainzAsked, store };
}

describe('thrifty split previews', () => {
  it('finds the genres on MusicBrainz and shows the member their preview once', async () => {
    const a = instance('a');
    const choice = thriftyChoice('alice');
    await a.choices.save(choice);

    await Promise.all([a.thrifty.start(choice), a.thrifty.start(choice)]);

    expect(a.musicbrainzAsked.sort()).toEqual(['jazzA', 'rockA']);
    expect(a.heard).toEqual(['alice: Rock, Jazz']);
    expect((await a.choices.get(choice.id))?.status).toBe('done');
    expect(await a.thrifty.pending()).toEqual([]);
  });

  it('leaves a choice another instance is working on alone', async () => {
    const a = instance('a');
    const b = instance('b');
    const choice = thriftyChoice('bob');
    await a.choices.save(choice);
    await a.store.leases.acquire('thrifty-sort', `bob:${choice.id}`, 'thrifty:b', 60_000, Date.now());

    await a.thrifty.start(choice);

    expect(a.heard).toEqual([]);
    expect(a.musicbrainzAsked).toEqual([]);
    expect((await a.choices.get(choice.id))?.status).toBe('thrifty');
    await b.thrifty.start(choice);
    expect(b.heard).toEqual(['bob: Rock, Jazz']);
  });

  it('tells the member once when their preview cannot reach them, and gives the choice up', async () => {
    const a = instance('a', {
      deliver: async () => {
        throw new Error('Discord is down');
      },
    });
    const choice = thriftyChoice('carol');
    await a.choices.save(choice);

    await a.thrifty.start(choice);

    expect(a.heard).toEqual(['carol: failed']);
    expect(a.warnings).toEqual(['thrifty sort preview failed']);
    expect((await a.choices.get(choice.id))?.status).toBe('failed');
    // The lease was given back: another instance may take the member's next choice at once.
    expect(await a.store.leases.acquire('thrifty-sort', `carol:${choice.id}`, 'thrifty:b', 60_000, Date.now())).toBe(
      true,
    );
  });

  it('stops at shutdown without a preview, leaving the choice to resume', async () => {
    const a = instance('a');
    const choice = thriftyChoice('dave');
    await a.choices.save(choice);

    await a.thrifty.stop();
    await a.thrifty.start(choice);

    expect(a.thrifty.stopping()).toBe(true);
    expect(a.heard).toEqual([]);
    expect((await a.thrifty.pending()).map((c) => c.id)).toEqual([choice.id]);
  });
});
