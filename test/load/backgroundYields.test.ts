import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { EUser } from '../../emulators/discord/index.js';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { manualTicks } from '../support/manualTicks.js';

/**
 * Issue 17: background work yields to members' requests. The pacer lets one request fly at a time
 * (concurrency 1) so the order in which requests reach the Spotify emulator is the order the pacer
 * chose; a gate at the emulator holds the one in flight while the test lines the others up.
 */
const MEMBERS = 12;
const h = useEncoreHarness({
  spotify: { listeners: MEMBERS - 5 },
  spotifyLimits: { concurrency: 1 },
  config: { SPOTIFY_USER_CAP: MEMBERS },
  // The pass runs when the test says (runNow): a real-time tick while the members link would poll
  // some of them early, and the pass would then find them not due (10 polls for 12 members).
  jobTicks: manualTicks().source,
});
const spotifyIds = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  ...Array.from({ length: MEMBERS - 5 }, (_, k) => `listener${k + 1}`),
];
let members: EUser[];

beforeAll(async () => {
  for (const id of spotifyIds.slice(5)) h.spotify.control.allowlist.add(id);
  members = [];
  for (const id of spotifyIds) {
    const member = h.member(`${id}-load`);
    expect((await h.link(member, id)).status).toBe(200);
    members.push(member);
  }
}, 120_000);

/** A gate at the emulator for the first request matching `path`: held until `open()`. */
function gateFirst(path: string | RegExp) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  h.spotify.addFault({ method: 'GET', path, gate, times: 1 });
  return { open };
}

const arrivals = () => h.spotify.requests.map((r) => `${r.method} ${r.path}`);
const settledChart = (i: { original?: { files: unknown[] } }) => (i.original?.files.length ?? 0) > 0;

describe('background work yields to members', () => {
  it('a collector pass over every member queues behind a member’s /chart: the chart’s request is the next to reach Spotify, and every member is still polled', async () => {
    const gate = gateFirst('/me/player/recently-played');
    const start = h.spotify.requests.length;
    const collecting = h.encore.jobs.runNow('collect-history');
    // The first poll is held at the emulator; the collector's other polls wait at the pacer behind it.
    await vi.waitFor(() => expect(h.encore.gateway.queued().background).toBeGreaterThan(0));

    const chart = h.emulator.chatInput('chart', { kind: 'top-artists' }, members[3]!, { guild: h.guild });
    await vi.waitFor(() => expect(h.encore.gateway.queued().interactive).toBe(1));
    gate.open();
    await vi.waitFor(() => expect(settledChart(chart)).toBe(true), { timeout: 20_000 });
    await collecting;

    const seen = arrivals().slice(start);
    expect(seen[0]).toBe('GET /me/player/recently-played');
    expect(seen[1]).toBe('GET /me/top/artists');
    // Yielding is not starving: the pass polled every linked member.
    expect(seen.filter((r) => r === 'GET /me/player/recently-played')).toHaveLength(MEMBERS);
    const polled = await h.encore.store.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM collector_state WHERE last_poll_at IS NOT NULL`,
    );
    expect(Number(polled.rows[0]!.n)).toBe(MEMBERS);
  });
});
