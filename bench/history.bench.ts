import { randomBytes } from 'node:crypto';
import { createLogger } from '../src/log.js';
import { CADENCE } from '../src/core/history/index.js';
import { startSpotifyEmulator } from '../emulators/spotify/index.js';
import { linkMembers, simulatedClock, startCollectorInstance } from '../scripts/support/collectorWorld.js';
import { benchStore, table } from './support.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const DAYS = 7;
const T0 = Date.UTC(2026, 10, 16); // a Monday

/**
 * Collector requests per member per day over a simulated week: the collector job ticking every
 * minute (moved clock) against the emulator, for a heavy listener (5 h a day), a light one
 * (1 h a day) and an idle one (nothing all week). Targets from issue 13: about every 20 minutes
 * while listening (at most 72 a day, a little more after nearly full pages: ≤ 80; hourly polls
 * while asleep bring it lower), every 2 hours when idle (12 a day: ≤ 13), and no play lost.
 */
export default async function historyBench(): Promise<void> {
  const { store, dispose } = await benchStore();
  const clock = simulatedClock(T0);
  const emulator = await startSpotifyEmulator({
    now: clock.at,
    listening: { alice: { hoursPerDay: 5 }, dave: { hoursPerDay: 1 }, erin: { hoursPerDay: 0 } },
  });
  try {
    const log = createLogger('silent');
    const instance = await startCollectorInstance({
      name: 'bench',
      store,
      emulator,
      clock,
      encryptionKey: randomBytes(32).toString('base64'),
      log,
    });
    const users = { alice: 'active (5 h/day)', dave: 'light (1 h/day)', erin: 'idle (no plays)' } as const;
    const ids = await linkMembers(instance, emulator, Object.keys(users), T0 - 30 * DAY);
    const started = performance.now();
    for (let at = T0; at < T0 + DAYS * DAY; at += MIN) {
      clock.set(at);
      await instance.tick(at);
    }
    const seconds = (performance.now() - started) / 1000;
    const rows = [['listener', 'requests/day', 'plays/day', 'stored', 'gaps', 'target', 'result']];
    for (const [user, label] of Object.entries(users)) {
      const requests = emulator.requests.filter((r) => r.userId === user).length;
      const played = emulator.listening.playsBetween(user, T0, T0 + DAYS * DAY).length;
      const memberId = ids.get(user)!;
      const stored = (await instance.history.service.repo.plays(memberId, T0)).length;
      const gaps = (await instance.history.service.repo.gaps(memberId)).length;
      const perDay = requests / DAYS;
      const idle = played === 0;
      const limit = idle ? Math.ceil(DAY / CADENCE.idleMs) + 1 : 80;
      const met = perDay <= limit && gaps === 0 && stored >= played;
      rows.push([
        label,
        perDay.toFixed(1),
        (played / DAYS).toFixed(1),
        String(stored),
        String(gaps),
        idle ? `≤ ${limit}/day` : `≤ ${limit}/day (72 at 20 min), none lost`,
        met ? 'met' : 'MISSED',
      ]);
    }
    table(rows);
    console.log(
      `(${DAYS} simulated days, a tick a minute: ${seconds.toFixed(1)} s; stored counts plays from the week's start, the first poll also brings the 50 before)`,
    );
    await instance.stop();
  } finally {
    await emulator.close();
    await dispose();
  }
}
