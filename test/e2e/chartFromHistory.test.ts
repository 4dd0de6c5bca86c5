import { describe, expect, it } from 'vitest';
import type { EUser } from '../../emulators/discord/index.js';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { manualTicks } from '../support/manualTicks.js';
import { linkUrl, text } from '../support/messages.js';

const DAY = 86_400_000;
// Scheduled jobs run only when a test ticks them: no collector poll sends a request behind a chart's back.
const ticks = manualTicks();
const h = useEncoreHarness({ jobTicks: ticks.source });

/** Uploads `spotifyUser`'s Extended streaming history for the past `days` through /import's one-time page. */
async function importHistory(member: EUser, spotifyUser: string, days: number) {
  await h.invoke('/import', {}, member);
  const now = Date.now();
  const zip = await h.spotify.exportExtendedHistory(spotifyUser, { from: now - days * DAY, to: now });
  const res = await fetch(linkUrl(h.dmsOf(member).at(-1)!), { method: 'POST', body: new Uint8Array(zip) });
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('"done"');
}

/** /chart as `member`, with the Spotify API requests it caused. */
async function chart(member: EUser, options: Record<string, unknown>) {
  const before = h.spotify.requests.length;
  const seen = await h.invoke('/chart', options, member);
  const file = seen.final!.files[0]!;
  return { alt: file.description ?? '', embed: text(seen.final), spotify: h.spotify.requests.slice(before) };
}

let rich: EUser | undefined;

describe('/chart top lists from history first', () => {
  it('draws a member’s top tracks, artists and genres from their imported history with no Spotify request', async () => {
    const alice = (rich = h.member('history-rich'));
    expect((await h.link(alice, 'alice')).status).toBe(200);
    await importHistory(alice, 'alice', 60);

    const tracks = await chart(alice, { kind: 'top-tracks' });
    expect(tracks.spotify).toEqual([]);
    expect(tracks.embed).toContain('Counted from your listening history in Encore (last 4 weeks)');
    // The top track's count is what alice played of it over the 28 UTC days the chart reads.
    const since = Math.floor(Date.now() / DAY) * DAY - 27 * DAY;
    const truth = new Map<string, number>();
    for (const p of h.spotify.listening.playsBetween('alice', since, Date.now()))
      truth.set(p.trackId, (truth.get(p.trackId) ?? 0) + 1);
    const most = Math.max(...truth.values());
    expect(tracks.alt).toMatch(new RegExp(`^Ranked bar chart of your top tracks: .+ — .+ ${most} plays · `));

    const artists = await chart(alice, { kind: 'top-artists', range: 'short_term' });
    expect(artists.spotify).toEqual([]);
    expect(artists.alt).toMatch(/^Ranked bar chart of your top artists: [^,]+ \d+ plays · /);

    // Genres come from the shared cache alone: nothing taught it these artists, so every play is
    // "not yet classified", and the chart says the lookups are catching up rather than ask Spotify.
    const genres = await chart(alice, { kind: 'top-genres' });
    expect(genres.spotify).toEqual([]);
    expect(genres.alt).toMatch(/^Your top genres: Not enough data yet/);
    expect(genres.embed).toContain('100% of this listening is by artists Encore hasn’t placed in a genre yet');
  }, 120_000);

  it('asks Spotify only for a range the history does not cover, and for a member with thin history', async () => {
    const alice = rich!;
    // 60 days of history do not cover "last 6 months".
    const half = await chart(alice, { kind: 'top-artists', range: 'medium_term' });
    expect(half.spotify.map((r) => r.path)).toEqual(['/me/top/artists']);
    expect(half.embed).toContain('Spotify’s top items (last 6 months), without play counts');
    expect(half.alt).toMatch(/^Ranked bar chart of your top artists: 1\. /);

    const bob = h.member('history-thin');
    expect((await h.link(bob, 'bob')).status).toBe(200);
    const thin = await chart(bob, { kind: 'top-artists' });
    expect(thin.spotify.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /me/top/artists 200']);
    expect(thin.spotify[0]!.userId).toBe('bob');
    expect(thin.embed).toContain('doesn’t cover that span yet');
    expect(thin.alt).toMatch(/^Ranked bar chart of your top artists: 1\. /);
  }, 60_000);
});
