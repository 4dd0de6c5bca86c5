import type { EInteraction, RecordedMessage } from '../emulators/discord/index.js';
import { seededRandom } from '../emulators/spotify/random.js';
import { startEncoreBot, type BenchMember, type EncoreBot } from './encoreBot.js';
import { availableParallelism, loadavg } from 'node:os';
import { table } from './support.js';

/**
 * Issue 17, load: Encore in its own process (bench/encoreProcess.ts) against both emulators in
 * this one (Spotify with a realistic 100 ms latency), 50 linked members sending 300 interactions in
 * 60 seconds: every /chart kind, /profile, /privacy, /wrapped, /digest preview, /import, /settings,
 * /help, long /sort previews of 1,000-track playlists and Confirms of some of them, and any other
 * registered command that takes no required option (the social and suggestion commands when they
 * exist). A collector pass over every member and the background genre resolver start with the
 * load, as their scheduled ticks would. Prints time to the first response (reply or defer) and to
 * the final answer, Discord's 10062s, the bot's event-loop delay, and the memory of the bot and of its
 * embedded Postgres (what fly.toml's machine size comes from), against the targets.
 */
const MEMBERS = 50;
const INTERACTIONS = 300;
const WINDOW_MS = 60_000;
const LATENCY_MS = 100;
// Production pacing (src/spotify/index.ts defaults); 50 members means extended quota, so no daily cap.
const LIMITS = { concurrency: 6, perSecond: 20, dailyBudget: 10_000_000 };
/** Previews of 1,000-track playlists on a cold genre cache; and of 150-track ones previewed before (warm), which get Confirmed. */
const LONG_SORTS = 8;
const CONFIRMS = 4;
/** How long answers still under way when the window closes are followed. */
const DRAIN_MS = 240_000;
const TARGETS = {
  firstP99Ms: 500,
  eventLoopP99Ms: 50,
  unknownInteractions: 0,
  historyChartP95Ms: 1_000,
  // Issue 24 item 7: the bot and its embedded Postgres share fly.toml's machine.
  botPeakRssMb: 250,
};
/**
 * The store the bot runs on: by default the embedded Postgres it spawns itself, as the single
 * fly.io machine of fly.toml runs it, so its memory is measured too; ENCORE_BENCH_STORE=server puts
 * the bot on a fresh database of the test server instead.
 */
const STORE = process.env.ENCORE_BENCH_STORE === 'server' ? 'server' : 'embedded';
/**
 * Members who uploaded 8 weeks of Spotify's Extended streaming history through /import before the
 * load (issue 24 item 2): their /chart top lists are counted from history, with no Spotify request.
 */
const WITH_HISTORY = 25;
const HISTORY_DAYS = 56;
const DAY = 86_400_000;

type Kind = { label: string; weight: number; send(member: BenchMember): EInteraction | undefined };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) =>
  xs.length ? xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]! : NaN;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const buttons = (m: RecordedMessage) =>
  (m.components as Array<{ components?: Array<{ custom_id?: string }> }>).flatMap((row) => row.components ?? []);

export default async function bench(): Promise<void> {
  const bot = await startEncoreBot({
    members: MEMBERS,
    latencyMs: LATENCY_MS,
    spotifyLimits: LIMITS,
    playlists: [
      ['big', 1000],
      ['mid', 150],
    ],
    store: STORE,
  });
  try {
    await run(bot);
  } finally {
    await bot.close();
  }
}

async function run(bot: EncoreBot): Promise<void> {
  const { discord, guild } = bot;
  // At rest: started, every member linked, nothing drawn yet.
  const idle = await bot.sample();
  const postgresIdle = await bot.postgresMemory();
  // A little history for /wrapped, the listening clock and the digest: the collector's first pass.
  await bot.runJobs(0, ['collect-history']);
  const withHistory = new Set(bot.members.slice(0, WITH_HISTORY));
  for (const member of withHistory) await importHistory(bot, member);
  // The members who Confirm during the load previewed their playlist before (its genres are known).
  const confirmers = bot.members.slice(-CONFIRMS);
  await Promise.all(
    confirmers.map((m) =>
      bot.settled(discord.chatInput('sort', { playlist: `${m.spotifyId}mid`, min_tracks: 5 }, m.discord, { guild })),
    ),
  );

  const acknowledgedAt = new Map<string, number>();
  const watch = (i: EInteraction | undefined) => {
    if (!i) return i;
    // The emulator flips `acknowledged` on the first callback: record when, whatever its type.
    let ack = i.acknowledged;
    Object.defineProperty(i, 'acknowledged', {
      get: () => ack,
      set: (v: boolean) => {
        if (v && !ack) acknowledgedAt.set(i.id, Date.now());
        ack = v;
      },
    });
    return i;
  };
  const slash = (name: string, options: Record<string, unknown>) => (m: BenchMember) =>
    watch(discord.chatInput(name, options, m.discord, { guild }));

  const previews: Array<{ interaction: EInteraction; member: BenchMember }> = [];
  let confirmsLeft = CONFIRMS;
  const confirmable = () =>
    previews.find(({ interaction: i }) => {
      const final = i.original && discord.state.messages.get(i.original.id);
      return final && bot.settledAt(i.id) && buttons(final).some((b) => b.custom_id?.startsWith('sort:confirm:'));
    });
  const kinds: Kind[] = [
    ...['top-genres', 'top-artists', 'top-tracks'].map((kind) => ({
      label: `/chart ${kind}`,
      weight: 10,
      send: slash('chart', { kind }),
    })),
    { label: '/chart listening-clock', weight: 6, send: slash('chart', { kind: 'listening-clock', period: 'week' }) },
    { label: '/chart genre-mix', weight: 5, send: slash('chart', { kind: 'genre-mix', period: 'month' }) },
    { label: '/profile', weight: 8, send: slash('profile', {}) },
    { label: '/privacy', weight: 6, send: slash('privacy', {}) },
    { label: '/wrapped', weight: 8, send: slash('wrapped', { period: 'week' }) },
    { label: '/digest preview', weight: 4, send: slash('digest', { subcommand: 'preview' }) },
    { label: '/import', weight: 4, send: slash('import', {}) },
    {
      label: '/settings timezone',
      weight: 3,
      send: slash('settings', { subcommand: 'timezone', zone: 'Europe/Paris' }),
    },
    { label: '/help', weight: 4, send: slash('help', {}) },
  ];
  // Commands other engineers add (social, suggestions) join the mix when they take no required option.
  const known = new Set([
    'chart',
    'profile',
    'privacy',
    'wrapped',
    'digest',
    'import',
    'settings',
    'help',
    'sort',
    'link',
    'unlink',
  ]);
  for (const def of discord.state.commands.guild.get(guild.id) ?? []) {
    const name = String(def.name);
    const options = (def.options as Array<{ required?: boolean; type: number }> | undefined) ?? [];
    if (known.has(name) || options.some((o) => o.required || o.type === 1 || o.type === 2)) continue;
    kinds.push({ label: `/${name}`, weight: 5, send: slash(name, {}) });
  }
  const sortKind = (size: 'big' | 'mid'): Kind => ({
    label: size === 'big' ? '/sort preview (1,000 tracks, cold)' : '/sort preview (150 tracks, warm)',
    weight: 0,
    send(m) {
      const i = slash('sort', { playlist: `${m.spotifyId}${size}`, min_tracks: size === 'big' ? 10 : 5 })(m)!;
      previews.push({ interaction: i, member: m });
      return i;
    },
  });
  const longSort = sortKind('big');
  const warmSort = sortKind('mid');
  const confirmKind: Kind = {
    label: '/sort Confirm',
    weight: 0,
    send() {
      const ready = confirmable();
      if (!ready) return undefined;
      previews.splice(previews.indexOf(ready), 1);
      const final = discord.state.messages.get(ready.interaction.original!.id)!;
      const id = buttons(final).find((b) => b.custom_id?.startsWith('sort:confirm:'))!.custom_id!;
      confirmsLeft--;
      return watch(discord.component(final, id, ready.member.discord));
    },
  };

  // The schedule: seeded, so every run sends the same interactions at the same moments.
  const r = seededRandom(17);
  const totalWeight = kinds.reduce((s, k) => s + k.weight, 0);
  const pick = () => {
    let x = r.next() * totalWeight;
    return kinds.find((k) => (x -= k.weight) < 0) ?? kinds[0]!;
  };
  const slots = Array.from({ length: INTERACTIONS }, (_, n) => ({
    at: (n + r.next()) * (WINDOW_MS / INTERACTIONS),
    member: bot.members[r.int(0, MEMBERS - 1)]!,
    kind: pick(),
  }));
  // Sorts early in the window (their previews take a while), Confirms in its second half.
  for (let s = 0; s < LONG_SORTS; s++) slots[s * 11 + 3]!.kind = longSort;
  for (const [c, member] of confirmers.entries())
    slots[c * 13 + 20] = { ...slots[c * 13 + 20]!, member, kind: warmSort };
  for (let c = 0; c < CONFIRMS * 4; c++) slots[INTERACTIONS / 2 + c * 9]!.kind = confirmKind;
  const sorting = new Set(slots.filter((s) => s.kind === longSort).map((s) => s.member));

  const sent: Array<{ label: string; interaction: EInteraction }> = [];
  const memberOf = new Map(bot.members.map((m) => [m.discord.id, m]));
  const requestsBefore = bot.spotify.requests.length;
  const channelMessagesBefore = discord.state.channelMessages.length;
  const rejectedBefore = discord.state.rejected.length;
  bot.measureStart();
  let postgresPeak = postgresIdle ?? 0;
  const postgresTimer = setInterval(() => {
    void bot.postgresMemory().then((bytes) => (postgresPeak = Math.max(postgresPeak, bytes ?? 0)));
  }, 1_000);
  const benchCpu = process.cpuUsage();
  // The collector's next pass (every member due an hour later) and the genre resolver run alongside.
  const background = bot.runJobs(3_600_000, ['collect-history', 'resolve-genres']);
  const start = Date.now();
  for (const slot of slots) {
    const wait = start + slot.at - Date.now();
    if (wait > 0) await sleep(wait);
    let kind = slot.kind;
    if (kind === confirmKind && confirmsLeft <= 0) kind = pick();
    const interaction = kind.send(slot.member) ?? (kind = pick()).send(slot.member)!;
    sent.push({ label: kind.label, interaction });
  }
  const sendingMs = Date.now() - start;
  const settled = await Promise.all(sent.map(({ interaction }) => bot.settled(interaction, DRAIN_MS + WINDOW_MS)));
  const figures = await bot.measureStop();
  clearInterval(postgresTimer);
  const emulatorCpu = process.cpuUsage(benchCpu);
  await background;
  const totalMs = Date.now() - start;

  const first = sent
    .map(({ interaction: i }) => (acknowledgedAt.get(i.id) ?? Infinity) - i.createdAt)
    .sort((a, b) => a - b);
  const finals = settled.map((ms) => ms ?? Infinity).sort((a, b) => a - b);
  const unknown = discord.state.rejected.slice(rejectedBefore).filter((x) => x.code === 10062).length;
  const otherRejected = discord.state.rejected.slice(rejectedBefore).filter((x) => x.code !== 10062);
  const failed = sent.filter(({ interaction: i }) =>
    /went wrong|reference/i.test(JSON.stringify(i.original && discord.state.messages.get(i.original.id)?.embeds)),
  );
  const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '∞');
  const met = (ok: boolean) => (ok ? 'met' : 'missed');

  console.log(
    `${sent.length} interactions from ${MEMBERS} linked members in ${(sendingMs / 1000).toFixed(1)} s (bot in its own process on the ${STORE === 'embedded' ? 'embedded Postgres' : 'test Postgres server'}; both emulators in the bench process, Spotify latency ${LATENCY_MS} ms; pacer ${LIMITS.concurrency} in flight, ${LIMITS.perSecond}/s); a collector pass over all ${MEMBERS} members and the genre resolver ran alongside`,
  );
  table([
    ['figure', 'p50', 'p95', 'p99', 'max', 'target', ''],
    [
      'first response (ms)',
      ms(pct(first, 50)),
      ms(pct(first, 95)),
      ms(pct(first, 99)),
      ms(first.at(-1)!),
      `p99 ≤ ${TARGETS.firstP99Ms}`,
      met(pct(first, 99) <= TARGETS.firstP99Ms),
    ],
    ['final answer (ms)', ms(pct(finals, 50)), ms(pct(finals, 95)), ms(pct(finals, 99)), ms(finals.at(-1)!), '', ''],
    [
      'event-loop delay (ms)',
      figures.eventLoop.p50.toFixed(1),
      '',
      figures.eventLoop.p99.toFixed(1),
      figures.eventLoop.max.toFixed(1),
      `p99 ≤ ${TARGETS.eventLoopP99Ms}`,
      met(figures.eventLoop.p99 <= TARGETS.eventLoopP99Ms),
    ],
  ]);
  console.log(
    `10062 Unknown interaction: ${unknown} (target ${TARGETS.unknownInteractions}: ${met(unknown === TARGETS.unknownInteractions)}); other Discord rejections: ${otherRejected.length}${otherRejected.length ? ` (${[...new Set(otherRejected.map((x) => x.code))].join(', ')})` : ''}; answers that were an apology: ${failed.length}; unfinished after ${(DRAIN_MS / 1000).toFixed(0)} s: ${finals.filter((x) => !Number.isFinite(x)).length}`,
  );
  console.log(
    `bot RSS: idle ${mb(idle.rss)}, peak ${mb(figures.rss.peak)} (target ≤ ${TARGETS.botPeakRssMb} MB: ${met(figures.rss.peak <= TARGETS.botPeakRssMb * 2 ** 20)}); at the load's start ${mb(figures.rss.start)}, end ${mb(figures.rss.end)}`,
  );
  console.log(
    `bot at rest (started, members linked, after GC): heap used ${mb(idle.heapUsed)} of ${mb(idle.heapTotal ?? 0)}, external ${mb(idle.external ?? 0)} (array buffers ${mb(idle.arrayBuffers ?? 0)}); the rest of RSS is code, V8's other spaces, native libraries and chart worker threads`,
  );
  const atPeak = figures.rss.atPeak;
  if (atPeak)
    console.log(
      `bot at its peak: heap used ${mb(atPeak.heapUsed)} of ${mb(atPeak.heapTotal)}, external ${mb(atPeak.external)} (array buffers ${mb(atPeak.arrayBuffers)}), ${atPeak.chartWorkers} chart worker(s) running`,
    );
  console.log(
    postgresIdle === undefined
      ? `embedded Postgres: not measured (ENCORE_BENCH_STORE=server: the bot used the test server)`
      : `embedded Postgres (server and backends, PSS): idle ${mb(postgresIdle)}, peak ${mb(postgresPeak)}; bot + Postgres peak ≤ ${mb(figures.rss.peak + postgresPeak)}`,
  );
  console.log(
    `Spotify requests: ${bot.spotify.requests.length - requestsBefore}; everything settled ${(totalMs / 1000).toFixed(0)} s after the first interaction`,
  );
  // What the bot wrote to Discord: interaction callbacks and edits, follow-ups, DMs and channel posts.
  const discordWrites =
    sent.reduce((n, { interaction: i }) => n + i.history.length + i.followUps.length, 0) +
    discord.state.channelMessages.slice(channelMessagesBefore).filter((m) => !m.interactionId).length;
  console.log(
    `Discord REST writes: ${discordWrites} (${(discordWrites / sent.length).toFixed(1)} per interaction: responses, edits, follow-ups, DMs, posts)`,
  );
  const { pool } = figures;
  console.log(
    `Postgres pool (${pool.max} connections): queries waited for a connection in ${((pool.busySamples / Math.max(1, pool.samples)) * 100).toFixed(0)} % of 250 ms samples, at most ${pool.maxWaiting} waiting at once`,
  );
  const cores = (cpuMs: number) => `${((cpuMs / totalMs) * 100).toFixed(0)} % of a core`;
  console.log(
    `CPU while measuring (${(totalMs / 1000).toFixed(0)} s): the bot ${(figures.cpuMs / 1000).toFixed(1)} s (${cores(figures.cpuMs)}); the bench process with both emulators ${((emulatorCpu.user + emulatorCpu.system) / 1e6).toFixed(1)} s (${cores((emulatorCpu.user + emulatorCpu.system) / 1000)})`,
  );
  console.log(
    `machine: ${availableParallelism()} cores, load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')} (1 / 5 / 15 min) — figures from a machine shared with other work`,
  );
  const charts = (own: boolean) =>
    sent
      .map(({ label, interaction: i }, n) => ({ label, i, ms: settled[n] ?? Infinity }))
      .filter(({ label, i }) => label.startsWith('/chart') && sorting.has(memberOf.get(i.userId)!) === own)
      .map(({ ms: x }) => x)
      .sort((a, b) => a - b);
  const [own, others] = [charts(true), charts(false)];
  console.log(
    `/chart final answer: members with their own long sort under way p50 ${ms(pct(own, 50))} / p95 ${ms(pct(own, 95))} ms (${own.length}); everyone else p50 ${ms(pct(others, 50))} / p95 ${ms(pct(others, 95))} ms (${others.length})`,
  );
  const topCharts = (imported: boolean) =>
    sent
      .map(({ label, interaction: i }, n) => ({ label, i, ms: settled[n] ?? Infinity }))
      .filter(
        ({ label, i }) => label.startsWith('/chart top-') && withHistory.has(memberOf.get(i.userId)!) === imported,
      )
      .map(({ ms: x }) => x)
      .sort((a, b) => a - b);
  const [historyTop, spotifyTop] = [topCharts(true), topCharts(false)];
  console.log(
    `/chart top-* final answer: members with ${HISTORY_DAYS} days of imported history p50 ${ms(pct(historyTop, 50))} / p95 ${ms(pct(historyTop, 95))} ms (${historyTop.length}; target p95 ≤ ${TARGETS.historyChartP95Ms}: ${met(pct(historyTop, 95) <= TARGETS.historyChartP95Ms)}); members without p50 ${ms(pct(spotifyTop, 50))} / p95 ${ms(pct(spotifyTop, 95))} ms (${spotifyTop.length})`,
  );
  const byLabel = new Map<string, { first: number[]; final: number[]; apologies: number }>();
  sent.forEach(({ label, interaction: i }, n) => {
    const row = byLabel.get(label) ?? { first: [], final: [], apologies: 0 };
    row.first.push((acknowledgedAt.get(i.id) ?? Infinity) - i.createdAt);
    row.final.push(settled[n] ?? Infinity);
    if (failed.some((f) => f.interaction === i)) row.apologies++;
    byLabel.set(label, row);
  });
  table([
    ['command', 'count', 'first p50', 'first max', 'final p50', 'final p95', 'final max', 'apologies'],
    ...[...byLabel.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([label, { first: f, final: x, apologies }]) => {
        f.sort((a, b) => a - b);
        x.sort((a, b) => a - b);
        return [
          label,
          String(f.length),
          ms(pct(f, 50)),
          ms(f.at(-1)!),
          ms(pct(x, 50)),
          ms(pct(x, 95)),
          ms(x.at(-1)!),
          String(apologies),
        ];
      }),
  ]);
  for (const { label, interaction: i } of failed.slice(0, 3))
    console.log(
      `  apology to ${label}: ${JSON.stringify(discord.state.messages.get(i.original!.id)?.embeds).slice(0, 200)}`,
    );
}

/** Uploads the member's Extended streaming history for the past HISTORY_DAYS through /import's one-time page. */
async function importHistory(bot: EncoreBot, member: BenchMember): Promise<void> {
  const { discord, guild } = bot;
  const before = discord.dmsOf(member.discord).length;
  await bot.settled(discord.chatInput('import', {}, member.discord, { guild }));
  const dm = discord.dmsOf(member.discord)[before];
  const url = (dm?.components[0] as { components: Array<{ url?: string }> } | undefined)?.components[0]?.url;
  if (!url) throw new Error(`no /import link for ${member.spotifyId}`);
  const now = bot.now();
  const zip = await bot.spotify.exportExtendedHistory(member.spotifyId, { from: now - HISTORY_DAYS * DAY, to: now });
  const res = await fetch(url, { method: 'POST', body: new Uint8Array(zip) });
  if (!(await res.text()).includes('"done"')) throw new Error(`the import for ${member.spotifyId} did not finish`);
}
