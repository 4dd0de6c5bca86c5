import { afterEach, describe, expect, it } from 'vitest';
import {
  startListenBrainzEmulator,
  type ListenBrainzEmulator,
  type ListenBrainzEmulatorOptions,
} from '../../emulators/listenbrainz/index.js';

// The emulator is what the client's tests trust, so its ListenBrainz behaviour (docs/listenbrainz.md)
// is checked here with plain fetch.

let emulator: ListenBrainzEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const START = Date.UTC(2026, 10, 1, 12);
let clock = START;

async function start(options: ListenBrainzEmulatorOptions = {}) {
  clock = START;
  emulator = await startListenBrainzEmulator({
    now: () => clock,
    users: [
      { name: 'ana', years: 1, perDay: 12, seed: 2 },
      { name: 'quiet', years: 0, seed: 3 },
    ],
    rateLimit: { perIp: 1000 },
    ...options,
  });
  return emulator;
}

/** Enough of ListenBrainz's answers for these checks. */
interface Answer {
  readonly code?: number;
  readonly payload: { readonly count: number; readonly listens: ReadonlyArray<{ readonly listened_at: number }> };
}

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${emulator!.url}${path}`, { headers });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer };
}

describe('the ListenBrainz emulator', () => {
  it('answers listens newest first, 25 by default and at most 1000, with the payload ListenBrainz sends', async () => {
    const e = await start();
    const truth = e.user('ana').history.all();
    const first = await get('/1/user/ana/listens');
    expect(first.status).toBe(200);
    expect(first.body.payload).toMatchObject({
      count: 25,
      user_id: 'ana',
      latest_listen_ts: truth[0]!.listenedAt,
      oldest_listen_ts: truth.at(-1)!.listenedAt,
    });
    expect(first.body.payload.listens.map((l) => l.listened_at)).toEqual(truth.slice(0, 25).map((l) => l.listenedAt));
    const capped = await get('/1/user/ana/listens?count=5000');
    expect(capped.body.payload.count).toBe(1000);
  });

  it('treats max_ts and min_ts as exclusive, and with min_ts answers the listens just after it', async () => {
    const e = await start();
    const truth = e.user('ana').history.all();
    const pivot = truth[500]!.listenedAt;
    const below = await get(`/1/user/ana/listens?max_ts=${pivot}&count=3`);
    expect(below.body.payload.listens.every((l) => l.listened_at < pivot)).toBe(true);
    const above = await get(`/1/user/ana/listens?min_ts=${pivot}&count=3`);
    const expected = truth
      .filter((l) => l.listenedAt > pivot)
      .slice(-3)
      .map((l) => l.listenedAt);
    expect(above.body.payload.listens.map((l) => l.listened_at)).toEqual(expected);
  });

  it('refuses bad parameters with 400 and an unknown user with 404, in ListenBrainz error bodies', async () => {
    await start();
    expect(await get('/1/user/ana/listens?max_ts=10&min_ts=10')).toMatchObject({
      status: 400,
      body: { code: 400, error: 'max_ts should be greater than min_ts' },
    });
    expect((await get('/1/user/ana/listens?max_ts=yesterday')).status).toBe(400);
    expect((await get('/1/user/ana/listens?count=-1')).status).toBe(400);
    expect(await get('/1/user/nobody/listens')).toMatchObject({
      status: 404,
      body: { code: 404, error: 'Cannot find user: nobody' },
    });
    expect((await get('/1/user/nobody/playing-now')).status).toBe(404);
    expect((await get('/1/user/nobody/listen-count')).status).toBe(404);
  });

  it('answers validate-token 200 with valid true or false, and 400 without a token', async () => {
    const e = await start();
    expect((await get('/1/validate-token', { Authorization: `Token ${e.user('ana').token}` })).body).toEqual({
      code: 200,
      message: 'Token valid.',
      valid: true,
      user_name: 'ana',
    });
    expect((await get('/1/validate-token', { Authorization: 'Token not-a-token' })).body).toEqual({
      code: 200,
      message: 'Token invalid.',
      valid: false,
    });
    expect((await get('/1/validate-token')).status).toBe(400);
  });

  it('counts requests per IP in windows aligned on the window size, and answers 429 past the limit', async () => {
    await start({ rateLimit: { perIp: 3, windowSec: 10 } });
    clock = Date.UTC(2026, 10, 1, 12, 0, 4); // 4 s into a window
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await get('/1/user/ana/listen-count'));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((a) => a.headers.get('X-RateLimit-Remaining'))).toEqual(['2', '1', '0', '0']);
    expect(answers[0]!.headers.get('X-RateLimit-Reset-In')).toBe('6');
    expect(answers[0]!.headers.get('X-RateLimit-Reset')).toBe(String(Date.UTC(2026, 10, 1, 12, 0, 10) / 1000));
    expect(answers[3]!.body.code).toBe(429);
    clock = Date.UTC(2026, 10, 1, 12, 0, 10);
    expect((await get('/1/user/ana/listen-count')).status).toBe(200);
  });

  it('keeps an empty account: 200 with no listens and zero timestamps', async () => {
    await start();
    expect((await get('/1/user/quiet/listens')).body.payload).toEqual({
      count: 0,
      listens: [],
      latest_listen_ts: 0,
      oldest_listen_ts: 0,
      user_id: 'quiet',
    });
    expect((await get('/1/user/quiet/listen-count')).body).toEqual({ payload: { count: 0 } });
  });
});
