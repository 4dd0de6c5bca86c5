import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { EUser } from '../../emulators/discord/index.js';
import { LOOKUPS_QUEUED_PER_CALL } from '../../src/spotify/genreCache.js';
import { useEncoreHarness } from '../support/encoreHarness.js';

/**
 * Issue 17: a member's long sort does not hold the same member's other requests. The pacer serves
 * one member's requests in the order they queued; a 1,000-track preview on a cold genre cache
 * needs hundreds of artist lookups, and those used to queue all at once.
 */
const h = useEncoreHarness();
let alice: EUser;
beforeAll(async () => {
  alice = h.member('alice-own-sort');
  expect((await h.link(alice, 'alice')).status).toBe(200);
}, 60_000);

const isLookup = (r: { method: string; path: string }) => r.method === 'GET' && /^\/artists\/[^/]+$/.test(r.path);

describe('a member’s own sort and their other requests', () => {
  it('answers their /chart while every artist lookup of their 1,000-track /sort preview is held at Spotify', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    h.spotify.addFault({ method: 'GET', path: /^\/artists\/[^/]+$/, gate });
    const start = h.spotify.requests.length;
    const lookups = () => h.spotify.requests.slice(start).filter(isLookup).length;
    const preview = h.emulator.chatInput('sort', { playlist: 'roadtrip1000', min_tracks: 10 }, alice, {
      guild: h.guild,
    });
    try {
      await vi.waitFor(() => expect(lookups()).toBe(LOOKUPS_QUEUED_PER_CALL), { timeout: 20_000 });

      const chart = h.emulator.chatInput('chart', { kind: 'top-artists' }, alice, { guild: h.guild });
      // Before, the sort's other lookups filled alice's queue at the pacer and the chart waited behind them all.
      await vi.waitFor(() => expect(chart.original?.files.length).toBe(1), { timeout: 20_000 });
      expect(lookups()).toBe(LOOKUPS_QUEUED_PER_CALL);
    } finally {
      open();
    }
    await vi.waitFor(() => expect(preview.original?.files.length).toBe(1), { timeout: 60_000 });
    // The sort itself still looked its artists up, hundreds of them, a few at a time.
    expect(lookups()).toBeGreaterThan(100);
    h.spotify.control.faults.length = 0;
  }, 90_000);
});
