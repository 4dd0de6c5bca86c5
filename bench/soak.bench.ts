import type { EInteraction, EUser, RecordedMessage } from '../emulators/discord/index.js';
import { startEncoreBot, type EncoreBot } from './encoreBot.js';
import { loadavg } from 'node:os';
import { table } from './support.js';

/**
 * Issue 17, soak: a simulated month under the injected clock. Encore runs in its own process
 * (bench/encoreProcess.ts) against both emulators in this one; its clock and the Spotify
 * emulator's move together (runJobs). Each simulated day: the collector every two hours (the
 * members go on listening), the digest and weekly-wrapped jobs at each step, once a day the genre
 * resolver, the genre recount, relink nudges, sort resumes and the keyv sweep, and a few commands
 * (charts, /wrapped, /profile, /digest preview, the social and suggestion commands, every third
 * day from the first a /sort preview and its Confirm). The month starts 150 days into the links'
 * life, so the relink nudges (two weeks before Spotify ends a link) come during it.
 * The bot's heap and RSS are sampled after two full garbage collections at the end of each day.
 * Target: no growth beyond 10 % after the first day.
 */
const MEMBERS = 10;
const DAYS = 30;
const STEP_HOURS = 2;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = 150 * DAY;
const TARGET_GROWTH = 0.1;
const STEP_JOBS = ['collect-history', 'post-digests', 'weekly-wrapped'];
const DAILY_JOBS = ['resolve-genres', 'reclassify-history', 'relink-nudges', 'resume-sorts', 'sweep-expired'];

const buttons = (m: RecordedMessage | undefined) =>
  ((m?.components ?? []) as Array<{ components?: Array<{ custom_id?: string; label?: string }> }>).flatMap(
    (row) => row.components ?? [],
  );
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

export default async function bench(): Promise<void> {
  const bot = await startEncoreBot({
    members: MEMBERS,
    latencyMs: 0,
    spotifyLimits: { concurrency: 8, perSecond: 10_000, dailyBudget: 10_000_000 },
    playlists: [['mid', 150]],
  });
  try {
    await run(bot);
  } finally {
    await bot.close();
  }
}

async function run(bot: EncoreBot): Promise<void> {
  const { discord, guild } = bot;
  const final = (i: EInteraction) => (i.original ? discord.state.messages.get(i.original.id) : undefined);
  const invoke = async (name: string, options: Record<string, unknown>, user: EUser) => {
    const i = discord.chatInput(name, options, user, { guild });
    await bot.settled(i, 120_000);
    return final(i);
  };
  const click = async (message: RecordedMessage | undefined, label: RegExp, user: EUser) => {
    const id = buttons(message).find((b) => label.test(b.label ?? '') || label.test(b.custom_id ?? ''))?.custom_id;
    if (!message || !id) return undefined;
    const i = discord.component(message, id, user);
    await bot.settled(i, 120_000);
    return final(i);
  };

  // Every member appears in the server and asks for the weekly DM; an admin turns the digest on.
  for (const { discord: user } of bot.members) {
    await click(await invoke('privacy', {}, user), /Show me in this server/, user);
    await click(await invoke('privacy', {}, user), /weekly DM/, user);
  }
  const admin = bot.members[0]!.discord;
  await invoke('digest', { subcommand: 'channel', channel: discord.channel(guild, 'digest').id }, admin);
  await invoke('digest', { subcommand: 'enabled', on: true }, admin);

  // The social and suggestion commands (issues 15 and 16) join the day's commands where they exist.
  const optional = ['leaderboard', 'crowns', 'suggest'].filter((name) =>
    (discord.state.commands.guild.get(guild.id) ?? []).some(
      (c) =>
        c.name === name && !((c.options as Array<{ required?: boolean }> | undefined) ?? []).some((o) => o.required),
    ),
  );
  const failedJobs = new Set<string>();
  const samples: Array<{ day: number; heapUsed: number; rss: number; keyv: number }> = [];
  // Postgres's side: keyv rows (keyv's TTLs run on the wall clock, so none expires in a simulated month).
  const keyvRows = async () => {
    const [row] = await bot.query<{ n: string }>(`SELECT count(*) AS n FROM keyv`);
    return { keyv: Number(row!.n) };
  };
  const started = Date.now();
  const requestsBefore = bot.spotify.requests.length;
  let commands = 0;
  let sorts = 0;
  for (let day = 1; day <= DAYS; day++) {
    const dayStart = START + (day - 1) * DAY;
    for (let h = STEP_HOURS; h <= 24; h += STEP_HOURS)
      for (const job of await bot.runJobs(dayStart + h * HOUR, STEP_JOBS)) failedJobs.add(job);
    for (const job of await bot.runJobs(dayStart + DAY, DAILY_JOBS)) failedJobs.add(job);

    const member = (k: number) => bot.members[(day * 3 + k) % MEMBERS]!;
    await invoke('chart', { kind: 'top-genres' }, member(0).discord);
    await invoke('chart', { kind: 'listening-clock', period: 'week' }, member(1).discord);
    await invoke('wrapped', { period: 'week' }, member(2).discord);
    await invoke('profile', {}, member(3).discord);
    await invoke('digest', { subcommand: 'preview' }, admin);
    commands += 5;
    for (const [k, name] of optional.entries()) await invoke(name, {}, member(5 + k).discord);
    commands += optional.length;
    // From day 1, so that the first day (the baseline) has drawn every kind of chart once.
    if (day % 3 === 1) {
      const sorter = member(4);
      const preview = await invoke('sort', { playlist: `${sorter.spotifyId}mid`, min_tracks: 5 }, sorter.discord);
      await click(preview, /^sort:confirm:/, sorter.discord);
      commands += 2;
      sorts++;
    }
    const sample = await bot.sample();
    samples.push({ day, ...sample, ...(await keyvRows()) });
  }

  const [plays] = await bot.query<{ n: string }>('SELECT count(*) AS n FROM plays');
  const digests = discord.messagesIn(discord.channel(guild, 'digest')).length;
  const nudges = bot.members.filter((m) =>
    discord.dmsOf(m.discord).some((d) => /relink|renew|expire/i.test(JSON.stringify(d.embeds) + d.content)),
  ).length;
  console.log(
    `${DAYS} simulated days in ${((Date.now() - started) / 1000).toFixed(0)} s: ${MEMBERS} members, ${plays?.n ?? '?'} plays collected, ${digests} digests posted, ${nudges} members nudged to relink, ${sorts} sorts confirmed, ${commands} commands (${optional.length ? `/${optional.join(', /')} included` : 'no social or suggestion command registered'}), ${bot.spotify.requests.length - requestsBefore} Spotify requests${failedJobs.size ? `; jobs that failed or do not exist: ${[...failedJobs].join(', ')}` : ''}`,
  );
  const first = samples[0]!;
  const growth = (now: number, then: number) =>
    `${now >= then ? '+' : ''}${(((now - then) / then) * 100).toFixed(1)} %`;
  const shown = samples.filter((s) => [1, 7, 14, 21, 30].includes(s.day));
  console.log(
    `bot process after two full GCs at the end of each simulated day (MB); target: ≤ +${TARGET_GROWTH * 100} % after day 1`,
  );
  table([
    ['day', 'heap used', 'vs day 1', 'RSS', 'vs day 1', 'keyv rows'],
    ...shown.map((s) => [
      String(s.day),
      mb(s.heapUsed),
      growth(s.heapUsed, first.heapUsed),
      mb(s.rss),
      growth(s.rss, first.rss),
      String(s.keyv),
    ]),
  ]);
  const last = samples.at(-1)!;
  const peakHeap = Math.max(...samples.map((s) => s.heapUsed));
  const heapOk = last.heapUsed <= first.heapUsed * (1 + TARGET_GROWTH);
  const rssOk = last.rss <= first.rss * (1 + TARGET_GROWTH);
  console.log(
    `machine load average while it ran: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')} (1 / 5 / 15 min)`,
  );
  console.log(
    `heap day 30 vs day 1: ${growth(last.heapUsed, first.heapUsed)} (${heapOk ? 'met' : 'missed'}); RSS: ${growth(last.rss, first.rss)} (${rssOk ? 'met' : 'missed'}); highest heap of the month ${mb(peakHeap)} MB`,
  );
}
