import { describe, expect, it } from 'vitest';
import type { DigestSettings } from '../../src/app/digest/ports.js';
import type { Suggestion } from '../../src/app/suggest/ports.js';
import { RADAR_SIZE } from '../../src/app/suggest/radar.js';
import type { LeaderboardView, WhoKnowsView } from '../../src/app/social/social.js';
import { historyChartData } from '../../src/app/charts/historyChart.js';
import type { HistoryReader } from '../../src/app/charts/ports.js';
import { topGenresChart } from '../../src/charts/builders.js';
import { buildServerChart } from '../../src/charts/serverChart.js';
import { buildMemberWrapped, buildServerDigest } from '../../src/core/digest/index.js';
import {
  digestMessage,
  digestSettingsMessage,
  weeklyWrappedMessage,
} from '../../src/discord/messages/digestMessages.js';
import { timeZoneSavedMessage, timeZoneShownMessage } from '../../src/discord/messages/settingsMessages.js';
import { leaderboardMessage, metricValue, whoKnowsMessage } from '../../src/discord/messages/socialMessages.js';
import { radarOnMessage, radarRefreshedMessage } from '../../src/discord/messages/suggestMessage.js';

/** What a member reads: the message as JSON, without the bidi isolation marks around names. */
const read = (message: unknown) => JSON.stringify(message).replace(/[\u2068\u2069]/g, '');

const MIN = 60_000;
/** 5 h 38 min 40 s: rounded once it is 5 h 39 min, wherever it is shown. */
const WEEK_MS = (5 * 60 + 38) * MIN + 40_000;

const digestOf = (genres: Array<{ genre: string; ms: number }>) =>
  buildServerDigest({
    week: '2026-11-30',
    thisWeek: [
      { memberId: 'ana', ms: WEEK_MS, plays: 70 },
      { memberId: 'ben', ms: 30 * MIN, plays: 8 },
    ],
    lastWeek: [],
    topArtists: [{ artistId: 'a1', name: 'Bicep', plays: 40, ms: 3 * 60 * MIN }],
    topTracks: [{ trackId: 't1', name: 'Glue', artists: ['Bicep'], plays: 12 }],
    genres: genres.map((g) => ({ ...g, plays: 1 })),
    lastWeekGenres: [],
    discoveries: [],
  });
const digestText = (genres: Array<{ genre: string; ms: number }>) =>
  read(
    digestMessage(
      digestOf(genres),
      {
        names: new Map([
          ['ana', 'Ana'],
          ['ben', 'Ben'],
        ]),
        guildName: 'Encore Fans',
        charts: [],
      },
      { late: false, missedPrevious: false },
    ),
  );

describe('one listening time, rounded once', () => {
  it('the same week reads 5 h 39 min in the digest, in /wrapped and on a /chart', async () => {
    const digest = digestText([{ genre: 'rock', ms: WEEK_MS }]);
    expect(digest).toContain('**1.** Ana · 5 h 39 min');
    const wrapped = buildMemberWrapped({
      week: '2026-11-30',
      ms: WEEK_MS,
      plays: 70,
      lastWeekMs: 0,
      topArtists: [],
      topTracks: [],
      genres: [],
      discoveries: 0,
    })!;
    expect(read(weeklyWrappedMessage(wrapped))).toContain('**5 h 39 min** · 70 plays');
    const history: Partial<HistoryReader> = {
      summary: async () => ({ plays: 70, ms: WEEK_MS }),
      gaps: async () => [],
      topArtists: async () => [{ artistId: 'a1', name: 'Bicep', plays: 40, ms: 65 * MIN }],
    };
    const chart = await historyChartData('top-artists', 'week', 'ana', Date.parse('2026-12-01T12:00:00Z'), {
      history: history as HistoryReader,
      timeZoneOf: async () => undefined,
      spotify: () => Promise.reject(new Error('history is not thin')),
    });
    expect(chart.data.subtitle).toContain('70 plays · 5 h 39 min');
    // "1 h 5 min" on a chart as everywhere else, not "1 h 05 min".
    expect(chart.data.kind === 'top-artists' && chart.data.artists[0]!.valueLabel).toBe('40 plays · 1 h 5 min');
    // …and on the minutes leaderboard, which carries milliseconds up to the one rounding.
    expect(metricValue('minutes', WEEK_MS)).toBe('5 h 39 min');
  });
});

describe('“Unclassified”: one rule in every view', () => {
  const afterImport = [
    { genre: 'unclassified', ms: 80 * MIN },
    { genre: 'rock', ms: 15 * MIN },
    { genre: 'pop', ms: 5 * MIN },
  ];

  it('the digest names it “Not yet classified” and lists it last, whatever its share', () => {
    const text = digestText(afterImport);
    expect(text).toContain('Top genres: Rock 15% · Pop 5% · Not yet classified 80%');
    expect(text).not.toContain('Unclassified');
  });

  it('the server’s top-genres chart draws it, last, with shares of all listening', () => {
    const chart = buildServerChart(
      { kind: 'top-genres', genres: afterImport.map((g) => ({ ...g, plays: 1 })) },
      { guildName: 'Encore Fans', period: 'week' },
    );
    expect('rows' in chart && chart.rows.map((r) => ('label' in r ? r.label : ''))).toEqual([
      'Rock',
      'Pop',
      'Not yet classified',
    ]);
    expect(chart.altText).toMatch(/Rock 15%, Pop 5\.0%, Not yet classified 80%\.$/);
  });

  it('a member’s own genre chart (labelled by the history) puts it last too', () => {
    const chart = topGenresChart(
      [
        { genre: 'Unclassified', share: 0.7 },
        { genre: 'Hip-hop', share: 0.3 },
      ],
      { title: 'Your top genres' },
    );
    expect(chart.altText).toBe('Bar chart of your top genres: Hip-hop 30%, Not yet classified 70%.');
  });

  it('keeps its row, last, when more genres than the chart has bars are listened to', () => {
    const families = [
      'Rock',
      'Pop',
      'Jazz',
      'Metal',
      'Latin',
      'Blues',
      'Country',
      'Folk',
      'Funk',
      'Reggae',
      'Soul',
      'Punk',
      'Disco',
    ];
    const chart = topGenresChart(
      [...families.map((genre, i) => ({ genre, share: (20 - i) / 250 })), { genre: 'Unclassified', share: 0.02 }],
      { title: 'Your top genres' },
    );
    const labels = 'rows' in chart ? chart.rows.map((r) => ('label' in r ? r.label : '')) : [];
    expect(labels).toHaveLength(12);
    expect(labels.at(-1)).toBe('Not yet classified');
    expect(labels.slice(0, 11)).toEqual(families.slice(0, 11));
  });

  it('/wrapped never calls it the top genre', () => {
    const wrapped = buildMemberWrapped({
      week: '2026-11-30',
      ms: 100 * MIN,
      plays: 20,
      lastWeekMs: 0,
      topArtists: [],
      topTracks: [],
      genres: afterImport.map((g) => ({ ...g, plays: 1 })),
      discoveries: 0,
    })!;
    expect(read(weeklyWrappedMessage(wrapped))).toContain('Top genre: **Rock**');
  });
});

describe('charts keep names as they are spelled', () => {
  it('alt text lowers only the first letter of a title: server names keep their capitals', () => {
    const chart = buildServerChart(
      {
        kind: 'top-artists',
        artists: [
          { name: 'Bicep', plays: 9, ms: 1 },
          { name: 'Floating Points', plays: 4, ms: 1 },
        ] as never,
      },
      { guildName: 'Encore Fans', period: 'week' },
    );
    expect(chart.altText).toMatch(/^Ranked bar chart of top artists in Encore Fans: /);
  });
});

describe('the leaderboards say why someone is not on them', () => {
  const unranked = (metric: LeaderboardView['metric']): LeaderboardView => ({
    metric,
    period: 'week',
    page: 0,
    pages: 1,
    total: 1,
    rows: [{ memberId: 'ana', value: 2.1, rank: 1 }],
    you: { kind: 'unranked' },
  });

  it('the diversity board does not tell a member who played all week that nothing was counted', () => {
    const text = read(leaderboardMessage(unranked('diversity'), { guildName: 'Encore Fans', callerId: 'ben' }));
    expect(text).not.toContain('nothing counted');
    expect(text).toContain('diversity needs plays in at least two genres Encore has classified');
  });

  it('the plays board still says nothing was counted', () => {
    const text = read(leaderboardMessage(unranked('plays'), { guildName: 'Encore Fans', callerId: 'ben' }));
    expect(text).toContain('not ranked yet — nothing counted for this period');
  });
});

describe('/whoknows states the crown once', () => {
  const since = Date.parse('2026-11-01T00:00:00Z');
  const view: WhoKnowsView = {
    item: { kind: 'artist', id: 'a1', name: 'Bicep' },
    listeners: [
      { memberId: 'ana', plays: 40, ms: 1, rank: 1 },
      { memberId: 'ben', plays: 12, ms: 1, rank: 2 },
    ],
    crown: { guildId: 'g', artistId: 'a1', artistName: 'Bicep', holderId: 'ana', plays: 40, since },
    threshold: 30,
  };

  it('on the holder’s row, with since when, and not again below', () => {
    const text = read(whoKnowsMessage(view, { guildName: 'Encore Fans', callerId: 'ben' }));
    expect(text.match(/👑/g)).toHaveLength(1);
    // The tour showed both "crown since" and "No crown yet" on one answer.
    expect(text).not.toContain('No crown yet');
    expect(text).toContain(`👑 <@ana> · 40 plays · crown since <t:${since / 1000}:D>`);
  });

  it('in a line below when the holder is not among those listed', () => {
    const text = read(
      whoKnowsMessage({ ...view, listeners: view.listeners.slice(1) }, { guildName: 'Encore Fans', callerId: 'ben' }),
    );
    expect(text.match(/👑/g)).toHaveLength(1);
    expect(text).toContain('👑 Crown: <@ana> · 40 plays');
  });
});

describe('Encore Radar’s count', () => {
  const tracks = (n: number): Suggestion[] =>
    Array.from({ length: n }, (_, i) => ({
      trackId: `t${i}`,
      uri: `spotify:track:t${i}`,
      name: `Song ${i}`,
      artists: [{ id: `a${i}`, name: `Artist ${i}` }],
      reason: { source: 'genre', genre: 'trap', genrePlays: 3 },
    }));

  it(`says ${RADAR_SIZE} fresh tracks when it found them, as the README promises`, () => {
    expect(RADAR_SIZE).toBe(20);
    const text = read(
      radarRefreshedMessage({ memberId: 'ana', playlistId: 'p', week: '2026-11-30', suggestions: tracks(20) }),
    );
    expect(text).toContain('20 fresh tracks in your Encore Radar playlist');
  });

  it('says how many of the 20 when fewer were new to the member', () => {
    const refreshed = read(
      radarRefreshedMessage({ memberId: 'ana', playlistId: 'p', week: '2026-11-30', suggestions: tracks(12) }),
    );
    expect(refreshed).toContain('12 fresh tracks (of the 20 it aims for: only these were new to you this week)');
    const on = read(radarOnMessage('p', { kind: 'refreshed', playlistId: 'p', suggestions: tracks(12) }));
    expect(on).toContain('It’s ready with 12 fresh tracks (of the 20 it aims for');
  });
});

describe('time zones read the same in /settings and /digest', () => {
  const zone = 'America/Argentina/La_Rioja';
  const settings: DigestSettings = {
    guildId: 'g',
    enabled: true,
    channelId: 'c',
    weekday: 1,
    hour: 9,
    timeZone: zone,
    enabledAt: 0,
  };

  it('both say “La Rioja”', () => {
    for (const text of [
      read(timeZoneSavedMessage(zone, Date.parse('2026-12-07T12:00:00Z'))),
      read(timeZoneShownMessage(zone, 'UTC')),
      read(digestSettingsMessage(settings)),
    ]) {
      expect(text).toContain('America/Argentina/La Rioja');
      expect(text).not.toContain('La_Rioja');
    }
  });

  it('/digest tells the admin when the next digest posts, and says nothing of it when the digest is off', () => {
    const next = Date.parse('2026-12-14T12:00:00Z');
    expect(read(digestSettingsMessage(settings, 'Saved.', next))).toContain(
      `Next digest: <t:${next / 1000}:f> (<t:${next / 1000}:R>)`,
    );
    expect(read(digestSettingsMessage({ ...settings, enabled: false }, 'Saved.', next))).not.toContain('Next digest');
  });
});
