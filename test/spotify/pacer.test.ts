import { describe, expect, it } from 'vitest';
import { LOWER_PRIORITY_TURN_EVERY, Pacer, type PaceOptions } from '../../src/spotify/pacer.js';
import type { Priority } from '../../src/spotify/types.js';

/** A clock whose timers fire only when the test moves time forward. */
function manualClock() {
  let time = 0;
  let seq = 0;
  const timers = new Set<{ at: number; seq: number; fn: () => void }>();
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => time,
    setTimer(fn: () => void, ms: number) {
      const timer = { at: time + Math.max(0, ms), seq: seq++, fn };
      timers.add(timer);
      return () => void timers.delete(timer);
    },
    /** Moves time forward by `ms`, firing each due timer at its own time, settling promises in between. */
    async advance(ms: number) {
      const end = time + ms;
      await flush();
      for (;;) {
        const due = [...timers].filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
        if (!due) break;
        timers.delete(due);
        time = Math.max(time, due.at);
        due.fn();
        await flush();
      }
      time = end;
      await flush();
    },
    sleep(ms: number) {
      return new Promise<void>((resolve) => this.setTimer(resolve, ms));
    },
  };
}

/**
 * A pacer on a manual clock with a log of request starts. Each request "takes" `latencyMs` of
 * the manual clock, and the log checks the in-flight bound as it goes.
 */
function world(concurrency: number, perSecond: number, latencyMs = 100, timerLatenessMs = 0) {
  const clock = manualClock();
  const pacer = new Pacer(concurrency, perSecond, clock.now, (fn, ms) => clock.setTimer(fn, ms + timerLatenessMs));
  const starts: Array<{ label: string; member: string; priority: Priority; at: number }> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const request = (label: string, options: PaceOptions) =>
    pacer.run(async () => {
      starts.push({ label, member: options.member, priority: options.priority, at: clock.now() });
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await clock.sleep(latencyMs);
      inFlight--;
      return label;
    }, options);
  const many = (n: number, member: string, priority: Priority = 'interactive') =>
    Array.from({ length: n }, (_, i) => request(`${member}#${i}`, { member, priority }));
  return { clock, pacer, starts, request, many, maxInFlight: () => maxInFlight };
}

const indexOf = (starts: Array<{ label: string }>, label: string) => starts.findIndex((s) => s.label === label);

describe('the fair pacer', () => {
  it('starts another member’s single request after at most one more start of a member with 1,000 queued', async () => {
    const w = world(6, 20);
    const sort = w.many(1_000, 'alice');
    await w.clock.advance(2_000); // alice's job is well under way, 995+ still queued
    expect(w.starts.length).toBeGreaterThan(30);
    expect(w.pacer.queued().interactive).toBeGreaterThan(900);

    const startsBefore = w.starts.length;
    const enqueuedAt = w.clock.now();
    const chart = w.request('bob-chart', { member: 'bob', priority: 'interactive' });
    await w.clock.advance(500);
    const position = indexOf(w.starts, 'bob-chart');
    expect(position).toBeGreaterThanOrEqual(0);
    expect(position - startsBefore).toBeLessThanOrEqual(1); // at most one of alice's starts first
    expect(w.starts[position]!.at - enqueuedAt).toBeLessThanOrEqual(2 * 50); // two start intervals at 20/s
    await expect(chart).resolves.toBe('bob-chart');

    // Four members asking at once while alice's job runs: each waits at most one turn per other waiting member.
    const before = w.starts.length;
    const others = ['bob', 'carol', 'dave', 'erin'].map((m) =>
      w.request(`${m}-again`, { member: m, priority: 'interactive' }),
    );
    await w.clock.advance(1_000);
    for (const m of ['bob', 'carol', 'dave', 'erin'])
      expect(indexOf(w.starts, `${m}-again`) - before).toBeLessThanOrEqual(4);
    await Promise.all(others);
    expect(w.pacer.queued().interactive).toBeGreaterThan(800); // alice's job is still going: it took its share, not less
    await w.clock.advance(60_000);
    await Promise.all(sort);
  });

  it('gives two members with long jobs alternate starts', async () => {
    const w = world(2, 20);
    const jobs = [...w.many(50, 'alice'), ...w.many(50, 'bob')];
    await w.clock.advance(10_000);
    await Promise.all(jobs);
    // alice's first request started before bob asked; from then on they alternate.
    const members = w.starts.map((s) => s.member).join('');
    expect(members.slice(0, 5 + 'alicebob'.length * 20)).toBe('alice' + 'alicebob'.repeat(20));
    expect(w.starts).toHaveLength(100);
  });

  it('keeps each member’s own requests in the order they were asked', async () => {
    const w = world(1, 100, 1);
    const jobs = [...w.many(20, 'alice'), ...w.many(10, 'bob')];
    await w.clock.advance(5_000);
    await Promise.all(jobs);
    for (const m of ['alice', 'bob']) {
      const labels = w.starts.filter((s) => s.member === m).map((s) => s.label);
      expect(labels).toEqual(labels.map((_, i) => `${m}#${i}`));
    }
  });

  it('starts interactive requests ahead of background ones, the same member’s included', async () => {
    const w = world(2, 20);
    const background = w.many(1_000, 'alice', 'background');
    await w.clock.advance(1_000);
    const startsBefore = w.starts.length;
    const mine = w.request('alice-chart', { member: 'alice', priority: 'interactive' });
    const theirs = w.request('bob-chart', { member: 'bob', priority: 'interactive' });
    await w.clock.advance(500);
    expect(indexOf(w.starts, 'alice-chart')).toBe(startsBefore);
    expect(indexOf(w.starts, 'bob-chart')).toBe(startsBefore + 1);
    await Promise.all([mine, theirs]);
    await w.clock.advance(60_000);
    await Promise.all(background);
  });

  it('starts background requests ahead of warming ones, and interactive ones ahead of both but for one starved turn', async () => {
    const w = world(2, 20);
    const warming = w.many(100, 'warmer', 'warming');
    const background = w.many(100, 'alice', 'background');
    await w.clock.advance(1_000);
    const startsBefore = w.starts.length;
    // Warming asked first, yet gets only its one-in-N turn while background work waits.
    expect(w.starts.filter((s) => s.priority === 'warming').length).toBeLessThanOrEqual(
      Math.ceil(startsBefore / LOWER_PRIORITY_TURN_EVERY) + 1,
    );
    const chart = w.request('bob-chart', { member: 'bob', priority: 'interactive' });
    await w.clock.advance(500);
    const ahead = w.starts.slice(startsBefore, indexOf(w.starts, 'bob-chart'));
    expect(ahead.length).toBeLessThanOrEqual(1);
    expect(ahead.every((s) => s.priority === 'warming')).toBe(true);
    await chart;
    await w.clock.advance(60_000);
    await Promise.all([...background, ...warming]);
  });

  it('still lets lower priorities through while interactive work keeps it busy', async () => {
    const w = world(3, 20);
    const background = w.many(100, 'alice', 'background');
    const interactive = w.many(100, 'bob', 'interactive');
    await w.clock.advance(2_500);
    const first = w.starts.slice(0, 40);
    const lower = first.filter((s) => s.priority === 'background').length;
    expect(lower).toBeGreaterThanOrEqual(Math.floor(40 / LOWER_PRIORITY_TURN_EVERY));
    expect(lower).toBeLessThanOrEqual(Math.ceil(40 / LOWER_PRIORITY_TURN_EVERY));
    await w.clock.advance(60_000);
    await Promise.all([...background, ...interactive]);
  });

  it('respects the global rate and concurrency limits whoever asks', async () => {
    const perSecond = 20;
    const w = world(4, perSecond, 300);
    const all = [
      ...w.many(60, 'alice'),
      ...w.many(40, 'bob', 'background'),
      ...w.many(40, 'carol', 'warming'),
      ...w.many(5, 'dave'),
    ];
    await w.clock.advance(30_000);
    await Promise.all(all);
    expect(w.starts).toHaveLength(145);
    const gaps = w.starts.slice(1).map((s, i) => s.at - w.starts[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000 / perSecond);
    for (const s of w.starts)
      expect(w.starts.filter((t) => t.at >= s.at && t.at < s.at + 1_000).length).toBeLessThanOrEqual(perSecond);
    expect(w.maxInFlight()).toBe(4);

    // Concurrency alone binds when requests are slow: never more than 4 in flight.
    const slow = world(4, 1_000, 5_000);
    const queued = [...slow.many(10, 'alice'), ...slow.many(10, 'bob')];
    await slow.clock.advance(4_999);
    expect(slow.starts).toHaveLength(4);
    await slow.clock.advance(30_000);
    await Promise.all(queued);
    expect(slow.maxInFlight()).toBe(4);
  });

  it('keeps the rate when its timer fires late, without exceeding it', async () => {
    const w = world(10, 20, 1, 7);
    const all = w.many(81, 'alice');
    await w.clock.advance(10_000);
    await Promise.all(all);
    expect(w.starts.at(-1)!.at).toBeLessThanOrEqual(80 * 50 + 7); // on the 50 ms grid, not 57 ms apart
    for (const s of w.starts)
      expect(w.starts.filter((t) => t.at >= s.at && t.at < s.at + 1_000).length).toBeLessThanOrEqual(20);
  });

  it('holds every member’s requests during a shared 429 pause and resumes at the paced rate', async () => {
    const w = world(4, 20);
    const jobs = [...w.many(20, 'alice'), ...w.many(3, 'bob'), ...w.many(2, 'carol', 'background')];
    await w.clock.advance(100);
    const pausedAt = w.clock.now();
    const startedBefore = w.starts.length;
    w.pacer.pauseUntil(pausedAt + 5_000);
    expect(w.pacer.pausedUntilTime).toBe(pausedAt + 5_000);
    await w.clock.advance(4_999);
    expect(w.starts.length).toBe(startedBefore);
    const late = w.request('erin-chart', { member: 'erin', priority: 'interactive' });
    await w.clock.advance(1);
    expect(w.starts.length).toBe(startedBefore + 1);
    // A shorter pause never shortens the longer one.
    w.pacer.pauseUntil(pausedAt);
    await w.clock.advance(10_000);
    await Promise.all([...jobs, late]);
    const after = w.starts.slice(startedBefore);
    expect(after[0]!.at).toBe(pausedAt + 5_000);
    expect(after.map((s) => s.member)).toContain('erin');
    const gaps = after.slice(1).map((s, i) => s.at - after[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50);
  });

  it('drops a request whose caller gave up while it waited, without using a slot', async () => {
    const w = world(1, 10);
    const jobs = w.many(5, 'alice');
    const controller = new AbortController();
    const abandoned = w.request('bob-gives-up', { member: 'bob', priority: 'interactive', signal: controller.signal });
    const kept = w.request('carol-waits', { member: 'carol', priority: 'interactive' });
    controller.abort(new Error('gave up'));
    await expect(abandoned).rejects.toThrow('gave up');
    await w.clock.advance(5_000);
    await Promise.all([...jobs, kept]);
    expect(indexOf(w.starts, 'bob-gives-up')).toBe(-1);
    expect(w.starts).toHaveLength(6);
    expect(indexOf(w.starts, 'carol-waits')).toBe(2); // alice's second request was ahead of her in the round
    expect(w.pacer.queued()).toEqual({ interactive: 0, background: 0, warming: 0 });
  });

  it('frees the slot of a request that failed', async () => {
    const w = world(1, 1_000);
    await expect(
      w.pacer.run(() => Promise.reject(new Error('network')), { member: 'alice', priority: 'interactive' }),
    ).rejects.toThrow('network');
    const next = w.request('after', { member: 'bob', priority: 'interactive' });
    await w.clock.advance(200);
    await expect(next).resolves.toBe('after');
  });
});
