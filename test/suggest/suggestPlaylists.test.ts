import { describe, expect, it } from 'vitest';
import {
  saveAnswer,
  suggestForMember,
  visibleNow,
  type MemberPlaylists,
  type SuggestAnswer,
} from '../../src/app/suggest/answers.js';
import type { SuggestService, Suggestion, SuggestionFeedbackRepository } from '../../src/app/suggest/ports.js';
import { refreshRadar, turnRadarOn, type RadarDeps } from '../../src/app/suggest/radar.js';
import {
  monthKey,
  pickServerTracks,
  refreshServerPlaylist,
  turnServerPlaylistOn,
  type ServerPlaylistDeps,
  type ServerTrack,
} from '../../src/app/suggest/serverPlaylist.js';
import { MIN_SIMILARITY, similarMembers } from '../../src/core/suggest/taste.js';
import { compatibility, type TasteInput } from '../../src/core/taste/compat.js';
import { reasonText, suggestAnswerMessage } from '../../src/discord/messages/suggestMessage.js';
import { layoutTexts } from '../support/messages.js';
import { createHistoryRepository } from '../../src/store/history/historyRepository.js';
import { createSuggestAnswerRepository } from '../../src/store/suggestions/answerRepository.js';
import { createRadarRepository } from '../../src/store/suggestions/radarRepository.js';
import { createServerPlaylistRepository } from '../../src/store/suggestions/serverPlaylistRepository.js';
import { useTestStore } from '../support/database.js';

const store = useTestStore();
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 30, 12);

/** A member's Spotify playlists, in memory: what was created and written, and a way to fail or delete. */
function fakeSpotify() {
  const playlists = new Map<string, { name: string; description: string; uris: string[] }>();
  let next = 0;
  const spotify: MemberPlaylists & { failNextReplace?: boolean } = {
    async create(name, description) {
      const id = `pl${++next}`;
      playlists.set(id, { name, description, uris: [] });
      return id;
    },
    async replace(id, uris) {
      const p = playlists.get(id);
      if (!p) return 'gone';
      if (spotify.failNextReplace) {
        spotify.failNextReplace = false;
        throw new Error('Spotify answered 502');
      }
      p.uris = [...uris];
      return 'ok';
    },
    async findByMarker(marker) {
      return [...playlists].find(([, p]) => p.description.includes(marker))?.[0];
    },
  };
  return { spotify, playlists };
}

const track = (n: number, artist = `ar${n}`): Suggestion => ({
  trackId: `tr${n}`,
  uri: `spotify:track:tr${n}`,
  name: `Track ${n}`,
  artists: [{ id: artist, name: `Artist ${artist}` }],
  reason: { source: 'genre', genre: 'uk garage', genrePlays: 40 },
});
const noFeedback = {} as SuggestionFeedbackRepository;
const engine = (suggestions: (count: number) => Suggestion[]): SuggestService => ({
  async suggest(r) {
    return { suggestions: suggestions(r.count), skipped: [], requests: 0 };
  },
  feedback: noFeedback,
});
let ids = 0;
const leases = () => ({
  acquire: store().leases.acquire,
  release: store().leases.release,
});

describe('Save as playlist', () => {
  const deps = (spotify: MemberPlaylists) => ({
    service: engine(() => [track(1), track(2), track(3)]),
    answers: createSuggestAnswerRepository(store().pool),
    playlists: async () => spotify,
    leases: leases(),
    newId: () => `id${++ids}`,
  });
  const naming = { name: 'Encore suggestions', description: 'Suggested by Encore' };

  it('a retry after Spotify failed midway fills the playlist already made instead of making a second', async () => {
    const { spotify, playlists } = fakeSpotify();
    const d = deps(spotify);
    const { answer } = await suggestForMember(d, { memberId: 'm1', count: 3, from: 'everything', now: NOW });
    spotify.failNextReplace = true;
    await expect(saveAnswer(d, answer!.id, 'm1', NOW, naming)).rejects.toThrow('502');
    const retried = await saveAnswer(d, answer!.id, 'm1', NOW + 1_000, naming);
    expect(playlists.size).toBe(1);
    expect(retried).toEqual({ kind: 'saved', playlistId: 'pl1', tracks: 3 });
    expect(playlists.get('pl1')!.uris).toEqual(['spotify:track:tr1', 'spotify:track:tr2', 'spotify:track:tr3']);
    expect(await saveAnswer(d, answer!.id, 'm1', NOW + 2_000, naming)).toEqual({ kind: 'already', playlistId: 'pl1' });
  });

  it('a try that stopped between Spotify creating the playlist and Encore recording it finds it again by its mark', async () => {
    const { spotify, playlists } = fakeSpotify();
    const d = deps(spotify);
    const { answer } = await suggestForMember(d, { memberId: 'm2', count: 3, from: 'everything', now: NOW });
    // The first try died right after Spotify answered the create: nothing recorded but the start.
    const died = { ...d, answers: { ...d.answers, savePlaylist: () => Promise.reject(new Error('process died')) } };
    await expect(saveAnswer(died, answer!.id, 'm2', NOW, naming)).rejects.toThrow('died');
    await saveAnswer(d, answer!.id, 'm2', NOW + 1_000, naming);
    expect(playlists.size).toBe(1);
    expect([...playlists.values()][0]!.uris).toHaveLength(3);
  });

  it('someone else’s answer is refused, and nothing is created', async () => {
    const { spotify, playlists } = fakeSpotify();
    const d = deps(spotify);
    const { answer } = await suggestForMember(d, { memberId: 'm3', count: 3, from: 'everything', now: NOW });
    await expect(saveAnswer(d, answer!.id, 'intruder', NOW, naming)).rejects.toMatchObject({
      id: 'suggest.answerGone',
    });
    expect(playlists.size).toBe(0);
  });

  it('someone else’s answer is refused before its save lease is looked at: "busy" tells a forger nothing', async () => {
    const { spotify, playlists } = fakeSpotify();
    const d = deps(spotify);
    const { answer } = await suggestForMember(d, { memberId: 'm4', count: 3, from: 'everything', now: NOW });
    // The owner's own click is saving it.
    expect(await store().leases.acquire('suggest-save', answer!.id, 'owners-click', 120_000, NOW)).toBe(true);
    await expect(saveAnswer(d, answer!.id, 'intruder', NOW, naming)).rejects.toMatchObject({
      id: 'suggest.answerGone',
    });
    expect(await saveAnswer(d, answer!.id, 'm4', NOW, naming)).toEqual({ kind: 'busy' });
    expect(playlists.size).toBe(0);
  });
});

describe('an answer drawn again', () => {
  const similarity: Record<string, number> = { bob: 80, carol: 64 };
  const serverTrack = (n: number, listeners: string[], plays: number): Suggestion => ({
    ...track(n),
    reason: {
      source: 'server',
      listeners: listeners.map((memberId) => ({ memberId, similarity: similarity[memberId]! })),
      plays,
    },
  });
  const answer: SuggestAnswer = {
    id: 'a-redrawn',
    memberId: 'asker',
    guildId: 'g1',
    createdAt: NOW,
    suggestions: [
      serverTrack(1, ['bob', 'carol'], 9),
      serverTrack(2, ['bob'], 4),
      serverTrack(3, ['carol'], 2),
      track(4),
    ],
    liked: [],
    dismissed: [],
  };
  const names = new Map([
    ['bob', 'Bob'],
    ['carol', 'Carol'],
  ]);
  const reasons = (a: SuggestAnswer) => a.suggestions.map((s) => reasonText(s.reason, names));

  it('names only members still visible in that server, without counting the plays of those who are not', async () => {
    const asked: string[] = [];
    const redrawn = await visibleNow(answer, async (guildId, memberId) => {
      asked.push(`${guildId}:${memberId}`);
      return memberId !== 'bob';
    });
    expect(asked.sort()).toEqual(['g1:bob', 'g1:carol']);
    expect(reasons(redrawn)).toEqual([
      'Carol (taste 64 % like yours) played it this month',
      'listeners with taste like yours here played it this month',
      'Carol (taste 64 % like yours) played it twice this month',
      reasonText(track(4).reason, names),
    ]);
  });

  it('is unchanged while everyone it names is still visible', async () => {
    expect(await visibleNow(answer, async () => true)).toBe(answer);
  });

  it('names no one when it was asked outside a server', async () => {
    const { guildId: _, ...inDm } = answer;
    const redrawn = await visibleNow(inDm, async () => true);
    expect(reasons(redrawn).slice(0, 3)).toEqual(
      Array(3).fill('listeners with taste like yours here played it this month'),
    );
  });
});

describe('Encore Radar', () => {
  const radarDeps = (spotify: MemberPlaylists, suggest: SuggestService, dms: string[]): RadarDeps => ({
    radar: createRadarRepository(store().pool),
    suggest,
    playlists: async () => spotify,
    leases: leases(),
    sendDm: async (memberId) => (dms.push(memberId), 'sent'),
    nonce: (memberId, week) => `${memberId}${week}`,
    refreshedMessage: () => ({ content: 'refreshed' }),
    instanceId: 'test',
  });

  it('a playlist the member deleted in Spotify is made again, and the radar remembers the new one', async () => {
    const { spotify, playlists } = fakeSpotify();
    let n = 0;
    const d = radarDeps(
      spotify,
      engine((count) => Array.from({ length: count }, () => track(++n))),
      [],
    );
    await turnRadarOn(d, 'r1', undefined, NOW);
    const first = (await d.radar.get('r1'))!.playlistId!;
    playlists.delete(first);
    const outcome = await refreshRadar(d, 'r1', NOW + 7 * DAY, { priority: 'background', notify: true });
    expect(outcome.kind).toBe('refreshed');
    const second = (await d.radar.get('r1'))!.playlistId!;
    expect(second).not.toBe(first);
    expect(playlists.get(second)!.uris).toHaveLength(20);
  });

  it('a week with nothing new keeps last week’s tracks, counts as done and sends no DM', async () => {
    const { spotify, playlists } = fakeSpotify();
    const dms: string[] = [];
    const same = Array.from({ length: 20 }, (_, i) => track(100 + i));
    const d = radarDeps(
      spotify,
      engine(() => same),
      dms,
    );
    await turnRadarOn(d, 'r2', undefined, NOW);
    const id = (await d.radar.get('r2'))!.playlistId!;
    const before = [...playlists.get(id)!.uris];
    expect(await refreshRadar(d, 'r2', NOW + 7 * DAY, { priority: 'background', notify: true })).toEqual({
      kind: 'empty',
    });
    expect(playlists.get(id)!.uris).toEqual(before);
    expect(dms).toEqual([]);
    expect((await d.radar.due('2026-12-07')).map((r) => r.memberId)).not.toContain('r2');
  });
});

describe('Sounds of <server>', () => {
  const t = (n: number, artistId: string): ServerTrack => ({
    trackId: `t${n}`,
    name: `T${n}`,
    artistId,
    artistName: artistId,
    plays: 100 - n,
    listeners: 1,
  });

  it('spreads artists: at most two tracks of one artist, in order', () => {
    const picked = pickServerTracks([t(1, 'a'), t(2, 'a'), t(3, 'a'), t(4, 'b'), t(5, 'a'), t(6, 'c')]);
    expect(picked.map((p) => p.trackId)).toEqual(['t1', 't2', 't4', 't6']);
  });

  it('a server turned on after a month is not refreshed for that month; one turned on during it is', async () => {
    const { spotify } = fakeSpotify();
    const announced: string[] = [];
    const deps: ServerPlaylistDeps = {
      repo: createServerPlaylistRepository(store().pool),
      optedIn: async () => [],
      playlists: async () => spotify,
      leases: leases(),
      guildName: () => 'Test',
      ownsGuild: () => true,
      announce: async (guildId) => (announced.push(guildId), 'channel'),
      nonce: (g, m) => `${g}${m}`,
      announcementMessage: () => ({ content: 'announced' }),
      instanceId: 'test',
    };
    const enabledAt = Date.UTC(2026, 10, 20);
    await turnServerPlaylistOn(deps, 'g1', 'admin', enabledAt);
    const record = (await deps.repo.get('g1'))!;
    // 25 Nov: October ended before it was turned on.
    expect(await refreshServerPlaylist(deps, record, Date.UTC(2026, 10, 25))).toBe('none');
    // 1 Dec: November, the month it was turned on in; nobody shared listening, so it is quiet.
    expect(monthKey(Date.UTC(2026, 11, 1), -1)).toBe('2026-11');
    expect(await refreshServerPlaylist(deps, record, Date.UTC(2026, 11, 1, 0, 23))).toBe('quiet');
    expect(await refreshServerPlaylist(deps, record, Date.UTC(2026, 11, 1, 1, 23))).toBe('none');
    expect(announced).toEqual([]);
  });
});

describe('Sounds of <server> announcements', () => {
  it('an announcement Discord refused is posted on a later tick, without refreshing the playlist again', async () => {
    const history = createHistoryRepository(store().pool);
    await history.insertPlays(
      'p1',
      [1, 2, 3].map((n) => ({
        playedAt: Date.UTC(2026, 10, 10 + n, 20),
        track: {
          id: `sp${n}`,
          name: `Song ${n}`,
          durationMs: 200_000,
          artists: [{ id: `sa${n}`, name: `Singer ${n}` }],
        },
        msPlayed: 200_000,
        msEstimated: false,
        source: 'collected' as const,
        genre: 'pop',
      })),
    );
    const { spotify } = fakeSpotify();
    let replaces = 0;
    const counting: MemberPlaylists = { ...spotify, replace: (id, uris) => (replaces++, spotify.replace(id, uris)) };
    const posts: string[] = [];
    let discordDown = true;
    const deps: ServerPlaylistDeps = {
      repo: createServerPlaylistRepository(store().pool),
      optedIn: async () => ['p1'],
      playlists: async () => counting,
      leases: leases(),
      guildName: () => 'Test',
      ownsGuild: () => true,
      async announce(_guildId, _owner, _message, nonce) {
        if (discordDown) throw new Error('Discord answered 503');
        posts.push(nonce);
        return 'channel';
      },
      nonce: (g, m) => `${g}${m}`,
      announcementMessage: () => ({ content: 'announced' }),
      instanceId: 'test',
    };
    await turnServerPlaylistOn(deps, 'g2', 'admin', Date.UTC(2026, 10, 5));
    const record = (await deps.repo.get('g2'))!;
    const before = replaces;
    await expect(refreshServerPlaylist(deps, record, Date.UTC(2026, 11, 1, 0, 23))).rejects.toThrow('503');
    expect(replaces).toBe(before + 1);
    discordDown = false;
    expect(await refreshServerPlaylist(deps, record, Date.UTC(2026, 11, 1, 1, 23))).toBe('refreshed');
    expect(await refreshServerPlaylist(deps, record, Date.UTC(2026, 11, 1, 2, 23))).toBe('none');
    expect(posts).toEqual(['g22026-11']);
    expect(replaces).toBe(before + 1);
    expect((await deps.repo.month('g2', '2026-11'))?.announced).toBe('channel');
  });
});

describe('reasons in words', () => {
  const names = new Map([
    ['u1', 'bob'],
    ['u2', 'carol'],
  ]);
  it('says who played it, how alike their taste is (the scorer’s score, out of 100), and how often', () => {
    const artist = (n: number, plays: number) => ({ id: `ar${n}`, name: `Artist ${n}`, plays });
    const asker: TasteInput = {
      artists: [artist(1, 40), artist(2, 30), artist(3, 20), artist(4, 10)],
      genres: [
        { genre: 'electronic', plays: 70 },
        { genre: 'rock', plays: 30 },
      ],
    };
    const bob: TasteInput = {
      artists: [artist(1, 50), artist(2, 20), artist(5, 30)],
      genres: [{ genre: 'electronic', plays: 100 }],
    };
    const carol: TasteInput = {
      artists: [artist(3, 10), artist(6, 60)],
      genres: [
        { genre: 'rock', plays: 50 },
        { genre: 'electronic', plays: 20 },
      ],
    };
    // The listeners as the engine ranks them: the real scorer's similarity, most similar first.
    const listeners = similarMembers(asker, [
      { memberId: 'u2', taste: carol },
      { memberId: 'u1', taste: bob },
    ]);
    expect(listeners.map((l) => l.memberId)).toEqual(['u1', 'u2']);
    const score = compatibility(asker, bob).score;
    expect(score).toBeGreaterThanOrEqual(MIN_SIMILARITY);
    expect(score).toBeLessThan(100);
    expect(reasonText({ source: 'server', listeners, plays: 14 }, names)).toBe(
      `bob and carol (taste ${score} % like yours) played it 14 times this month`,
    );
  });
  it('names the artist and their rank for releases and deeper cuts, and the genre with its plays', () => {
    expect(
      reasonText({ source: 'newRelease', artistName: 'Bicep', artistRank: 3, releaseDate: '2026-11-20' }, names),
    ).toBe('new from Bicep (out 20 Nov 2026), your #3 artist');
    expect(reasonText({ source: 'deepCut', artistName: 'Bicep', artistRank: 3, albumName: 'Isles' }, names)).toBe(
      'a deeper cut from Bicep’s *Isles*, your #3 artist',
    );
    expect(reasonText({ source: 'genre', genre: 'uk garage', genrePlays: 40, period: 'week' }, names)).toBe(
      'top in UK garage, a genre you played 40 times this week',
    );
  });
  it('never lets a member’s name turn into markdown or a mention', () => {
    const odd = new Map([['u1', '*bob* <@123>']]);
    const text = reasonText({ source: 'server', listeners: [{ memberId: 'u1', similarity: 50 }], plays: 2 }, odd);
    expect(text).toContain('\\*bob\\*');
    expect(text).toContain('twice');
  });
  it('says what a short Spotify budget made it skip, and nothing about requests otherwise', () => {
    const answer = {
      id: 'a1',
      memberId: 'm',
      createdAt: NOW,
      suggestions: [track(1), track(2)],
      liked: [],
      dismissed: [],
    };
    const description = (skipped: Array<'newRelease' | 'deepCut'>) =>
      JSON.stringify(layoutTexts(suggestAnswerMessage(answer, { names, skipped })));
    expect(description(['newRelease', 'deepCut'])).toContain(
      'so I skipped new releases of your artists and deeper cuts of your artists this time',
    );
    expect(description([])).not.toMatch(/budget|request|skipped/i);
  });
});
