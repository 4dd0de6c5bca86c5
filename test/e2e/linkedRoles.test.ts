import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { EMULATED_CLIENT_SECRET } from '../../emulators/discord/oauth2.js';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { manualTicks } from '../support/manualTicks.js';
import { buttons, text } from '../support/messages.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// The first of the month after next, 08:00 UTC: the week of listening below stays inside one UTC
// month, so "hours this month" is that week's hours.
const T0 = (() => {
  const d = new Date();
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 2, 1, 8);
})();
let now = T0;
let setAt = Date.now();
const emulatorClock = () => now;
const botClock = () => now + (Date.now() - setAt);
const moveTo = (at: number) => {
  now = at;
  setAt = Date.now();
};

const h = useEncoreHarness({
  spotify: { now: emulatorClock },
  clock: botClock,
  jobTicks: manualTicks().source,
  config: { DISCORD_CLIENT_SECRET: EMULATED_CLIENT_SECRET },
});

/** Moves both clocks to `to` an hour at a time, running the history collector at each step. */
async function listenUntil(to: number) {
  for (let at = now + HOUR; at <= to; at += HOUR) {
    moveTo(at);
    await h.encore.jobs.runNow('collect-history', new Date(at));
  }
  moveTo(to);
}
const refreshJob = () => h.encore.jobs.runNow('refresh-linked-roles', new Date(now));
const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0]!;

/** The member's browser: the role's "connect" link, Discord's consent page, its Authorize button, the callback. */
async function connect(memberId: string, options: { keepCookie?: boolean } = {}) {
  const start = await fetch(`${h.config.PUBLIC_URL}/linked-roles`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const cookie = cookieOf(start);
  const authorize = new URL(start.headers.get('location')!);
  const consent = await fetch(authorize);
  expect(consent.status).toBe(200);
  const consentHtml = await consent.text();
  const form = new URLSearchParams({ ...Object.fromEntries(authorize.searchParams), user_id: memberId });
  form.set('decision', 'authorize');
  const decided = await fetch(new URL('/oauth2/authorize', authorize), {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  expect(decided.status).toBe(302);
  const callback = decided.headers.get('location')!;
  const page = await fetch(callback, { headers: options.keepCookie === false ? {} : { cookie } });
  return { authorize, consentHtml, callback, status: page.status, html: await page.text() };
}

/** The member's collected listening, from the history's day rollups (UTC days). */
async function msSince(day: string) {
  const { rows } = await h.encore.store.pool.query<{ ms: string }>(
    'SELECT coalesce(sum(ms), 0)::text AS ms FROM member_daily WHERE member_id = $1 AND day >= $2::date',
    [member.id, day],
  );
  return Number(rows[0]!.ms);
}
const hoursThisMonth = async () => Math.floor((await msSince(new Date(T0).toISOString().slice(0, 10))) / HOUR);
const msAllTime = () => msSince('1970-01-01');

let member: ReturnType<typeof h.member>;
const connection = () => h.emulator.oauth2.roleConnections.get(member.id);
const putsFor = () => h.emulator.oauth2.roleConnectionPuts.filter((p) => p.userId === member.id);

beforeAll(async () => {
  member = h.member('linked-roles');
  expect((await h.link(member, 'alice')).status).toBe(200);
  // `npm run deploy-commands` against the emulator: the commands, then the Linked Roles figures.
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/discord/deployCommands.ts'], {
    env: {
      PATH: process.env.PATH,
      DISCORD_TOKEN: h.emulator.token,
      DISCORD_APP_ID: h.emulator.applicationId,
      DISCORD_API_URL: h.emulator.apiUrl,
    },
  });
  expect(stdout).toContain('Registered 3 Linked Roles figures: hours_this_month crowns linked_since');
}, 90_000);

describe('Linked Roles', () => {
  it('registers the figures a server can require, as Discord takes them', () => {
    expect(h.emulator.oauth2.metadata.map(({ key, type }) => [key, type])).toEqual([
      ['hours_this_month', 2],
      ['crowns', 2],
      ['linked_since', 6],
    ]);
  });

  it('connects a member through Discord’s OAuth2 and sets their metadata', async () => {
    const linkedAt = (await h.encore.services.accounts!.profile(member.id))!.consentAt;
    const done = await connect(member.id);
    expect(done.authorize.origin + done.authorize.pathname).toBe(
      `${new URL(h.emulator.apiUrl).origin}/oauth2/authorize`,
    );
    expect(done.authorize.searchParams.get('scope')).toBe('role_connections.write identify');
    expect(done.authorize.searchParams.get('redirect_uri')).toBe(`${h.config.PUBLIC_URL}/linked-roles/callback`);
    expect(done.consentHtml).toContain('role_connections.write identify');
    expect(done.status).toBe(200);
    expect(done.html).toContain('Encore is connected');
    expect(done.html).toContain('0 hours this month, 0 crowns');

    expect(connection()).toEqual({
      platform_name: 'Encore',
      platform_username: 'linked-roles',
      metadata: { hours_this_month: '0', crowns: '0', linked_since: new Date(linkedAt).toISOString() },
    });
    // The grant is stored like Spotify's tokens: sealed, never in the clear.
    const { rows } = await h.encore.store.pool.query<{ grant_sealed: unknown }>(
      'SELECT grant_sealed FROM linked_role_connections WHERE member_id = $1',
      [member.id],
    );
    const stored = JSON.stringify(rows[0]!.grant_sealed);
    for (const token of h.emulator.oauth2.accessTokens.keys()) expect(stored).not.toContain(token);
    expect(Object.keys(rows[0]!.grant_sealed as object).sort()).toEqual(['data', 'iv', 'keyId', 'tag']);
  });

  it('refuses a callback in a browser that did not start it, and a replayed one', async () => {
    const elsewhere = await connect(member.id, { keepCookie: false });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.html).toContain('This page has expired');
    const replay = await fetch(elsewhere.callback);
    expect(replay.status).toBe(400);
  });

  it('after a week of listening the job pushes the new hours once, and not again while nothing changed', async () => {
    const before = putsFor().length;
    const tokensBefore = h.emulator.oauth2.accessTokens.size;
    await refreshJob();
    expect(putsFor().length).toBe(before); // nothing collected yet: nothing to push

    await listenUntil(T0 + 7 * DAY);
    // The first poll also brought in plays from the month before (recently-played reaches back):
    // those are not this month's hours.
    const hours = await hoursThisMonth();
    expect(hours).toBeGreaterThan(1);
    expect(hours).toBeLessThan(Math.floor((await msAllTime()) / HOUR));

    await refreshJob();
    expect(connection()!.metadata.hours_this_month).toBe(String(hours));
    expect(putsFor().length).toBe(before + 1);
    // The bot's clock is past the week-long access token: it was refreshed before the push.
    expect(h.emulator.oauth2.accessTokens.size).toBe(tokensBefore + 1);

    await refreshJob();
    expect(putsFor().length).toBe(before + 1);
  }, 240_000);

  it('waits out Discord’s 429 and pushes once it may', async () => {
    await listenUntil(now + DAY);
    const before = putsFor().length;
    h.emulator.state.rateLimit = { count: 1, retryAfterSec: 0.05 };
    await refreshJob();
    expect(h.emulator.state.rateLimit.count).toBe(0);
    expect(putsFor().length).toBe(before + 1);
    expect(connection()!.metadata.hours_this_month).toBe(String(await hoursThisMonth()));
  }, 120_000);

  it('/unlink clears the member’s metadata at Discord and forgets the grant', async () => {
    const ask = (await h.invoke('/unlink', {}, member)).final!;
    const confirm = buttons(ask).find((b) => b.custom_id?.startsWith('unlink:confirm'))!;
    const done = await h.click(ask, confirm.custom_id!, member);
    expect(text(done.final)).toContain('your Linked Roles connection');
    expect(connection()).toEqual({ platform_name: 'Encore', platform_username: 'linked-roles', metadata: {} });
    const { rowCount } = await h.encore.store.pool.query('SELECT 1 FROM linked_role_connections WHERE member_id = $1', [
      member.id,
    ]);
    expect(rowCount).toBe(0);
    const before = putsFor().length;
    await refreshJob();
    expect(putsFor().length).toBe(before);
  });
});

describe('the Discord emulator’s OAuth2 and role connections, as Discord checks them', () => {
  const api = () => `${h.emulator.apiUrl}/v10`;
  const bot = () => ({ authorization: `Bot ${h.emulator.token}`, 'content-type': 'application/json' });
  /** A bearer token for `scope`, through the consent form and the token endpoint. */
  async function tokenFor(scope: string) {
    const redirect = `${h.config.PUBLIC_URL}/elsewhere`;
    const decided = await fetch(`${new URL(h.emulator.apiUrl).origin}/oauth2/authorize`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({
        client_id: h.emulator.applicationId,
        redirect_uri: redirect,
        response_type: 'code',
        scope,
        user_id: member.id,
        decision: 'authorize',
      }),
    });
    const code = new URL(decided.headers.get('location')!).searchParams.get('code')!;
    const res = await fetch(`${api()}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirect,
        client_id: h.emulator.applicationId,
        client_secret: EMULATED_CLIENT_SECRET,
      }),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  }

  it('refuses more than 5 metadata records and keys outside a-z0-9_', async () => {
    const url = `${api()}/applications/${h.emulator.applicationId}/role-connections/metadata`;
    const record = (key: string) => ({ key, name: 'n', description: 'd', type: 2 });
    const six = await fetch(url, {
      method: 'PUT',
      headers: bot(),
      body: JSON.stringify(['a', 'b', 'c', 'd', 'e', 'f'].map(record)),
    });
    expect(six.status).toBe(400);
    expect(((await six.json()) as { message: string }).message).toContain('5 or fewer');
    const badKey = await fetch(url, { method: 'PUT', headers: bot(), body: JSON.stringify([record('Hours-Month')]) });
    expect(badKey.status).toBe(400);
    expect(h.emulator.oauth2.metadata.map((m) => m.key)).toEqual(['hours_this_month', 'crowns', 'linked_since']);
  });

  it('refuses a token without role_connections.write, unknown keys and values of the wrong type', async () => {
    const url = `${api()}/users/@me/applications/${h.emulator.applicationId}/role-connection`;
    const put = (token: string, metadata: Record<string, string>) =>
      fetch(url, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ platform_name: 'Encore', metadata }),
      });
    const identifyOnly = await tokenFor('identify');
    expect((await fetch(`${api()}/users/@me`, { headers: { authorization: `Bearer ${identifyOnly}` } })).status).toBe(
      200,
    );
    expect((await put(identifyOnly, { crowns: '1' })).status).toBe(403);

    const full = await tokenFor('role_connections.write identify');
    expect((await put(full, { crowns: 'many' })).status).toBe(400);
    expect((await put(full, { linked_since: 'yesterday' })).status).toBe(400);
    expect((await put(full, { streak_days: '3' })).status).toBe(400);
    expect((await put(full, { crowns: '2' })).status).toBe(200);
  });
});
