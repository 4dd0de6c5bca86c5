import { beforeAll, describe, expect, it } from 'vitest';
import type { EUser, RecordedMessage } from '../../emulators/discord/index.js';
import { computeDigest, postDueDigests } from '../../src/app/digest/digest.js';
import type { DigestDeps, DigestSettings } from '../../src/app/digest/ports.js';
import { digestFeature } from '../../src/features/digest/index.js';
import { erasedWords } from '../../src/discord/messages/accountMessages.js';
import type { FeatureContext } from '../../src/features/index.js';
import { startJobs } from '../../src/jobs/scheduler.js';
import { createHistoryRepository } from '../../src/store/history/historyRepository.js';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { manualTicks } from '../support/manualTicks.js';
import { contentAndEmbeds, layoutTexts } from '../support/messages.js';
import { BRAND_COLOUR } from '../../src/discord/replies.js';

/** Discord's clock: each scenario sets it to the tick it plays, so nonce windows and timestamps follow. */
let discordNow = Date.now();
const h = useEncoreHarness({ discordNow: () => discordNow });
const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

let digestChannel: ReturnType<typeof h.emulator.channel>;
let admin: EUser;
const optedIn: EUser[] = [];
const optedOut: EUser[] = [];
const deps = () => h.encore.services.digest!;

/** Plays of `member` on `day` (UTC): `count` plays of one track, 4 minutes each. */
async function listen(
  member: EUser,
  day: string,
  count: number,
  music: { artist: string; track: string; genre: string },
  msPlayed = 240_000,
) {
  const repo = createHistoryRepository(h.encore.store.pool);
  const artistId = `ar-${music.artist.replace(/\W/g, '')}`;
  await repo.insertPlays(
    member.id,
    Array.from({ length: count }, (_, i) => ({
      playedAt: at(`${day}T10:00:00Z`) + i * 5 * 60_000,
      track: {
        id: `tr-${music.track.replace(/\W/g, '')}`,
        name: music.track,
        durationMs: msPlayed,
        artists: [{ id: artistId, name: music.artist }],
      },
      msPlayed,
      msEstimated: false,
      source: 'collected' as const,
      genre: music.genre,
    })),
  );
}

async function configure(settings: Partial<DigestSettings>) {
  await deps().settings.save({
    guildId: h.guild.id,
    enabled: true,
    channelId: digestChannel.id,
    weekday: 1,
    hour: 9,
    timeZone: 'Europe/Berlin',
    // Turned on "tomorrow": the bot's own cron, ticking on the real clock meanwhile, finds nothing due,
    // while every week these tests play (2027 on) comes after it.
    enabledAt: Date.now() + 24 * HOUR,
    configuredBy: admin.id,
    ...settings,
  });
}

/** Runs the job as the scheduler would at `now`, with Discord's clock at the same moment. */
async function tick(now: number) {
  discordNow = now;
  await h.encore.jobs.runNow('post-digests', new Date(now));
}
const posts = (since: number) => h.emulator.messagesIn(digestChannel).filter((m) => m.at >= since);
/** Everything a reader (or a screen reader) gets from a message: content, embeds, file names and alt text. */
const payload = (m: RecordedMessage) =>
  JSON.stringify([contentAndEmbeds(m), m.files.map((f) => [f.filename, f.description])]);

beforeAll(async () => {
  digestChannel = h.emulator.channel(h.guild, 'digest');
  admin = h.member('digest-admin');
  const privacy = h.encore.services.privacy!;
  // Eleven members share their listening here (the leaderboard shows ten); two do not.
  for (let i = 0; i < 11; i++) {
    const m = h.member(`listener${String(i).padStart(2, '0')}`);
    optedIn.push(m);
    await privacy.save(m.id, { visibleIn: [h.guild.id], weeklyDm: false });
  }
  for (const name of ['Zed Secretson', 'ﻣﺨﻔﻲ Hidden']) {
    const m = h.member(name);
    optedOut.push(m);
    await privacy.save(m.id, { visibleIn: ['some-other-server'], weeklyDm: true });
  }
}, 60_000);

describe('/digest (admins)', () => {
  it('is for Manage Server by default, and refuses a channel where Encore cannot embed or attach, naming what is missing', async () => {
    const definition = h.emulator.state.commands.guild.get(h.guild.id)!.find((c) => c.name === 'digest')!;
    expect(definition.default_member_permissions).toBe(String(1 << 5));
    const locked = h.emulator.channel(h.guild, 'general');
    h.emulator.denyBot(locked, ['EmbedLinks', 'AttachFiles']);
    const refused = await h.invoke('/digest', { subcommand: 'channel', channel: locked.id }, admin);
    expect(refused.ephemeral).toBe(true);
    expect(contentAndEmbeds(refused.final)).toContain('Embed Links');
    expect(contentAndEmbeds(refused.final)).toContain('Attach Files');
    expect(contentAndEmbeds(refused.final)).not.toContain('Send Messages');
    expect((await deps().settings.get(h.guild.id))?.channelId).toBeUndefined();
    h.emulator.denyBot(locked, []);

    const saved = await h.invoke('/digest', { subcommand: 'channel', channel: digestChannel.id }, admin);
    expect(contentAndEmbeds(saved.final)).toContain(`<#${digestChannel.id}>`);
    expect((await deps().settings.get(h.guild.id))?.channelId).toBe(digestChannel.id);
  });

  it('takes IANA time zones from autocomplete and refuses others', async () => {
    const seen = await h.autocomplete('/digest', { subcommand: 'timezone', zone: 'berl' }, 'zone', admin);
    expect(seen.choices?.map((c) => c.value)).toContain('Europe/Berlin');
    const bad = await h.invoke('/digest', { subcommand: 'timezone', zone: 'Mars/Olympus' }, admin);
    expect(contentAndEmbeds(bad.final)).toContain('isn’t a time zone I know');
    // Zones read as /settings shows them: "La Rioja", never the IANA "La_Rioja", the value unchanged.
    const rioja = await h.autocomplete('/digest', { subcommand: 'timezone', zone: 'la rioja' }, 'zone', admin);
    expect(rioja.choices).toContainEqual({ name: 'America/Argentina/La Rioja', value: 'America/Argentina/La_Rioja' });
    const riojaSaved = await h.invoke('/digest', { subcommand: 'timezone', zone: 'America/Argentina/La_Rioja' }, admin);
    expect(contentAndEmbeds(riojaSaved.final)).toContain('(America/Argentina/La Rioja)');
    expect(contentAndEmbeds(riojaSaved.final)).not.toContain('La_Rioja');
    const good = await h.invoke('/digest', { subcommand: 'timezone', zone: 'europe/berlin' }, admin);
    expect(contentAndEmbeds(good.final)).toContain('Europe/Berlin');
    const asked = Date.now();
    const on = await h.invoke('/digest', { subcommand: 'enabled', on: true }, admin);
    expect(contentAndEmbeds(on.final)).toContain('**On**');
    // The admin learns when the first digest posts: the next Monday 09:00 in Berlin, within a week.
    const next = Number(/Next digest: <t:(\d+):f> \(<t:\d+:R>\)/.exec(contentAndEmbeds(on.final))?.[1]) * 1000;
    expect(next).toBeGreaterThan(asked);
    expect(next).toBeLessThanOrEqual(asked + 7 * 24 * HOUR + 60_000);
    expect(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Berlin',
        weekday: 'long',
        hour: '2-digit',
        minute: '2-digit',
      }).format(next),
    ).toBe('Monday 09:00');
  });
});

describe('the weekly post', () => {
  it('posts Monday 09:00 Europe/Berlin once a week across the end of summer time (167/169 h), never twice', async () => {
    // Weeks of 2027-10-25 and 2027-11-01: Berlin leaves summer time on Sunday 2027-10-31.
    await configure({ timeZone: 'Europe/Berlin' });
    const first = at('2027-10-25T07:00:00Z'); // 09:00 CEST
    const second = at('2027-11-01T08:00:00Z'); // 09:00 CET
    for (const t of [first - 2 * 60_000, first, first + 2 * 60_000, second - 2 * 60_000, second, second + 2 * 60_000])
      await tick(t);
    const sent = posts(first - HOUR).filter((m) => m.at < second + HOUR);
    expect(sent.map((m) => m.at)).toEqual([first, second]);
  });

  it('America/New_York in March: Monday 09:00 EST then 09:00 EDT, one post each', async () => {
    await configure({ timeZone: 'America/New_York' });
    const first = at('2028-03-06T14:00:00Z'); // 09:00 EST
    const second = at('2028-03-13T13:00:00Z'); // 09:00 EDT (the change is Sunday 2028-03-12)
    for (const t of [first - 60_000, first, first + HOUR, second - 60_000, second, second + HOUR]) await tick(t);
    expect(
      posts(first - HOUR)
        .filter((m) => m.at <= second + HOUR)
        .map((m) => m.at),
    ).toEqual([first, second]);
  });

  it('two instances racing for the same week post one message', async () => {
    await configure({ timeZone: 'UTC' });
    const due = at('2028-05-01T09:00:00Z');
    // A second instance: the same feature built again over the same database and Discord.
    const context = {
      store: h.encore.store,
      log: h.log.log,
      charts: h.encore.services.charts,
      discord: { client: () => h.encore.discord.client, ownsGuild: () => true },
    } as unknown as FeatureContext;
    const ticks = manualTicks();
    const schedulers = [
      digestFeature({ ...context, instanceId: 'a' }),
      digestFeature({ ...context, instanceId: 'b' }),
    ].map((instance) => startJobs([instance.jobs![0]!], undefined, { log: h.log.log, ticks: ticks.source }));
    discordNow = due;
    expect(await ticks.tick('post-digests', new Date(due))).toBe(2);
    await Promise.all(schedulers.map((s) => s.stop()));
    expect(posts(due - HOUR)).toHaveLength(1);
    await tick(due + 2 * 60_000);
    expect(posts(due - HOUR)).toHaveLength(1);
  });

  it('a crash after posting and before recording still leaves one message', async () => {
    await configure({ timeZone: 'UTC' });
    const due = at('2028-05-08T09:00:00Z');
    const crashing: DigestDeps = {
      ...deps(),
      // The process dies right after Discord answered: nothing recorded, the lease never released.
      ledger: {
        ...deps().ledger,
        record: () => Promise.reject(new Error('crash after posting')),
        unlease: () => Promise.resolve(),
      },
    };
    discordNow = due;
    const results = await postDueDigests(crashing, due);
    expect(results[h.guild.id]).toBe('failed');
    expect(posts(due - HOUR)).toHaveLength(1);
    // Within the lease nobody retries; after it, the retry carries the same nonce and Discord returns the first message.
    await tick(due + 60_000);
    await tick(due + 4 * 60_000);
    await tick(due + 6 * 60_000);
    expect(posts(due - HOUR)).toHaveLength(1);
    expect(await deps().ledger.outcome(h.guild.id, '2028-05-08')).toBe(`message:${posts(due - HOUR)[0]!.id}`);
  });

  it('down at post time: one late digest within a day saying so; more than a day late is skipped and the next says so', async () => {
    await configure({ timeZone: 'UTC' });
    const late = at('2028-05-15T09:00:00Z');
    await tick(late + 5 * HOUR);
    await tick(late + 5 * HOUR + 2 * 60_000);
    const sent = posts(late);
    expect(sent).toHaveLength(1);
    expect(payload(sent[0]!)).toContain('This digest is late');

    const missed = at('2028-05-22T09:00:00Z');
    await tick(missed + 30 * HOUR);
    expect(posts(missed)).toHaveLength(0);
    const next = at('2028-05-29T09:00:00Z');
    await tick(next + 60_000);
    expect(posts(next)).toHaveLength(1);
    expect(payload(posts(next)[0]!)).toContain('Last week’s digest was skipped');
    expect(payload(posts(next)[0]!)).not.toContain('This digest is late');
  });

  it('permissions lost later: the admin is told once, by DM, not every week', async () => {
    await configure({ timeZone: 'UTC' });
    h.emulator.denyBot(digestChannel, ['SendMessages']);
    const dmsBefore = h.dmsOf(admin).length;
    const weeks = [at('2028-06-05T09:00:00Z'), at('2028-06-12T09:00:00Z')];
    for (const w of weeks) {
      await tick(w);
      await tick(w + 2 * 60_000);
    }
    h.emulator.denyBot(digestChannel, []);
    expect(posts(weeks[0]!)).toHaveLength(0);
    const told = h.dmsOf(admin).slice(dmsBefore);
    expect(told).toHaveLength(1);
    expect(payload(told[0]!)).toContain('Send Messages');
  });
});

describe('when the digest channel goes away', () => {
  it('a deleted channel: the admin, whose DMs are closed, is told once in another channel of the server', async () => {
    const closedAdmin = h.member('closed-dms-admin', { dmsClosed: true });
    const doomed = h.emulator.addChannelTo(h.guild, 'doomed');
    await configure({ timeZone: 'UTC', channelId: doomed.id, configuredBy: closedAdmin.id });
    h.emulator.deleteChannel(doomed);
    const general = h.emulator.channel(h.guild, 'general');
    const before = h.emulator.messagesIn(general).length;
    for (const w of [at('2028-06-19T09:00:00Z'), at('2028-06-26T09:00:00Z')]) await tick(w);
    const told = h.emulator.messagesIn(general).slice(before);
    expect(told).toHaveLength(1);
    expect(payload(told[0]!)).toContain(`the channel <#${doomed.id}> is gone`);
    expect(h.dmsOf(closedAdmin)).toHaveLength(0);
  });
});

describe('the personal weekly wrapped DM', () => {
  it('goes once, Monday 09:00 in the member’s own time zone, to members who said yes and listened; /unlink forgets the record', async () => {
    const fan = h.member('wrapped-fan');
    await h.encore.services.privacy!.save(fan.id, { visibleIn: [], weeklyDm: true });
    await h.encore.services.settings!.setTimeZone(fan.id, 'America/New_York');
    await listen(fan, '2028-09-06', 6, { artist: 'Fan Favourite', track: 'Fan Song', genre: 'jazz' });
    await listen(fan, '2028-09-07', 4, { artist: 'Second Band', track: 'Other Song', genre: 'pop' });
    const quiet = h.member('wrapped-quiet'); // said yes, but played nothing that week: no DM about an empty week
    await h.encore.services.privacy!.save(quiet.id, { visibleIn: [], weeklyDm: true });
    const before = { fan: h.dmsOf(fan).length, quiet: h.dmsOf(quiet).length, other: h.dmsOf(optedIn[5]!).length };
    const due = at('2028-09-11T13:00:00Z'); // 09:00 EDT
    for (const t of [due - 2 * 60_000, due, due + 2 * 60_000, due + HOUR]) {
      discordNow = t;
      await h.encore.jobs.runNow('weekly-wrapped', new Date(t));
    }
    const got = h.dmsOf(fan).slice(before.fan);
    expect(got).toHaveLength(1);
    expect(got[0]!.at).toBe(due);
    expect(payload(got[0]!)).toContain('Your week in music');
    expect(payload(got[0]!)).toContain('40 min');
    expect(payload(got[0]!)).toContain('Fan Favourite');
    expect(got[0]!.files.map((f) => f.filename)).toEqual(['wrapped-week.png']);
    expect(got[0]!.files[0]!.description).toContain('Fan Favourite');
    expect(h.dmsOf(quiet).slice(before.quiet)).toHaveLength(0);
    expect(h.dmsOf(optedIn[5]!).slice(before.other)).toHaveLength(0); // never said yes

    const erased = await h.encore.services.personalData.eraseAll(fan.id);
    expect(erased.map(erasedWords).join(' ')).toContain('weekly DMs');
  });
});

describe('/wrapped', () => {
  it('shows the member their own week or year, only to them; says so when there is nothing', async () => {
    const me = h.member('wrapped-me');
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    await listen(me, day(2), 5, { artist: 'This Week Band', track: 'Now Song', genre: 'pop' });
    await listen(me, day(100), 20, { artist: 'Spring Band', track: 'Old Song', genre: 'rock' });
    const week = await h.invoke('/wrapped', {}, me);
    expect(week.ephemeral).toBe(true);
    expect(payload(week.final!)).toContain('Your week in music');
    expect(payload(week.final!)).toContain('This Week Band');
    expect(payload(week.final!)).not.toContain('Spring Band');
    const year = await h.invoke('/wrapped', { period: 'year' }, me);
    expect(year.ephemeral).toBe(true);
    expect(payload(year.final!)).toContain('Your year in music');
    expect(payload(year.final!)).toContain('1 h 40 min'); // 25 plays of 4 minutes
    expect(payload(year.final!)).toMatch(/1\. \u2068Spring Band\u2069 · 1 h 20 min · 20 plays/);
    // Each card is named by its period (the weekly DM's is wrapped-week.png, above).
    expect(year.final!.files.map((f) => f.filename)).toEqual(['wrapped-year.png']);
    // All time is counted from the member's first play, and says that date (not 2006).
    const all = await h.invoke('/wrapped', { period: 'all' }, me);
    expect(payload(all.final!)).toContain(`since your first play on ${day(100)}`);
    expect(payload(all.final!)).not.toContain('2006');
    expect(all.final!.files.map((f) => f.filename)).toEqual(['wrapped-all.png']);
    const nobody = await h.invoke('/wrapped', { period: 'month' }, h.member('wrapped-nobody'));
    expect(payload(nobody.final!)).toContain('Encore has no plays of yours for the past 30 days');
  });
});

describe('/wrapped year: the ranking and the bars agree', () => {
  it('ranks top artists by listening time, the measure its card draws, so no bar outgrows the one above it', async () => {
    const me = h.member('wrapped-bars');
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    // Many short plays against a few long ones: by plays Skits leads, by time Long Mixes does.
    await listen(me, day(10), 30, { artist: 'Skits', track: 'Interlude', genre: 'pop' }, 30_000); // 15 min
    await listen(me, day(11), 4, { artist: 'Long Mixes', track: 'Hour Mix', genre: 'house' }, 3_600_000); // 4 h
    await listen(me, day(12), 10, { artist: 'Middle', track: 'Song', genre: 'rock' }, 240_000); // 40 min
    const year = await h.invoke('/wrapped', { period: 'year' }, me);
    const text = payload(year.final!);
    expect(text).toMatch(/1\. \u2068Long Mixes\u2069 · 4 h 0 min · 4 plays/);
    expect(text).toMatch(/2\. \u2068Middle\u2069 · 40 min · 10 plays/);
    expect(text).toMatch(/3\. \u2068Skits\u2069 · 15 min · 30 plays/);
    // The card's alt text lists its bars top to bottom with what each bar measures.
    const alt = year.final!.files[0]!.description ?? '';
    expect(alt.indexOf('Long Mixes')).toBeLessThan(alt.indexOf('Middle'));
    expect(alt.indexOf('Middle')).toBeLessThan(alt.indexOf('Skits'));
  });
});

describe('what a digest shows', () => {
  it('the week of opted-in members only: totals, top artists, tracks, genres with a chart and alt text, the leaderboard with movement; nothing of those who opted out', async () => {
    await configure({ timeZone: 'UTC', warnedChannelId: undefined });
    const post = at('2028-07-03T09:00:00Z'); // covers 2028-06-26 … 07-02; last week 06-19 … 06-25
    // Last week: listener00 led, listener01 second.
    await listen(optedIn[0]!, '2028-06-20', 10, { artist: 'Old Favourite', track: 'Old Song', genre: 'rock' });
    await listen(optedIn[1]!, '2028-06-21', 5, { artist: 'Old Favourite', track: 'Old Song', genre: 'rock' });
    // This week: eleven listeners, listener01 on top (▲1), listener00 second (▼1), the others NEW.
    for (const [i, m] of optedIn.entries())
      await listen(m, '2028-06-28', i === 1 ? 30 : i === 0 ? 20 : 12 - i, {
        artist: i % 2 ? 'Ünïcødé 🎸 Band' : 'ﺍﻟﻔﺮﻗﺔ',
        track: i % 2 ? 'A Very Long Track Name That Goes On And On And On Beyond Any Reasonable Length' : 'Short',
        genre: i % 3 ? 'pop' : 'jazz',
      });
    // Those who opted out listened more than anyone, to music nobody else plays.
    for (const m of optedOut)
      await listen(m, '2028-06-29', 60, { artist: 'SecretArtistXyz', track: 'SecretTrackXyz', genre: 'secretgenre' });

    await tick(post);
    const [digest] = posts(post);
    expect(digest).toBeDefined();
    const all = payload(digest!);
    for (const m of optedOut) {
      expect(all).not.toContain(m.id);
      expect(all).not.toContain(m.username);
    }
    for (const secret of ['SecretArtistXyz', 'SecretTrackXyz', 'secretgenre']) expect(all).not.toContain(secret);
    // The charts are drawn from the digest's data alone: nothing of theirs is in it either.
    const data = JSON.stringify(await computeDigest(deps(), h.guild.id, '2028-07-03', 'UTC'));
    for (const secret of ['SecretArtistXyz', 'SecretTrackXyz', 'secretgenre', ...optedOut.map((m) => m.id)])
      expect(data).not.toContain(secret);
    // 11 members, plays 20+30+10+9+…+2 = 104 plays of 4 minutes = 6 h 56 min, counted from opted-in members only.
    expect(all).toContain('6 h 56 min');
    expect(all).toContain('104 plays');
    expect(all).toContain('11 members');
    expect(all).toMatch(/\*\*1\.\*\* \u2068listener01\u2069 · 2 h 0 min `▲1`/);
    expect(all).toMatch(/\*\*2\.\*\* \u2068listener00\u2069 · 1 h 20 min `▼1`/);
    expect(all).toContain('`NEW`');
    expect(all).not.toContain('listener10'); // eleventh: top 10 only
    expect(digest!.files.map((f) => f.filename)).toEqual(['digest-genres.png', 'digest-clock.png']);
    expect(digest!.files[0]!.description).toMatch(/top genres this week: /i);
    expect(digest!.files[0]!.description).toContain('Pop');
    // Everyone listened on Wednesday 2028-06-28 from 10:00 UTC; the opted-out members' 60 plays each are not counted.
    expect(digest!.files[1]!.description).toContain('416 minutes in all');
    expect(digest!.files[1]!.description).toContain('Busiest day: Wed');
    expect(all).toContain('Discovered this week');
  });

  it('fewer than two opted-in members with plays: a short note, not an empty digest', async () => {
    await configure({ timeZone: 'UTC' });
    const post = at('2028-08-07T09:00:00Z');
    await listen(optedIn[2]!, '2028-08-02', 3, { artist: 'Solo', track: 'Alone', genre: 'folk' });
    await tick(post);
    const [note] = posts(post);
    expect(payload(note!)).toContain('Not enough listening this week');
    expect(payload(note!)).not.toContain('listener02');
    expect(note!.files).toHaveLength(0);
  });

  it('/digest preview answers only the admin, right now, with the last seven days', async () => {
    const seen = await h.invoke('/digest', { subcommand: 'preview' }, admin);
    expect(seen.ephemeral).toBe(true);
    expect(contentAndEmbeds(seen.final)).toContain('Preview: the last seven days');
    expect(posts(0).filter((m) => m.at > Date.now() - HOUR && contentAndEmbeds(m).includes('Preview'))).toHaveLength(0);
  });

  it('/digest accent colours the server’s digest and leaderboard; "default" gives Encore’s back; a bad colour is refused and nothing stored', async () => {
    const accentOf = (m?: { components?: readonly unknown[] }) =>
      (m?.components?.[0] as { accent_color?: number } | undefined)?.accent_color;
    const set = await h.invoke('/digest', { subcommand: 'accent', colour: '#1db954' }, admin);
    expect(set.ephemeral).toBe(true);
    expect(layoutTexts(set.final).join('\n')).toContain('#1DB954');
    expect(accentOf(set.final)).toBe(0x1db954);
    const preview = await h.invoke('/digest', { subcommand: 'preview' }, admin);
    expect(layoutTexts(preview.final).join('\n')).toContain('Preview: the last seven days');
    expect(accentOf(preview.final)).toBe(0x1db954);
    const board = await h.invoke('/leaderboard', {}, admin);
    expect(accentOf(board.final)).toBe(0x1db954);
    const shown = await h.invoke('/digest', { subcommand: 'show' }, admin);
    expect(contentAndEmbeds(shown.final)).toContain('Accent colour: **#1DB954**');

    const bad = await h.invoke('/digest', { subcommand: 'accent', colour: 'green' }, admin);
    expect(contentAndEmbeds(bad.final)).toContain('isn’t a colour I can use');
    expect((await deps().settings.get(h.guild.id))?.accent).toBe(0x1db954);
    const short = await h.invoke('/digest', { subcommand: 'accent', colour: '#fff' }, admin);
    expect(contentAndEmbeds(short.final)).toContain('six hex digits');
    expect((await deps().settings.get(h.guild.id))?.accent).toBe(0x1db954);

    const reset = await h.invoke('/digest', { subcommand: 'accent', colour: 'default' }, admin);
    expect(accentOf(reset.final)).toBe(BRAND_COLOUR);
    expect((await deps().settings.get(h.guild.id))?.accent).toBeUndefined();
    const again = await h.invoke('/digest', { subcommand: 'preview' }, admin);
    expect(accentOf(again.final)).toBe(BRAND_COLOUR);
    expect(accentOf((await h.invoke('/leaderboard', {}, admin)).final)).toBe(BRAND_COLOUR);
  });

  it('/unlink forgets the admin who configured the digest', async () => {
    await configure({ configuredBy: admin.id });
    const erased = await h.encore.services.personalData.eraseAll(admin.id);
    expect(erased.map(erasedWords).join(' ')).toContain('weekly digest');
    expect((await deps().settings.get(h.guild.id))?.configuredBy).toBeUndefined();
  });
});
