import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Routes } from 'discord.js';
import type { EInteraction, EUser, RecordedMessage } from '../emulators/discord/index.js';
import { connectLinkedRoles } from './support/linkedRolesConnect.js';
import { followLinkPage } from './support/linkPage.js';
import { nextOccurrence } from '../src/core/digest/index.js';
import { messageMarkdown } from './sandbox/transcript.js';
import { SANDBOX_LISTENBRAINZ_USERS, startSandbox, type Sandbox } from './sandbox/world.js';

/**
 * `npm run sandbox`: Encore against the in-repo Discord and Spotify emulators, on the embedded
 * store, with nothing to configure. `-- --tour` runs a scripted tour and writes sandbox-out/.
 */
const OUT = 'sandbox-out';
const tour = process.argv.includes('--tour');
if (tour) {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
}
// --data=DIR keeps the interactive sandbox's store elsewhere than data/sandbox (tests use it).
const dataDir = process.argv.find((a) => a.startsWith('--data='))?.slice('--data='.length) ?? 'data/sandbox';
const sandbox = tour
  ? await startSandbox(`data/sandbox-tour-${process.pid}`, 'info', path.join(OUT, 'encore.log'))
  : await startSandbox(dataDir);

const reply = (i: EInteraction) => (i.original ? sandbox.discord.state.messages.get(i.original.id) : undefined);
// "timezone zone:Europe/Paris": a word without a colon names the subcommand.
const parseOptions = (words: string[]) =>
  Object.fromEntries(
    words.map((w) => {
      if (!w.includes(':')) return ['subcommand', w];
      const [k, ...v] = w.split(':');
      const value = v.join(':');
      return [k, value === 'true' ? true : value === 'false' ? false : /^\d+$/.test(value) ? Number(value) : value];
    }),
  );

async function invoke(member: EUser, command: string, options: Record<string, unknown> = {}) {
  return sandbox.settled(sandbox.discord.chatInput(command, options, member, { guild: sandbox.guild }));
}
async function click(member: EUser, message: RecordedMessage, customId: string) {
  return sandbox.settled(sandbox.discord.component(message, customId, member));
}
/** "token=abc name=x": the member fills in their open modal and submits it. */
async function submit(member: EUser, words: string[]) {
  const values = Object.fromEntries(words.map((w) => [w.split('=')[0]!, w.split('=').slice(1).join('=')]));
  return sandbox.settled(sandbox.discord.modalSubmit(values, member));
}
/** A modal is no message (onMessage never sees it): say what it asks, and how to answer. */
function showModal(who: string, interaction: EInteraction) {
  const modal = interaction.modal;
  if (!modal) return;
  const fields = modal.fields.map(
    (f) =>
      `  ${f.custom_id}: ${f.label}${f.required ? '' : ' (optional)'}${f.description ? ` — ${f.description}` : ''}`,
  );
  console.log(
    `\n📝 ${who} sees a form, "${modal.title}":\n${fields.join('\n')}\n— type "${who} submit ${modal.fields.map((f) => `${f.custom_id}=…`).join(' ')}"`,
  );
}
/** "7d", "12h", "90m" → milliseconds. */
function parseDuration(text = ''): number | undefined {
  const m = /^(\d+)([dhm])$/.exec(text);
  return m ? Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm'] : undefined;
}
const buttonsOf = (m?: RecordedMessage) =>
  (
    m?.components as Array<{ components?: Array<{ custom_id?: string; url?: string; label?: string }> }> | undefined
  )?.flatMap((r) => r.components ?? []) ?? [];

/** The link flow a person does in a browser: open the DM's link, Continue, approve on Spotify's page. */
async function linkInBrowser(member: EUser, spotifyUser: string): Promise<string> {
  const url = buttonsOf(sandbox.discord.dmsOf(member).at(-1)).find((b) => b.url)?.url;
  if (!url) throw new Error('no link to open');
  const { authorizeUrl, html } = await followLinkPage(url);
  if (!authorizeUrl) return html.match(/<h1>(.*?)<\/h1>/)?.[1] ?? '';
  const callback = await sandbox.spotify.consent({ authorizeUrl, userId: spotifyUser });
  return (await (await fetch(callback)).text()).match(/<h1>(.*?)<\/h1>/)?.[1] ?? '';
}

/**
 * What a browser does with the /link source:lastfm button: Last.fm's approval page as `user` (the
 * emulator's `as=`), then Encore's callback. Returns the page's heading.
 */
async function approveOnLastfm(url: string, user: string): Promise<string> {
  const approval = await fetch(`${url}&as=${encodeURIComponent(user)}`, { redirect: 'manual' });
  const callback = approval.headers.get('location');
  if (!callback) return `(Last.fm answered ${approval.status}: no such user?)`;
  return (await (await fetch(callback)).text()).match(/<h1>(.*?)<\/h1>/)?.[1] ?? '';
}
const LASTFM_USERS = 'gwen, hugo, frankie, iris (private)';

if (tour) {
  console.log(
    `Encore sandbox tour — charts drawn with ${sandbox.encore.services.charts?.backend ?? '(no chart renderer)'}; the bot's JSON logs: ${sandbox.logFile}`,
  );
  const md: string[] = ['# Encore sandbox tour', ''];
  let failures = 0;
  const step = (title: string, ok: boolean, body: string) => {
    md.push(`## ${ok ? '✅' : '❌'} ${title}`, '', body || '_(nothing)_', '');
    if (!ok) failures++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${title}`);
  };
  const show = (messages: Array<RecordedMessage | undefined>) =>
    messages
      .filter((m): m is RecordedMessage => !!m)
      .map((m) => messageMarkdown(m, OUT))
      .join('\n\n---\n\n');
  const m = (name: string) => sandbox.members.get(name)!;
  const text = (msg?: RecordedMessage) => JSON.stringify(msg ?? {});

  for (const [member, spotifyUser] of [
    ['alice', 'alice'],
    ['bob', 'bob'],
    ['carol', 'carol'],
  ] as const) {
    const before = sandbox.discord.dmsOf(m(member)).length;
    const linkReply = await invoke(m(member), 'link');
    const dm = sandbox.discord.dmsOf(m(member))[before];
    step(
      `${member}: /link sends a private link by DM`,
      !!dm && buttonsOf(dm).some((b) => b.url?.includes('/link/')),
      show([reply(linkReply), dm]),
    );
    const page = await linkInBrowser(m(member), spotifyUser);
    const linkedDm = sandbox.discord.dmsOf(m(member)).at(-1);
    step(
      `${member}: opens the link, approves on Spotify, sees "${page}" and gets a DM`,
      page.startsWith('Linked as') && text(linkedDm).includes('Linked as'),
      `Page: **${page}**\n\n${show([linkedDm])}`,
    );
  }
  const visited = new Set(['link']);
  const invokeTour = (member: EUser, command: string, options: Record<string, unknown> = {}) => (
    visited.add(command),
    invoke(member, command, options)
  );

  const aliceLinked = sandbox.discord.dmsOf(m('alice')).at(-1);
  const showMe = buttonsOf(aliceLinked).find((b) => b.label === 'Show me in this server');
  const shown = showMe && aliceLinked ? await click(m('alice'), aliceLinked, showMe.custom_id!) : undefined;
  step(
    'alice answers the "linked" DM: appear in this server’s leaderboards and digests',
    text(shown && reply(shown)).includes('✅ you appear'),
    show([shown && reply(shown)]),
  );

  const refused = await (async () => {
    await invoke(m('dave'), 'link');
    return linkInBrowser(m('dave'), 'mallory');
  })();
  step(
    'dave tries a Spotify account the app’s allowlist lacks and is told to ask the operator',
    refused.includes('isn’t registered with this bot'),
    `Page: **${refused}**`,
  );

  const shy = await invoke(m('shy'), 'link');
  step(
    'shy (DMs closed): /link answers with the link in a private reply',
    buttonsOf(reply(shy)).some((b) => b.url?.includes('/link/')),
    show([reply(shy)]),
  );

  // Spotify links five members at most: the others bring their listening from ListenBrainz or Last.fm.
  const lbPrompt = await invoke(m('dave'), 'link', { source: 'listenbrainz' });
  const enterToken = buttonsOf(reply(lbPrompt)).find((b) => b.custom_id === 'link:lb-token');
  const form = enterToken ? await click(m('dave'), reply(lbPrompt)!, enterToken.custom_id!) : undefined;
  const lbToken = sandbox.listenbrainz.user('lena').token;
  const lbDone = form?.modal ? await submit(m('dave'), [`token=${lbToken}`]) : undefined;
  // Checked once with ListenBrainz, then forgotten: in no table Encore writes, not in its log.
  const tokenKept = await sandbox.encore.store.pool.query(
    `SELECT 1 FROM keyv WHERE value LIKE '%' || $1 || '%' UNION ALL SELECT 1 FROM source_links WHERE user_name = $1`,
    [lbToken],
  );
  step(
    'dave: /link source:ListenBrainz, pastes lena’s user token into the form, and is connected (the token is not kept)',
    text(lbDone && reply(lbDone)).includes('Connected ListenBrainz as lena') &&
      tokenKept.rowCount === 0 &&
      !readFileSync(sandbox.logFile, 'utf8').includes(lbToken),
    `${show([reply(lbPrompt)])}\n\n📝 Form "${form?.modal?.title ?? '(none)'}": ${form?.modal?.fields.map((f) => f.label).join(', ') ?? ''}\n\n${show([lbDone && reply(lbDone)])}`,
  );
  const lfmLink = await invoke(m('erin'), 'link', { source: 'lastfm' });
  const lfmUrl = buttonsOf(reply(lfmLink)).find((b) => b.url?.startsWith(sandbox.lastfm.authUrl))?.url;
  const lfmPage = lfmUrl ? await approveOnLastfm(lfmUrl, 'gwen') : '';
  const lfmDm = sandbox.discord.dmsOf(m('erin')).at(-1);
  step(
    `erin: /link source:Last.fm, allows Encore on Last.fm as gwen, sees "${lfmPage}" and gets a DM`,
    lfmPage === 'Connected Last.fm as gwen' && text(lfmDm).includes('Connected Last.fm as gwen'),
    `${show([reply(lfmLink)])}\n\nPage: **${lfmPage}**\n\n${show([lfmDm])}`,
  );
  const backfillStarted = Date.now();
  await sandbox.syncSources();
  const playsOf = async (member: EUser) =>
    Number(
      (
        await sandbox.encore.store.pool.query<{ n: string }>(`SELECT count(*) AS n FROM plays WHERE member_id = $1`, [
          member.id,
        ])
      ).rows[0]!.n,
    );
  const [daveIn, erinIn] = [await playsOf(m('dave')), await playsOf(m('erin'))];
  const [lenaHas, gwenHas] = [sandbox.listenbrainz.user('lena').history.count(), sandbox.lastfm.history('gwen').count];
  const historyIn = (member: EUser) =>
    sandbox.discord
      .dmsOf(member)
      .filter((dm) => /Your history is in|Bringing in your/.test(text(dm)))
      .slice(-2);
  step(
    `the backfill brings both whole histories in (dave: ${daveIn.toLocaleString('en')} of lena’s ${lenaHas.toLocaleString('en')} listens; erin: ${erinIn.toLocaleString('en')} of gwen’s ${gwenHas.toLocaleString('en')} scrobbles) and says so by DM`,
    // Every listen is a play but for a repeat of a track seconds after itself (a listen counts once)
    // and, one pair in a thousand, two tracks of one second placed at the same instant.
    daveIn <= lenaHas &&
      lenaHas - daveIn <= Math.ceil(lenaHas / 1000) &&
      erinIn <= gwenHas &&
      gwenHas - erinIn <= Math.ceil(gwenHas / 1000) &&
      // Not backfill.plays (what this call stored): the sandbox's own minute tick may store some pages first.
      text(historyIn(m('dave')).at(-1)).includes('Your history is in') &&
      text(historyIn(m('erin')).at(-1)).includes('Your history is in'),
    `${show([...historyIn(m('dave')), ...historyIn(m('erin'))])}\n\n_(${((Date.now() - backfillStarted) / 1000).toFixed(1)} s at the sources’ own pace)_`,
  );

  const privacy = await invokeTour(m('bob'), 'privacy');
  const weekly = buttonsOf(reply(privacy)).find((b) => b.label === 'Send me a weekly DM');
  const weeklyOn = weekly ? await click(m('bob'), reply(privacy)!, weekly.custom_id!) : undefined;
  step(
    '/privacy shows bob’s choices (hidden by default) and turns on the weekly DM',
    text(reply(privacy)).includes('you don’t appear') && text(weeklyOn && reply(weeklyOn)).includes('✅ on'),
    show([reply(privacy), weeklyOn && reply(weeklyOn)]),
  );

  const help = await invokeTour(m('alice'), 'help');
  step('/help lists the commands', text(reply(help)).includes('/sort'), show([reply(help)]));
  const profile = await invokeTour(m('alice'), 'profile');
  step('/profile shows the linked account', text(reply(profile)).includes('Linked as Alice'), show([reply(profile)]));
  for (const kind of ['top-genres', 'top-artists', 'top-tracks']) {
    const chart = await invokeTour(m('bob'), 'chart', { kind, range: 'medium_term' });
    step(`/chart ${kind}`, (reply(chart)?.files.length ?? 0) === 1, show([reply(chart)]));
  }
  const preview = await invokeTour(m('alice'), 'sort', { playlist: 'roadtrip1000', min_tracks: 15 });
  const confirm = buttonsOf(reply(preview)).find((b) => b.custom_id?.startsWith('sort:confirm:'));
  step(
    '/sort shows a preview with a chart and Confirm',
    !!confirm && (reply(preview)?.files.length ?? 0) === 1,
    show([reply(preview)]),
  );
  if (confirm) {
    const done = await click(m('alice'), reply(preview)!, confirm.custom_id!);
    step('Confirm creates the genre playlists', text(reply(done)).includes('playlists created'), show([reply(done)]));
  }
  const order = await invoke(m('alice'), 'sort', { playlist: 'Tiny', mode: 'order', order_by: 'release-date' });
  // Where rewriting the playlist is quickest, Encore first asks, since that resets "date added".
  const keepDates = buttonsOf(reply(order)).find((b) => b.custom_id?.startsWith('sort:order-keep:'));
  const question = show([reply(order)]); // the message is edited in place by the click: show it as asked
  const ordered = keepDates ? await click(m('alice'), reply(order)!, keepDates.custom_id!) : order;
  step(
    '/sort mode:order reorders a playlist in place (asking first when "date added" would be reset)',
    /Reordered|already in that order/.test(text(reply(ordered))),
    keepDates ? `${question}\n\n${show([reply(ordered)])}` : question,
  );
  // A week goes by in seconds: the emulated members listen, the collector polls them as it would.
  const started = Date.now();
  const week = await sandbox.advance(7 * 86_400_000);
  console.log(`     (the week took ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  step(
    `advance 7d: the collector polled through a simulated week (${week.polls} polls, ${week.plays} plays stored)`,
    week.plays > 200,
    `The sandbox's clock is now ${new Date(sandbox.now()).toUTCString()}.`,
  );
  const zone = await invokeTour(m('alice'), 'settings', { subcommand: 'timezone', zone: 'Europe/Paris' });
  step('/settings timezone: alice sets hers', text(reply(zone)).includes('Europe/Paris'), show([reply(zone)]));
  for (const [kind, options] of [
    ['listening-clock', { period: 'week' }],
    ['genre-mix', {}],
    ['top-tracks', { period: 'week' }],
    ['top-genres', { period: 'all' }],
  ] as const) {
    const chart = await invokeTour(m('alice'), 'chart', { kind, ...options });
    const alt = reply(chart)?.files[0]?.description ?? '';
    step(
      `/chart ${kind} from the collected week`,
      (reply(chart)?.files.length ?? 0) === 1 && !/Not enough/.test(alt),
      show([reply(chart)]),
    );
  }
  // Cover-art grid (issue 25): the covers Spotify listed with each collected album, fetched once into the cache.
  const grid = await invokeTour(m('alice'), 'chart', { kind: 'albums-grid', size: '3x3', period: 'week' });
  step(
    '/chart albums-grid: a 3×3 grid of alice’s top albums, with their covers',
    (reply(grid)?.files.length ?? 0) === 1 && /^3×3 cover-art grid/.test(reply(grid)?.files[0]?.description ?? ''),
    show([reply(grid)]),
  );
  // Streaks come from the history whatever its source: dave's is ListenBrainz's two years.
  const streak = await invokeTour(m('dave'), 'streak');
  step(
    '/streak: dave’s days in a row from his ListenBrainz history',
    text(reply(streak)).includes('Your streaks') && text(reply(streak)).includes('Longest:'),
    show([reply(streak)]),
  );
  // What alice plays at the sandbox's now on Spotify, or her last track, with her counts from the collected week.
  const nowPlaying = await invokeTour(m('alice'), 'np');
  step(
    '/np: alice’s track now (or her last one), her plays of it and of its artist, posted with a 🔁 Refresh',
    /Now playing|Last played/.test(text(reply(nowPlaying))) &&
      text(reply(nowPlaying)).includes('of this track') &&
      buttonsOf(reply(nowPlaying)).some((b) => b.custom_id?.startsWith('np:refresh:')),
    show([reply(nowPlaying)]),
  );
  // A member brings their past: Spotify's "Extended streaming history" zip, uploaded on the /import page.
  const importAsk = await invokeTour(m('bob'), 'import');
  const importDm = sandbox.discord.dmsOf(m('bob')).at(-1);
  const uploadUrl = buttonsOf(importDm).find((b) => b.url?.includes('/import/'))?.url;
  const until = sandbox.now();
  const zip = await sandbox.spotify.exportExtendedHistory('bob', { from: until - 180 * 86_400_000, to: until });
  const dmsBeforeImport = sandbox.discord.dmsOf(m('bob')).length;
  const upload = uploadUrl ? await fetch(uploadUrl, { method: 'POST', body: new Uint8Array(zip) }) : undefined;
  await upload?.text();
  const imported = sandbox.discord.dmsOf(m('bob'))[dmsBeforeImport];
  step(
    '/import: bob uploads six months of Spotify’s Extended streaming history and is told what was imported',
    upload?.status === 200 && /Imported [\d,]+ plays/.test(text(imported)),
    show([reply(importAsk), importDm, imported]),
  );
  const unlink = await invokeTour(m('carol'), 'unlink');
  const yes = buttonsOf(reply(unlink)).find((b) => b.custom_id?.startsWith('unlink:confirm'));
  const unlinked = yes ? await click(m('carol'), reply(unlink)!, yes.custom_id!) : undefined;
  step(
    '/unlink deletes everything after a confirm',
    text(unlinked && reply(unlinked)).includes('Deleted:'),
    show([reply(unlink), unlinked && reply(unlinked)]),
  );

  const digestChannel = sandbox.discord.channel(sandbox.guild, 'digest');
  // bob now shares his listening here too: a digest needs two members.
  const bobPrivacy = await invoke(m('bob'), 'privacy');
  const bobShow = buttonsOf(reply(bobPrivacy)).find((b) => b.label === 'Show me in this server');
  if (bobShow) await click(m('bob'), reply(bobPrivacy)!, bobShow.custom_id!);
  // dave and erin (ListenBrainz and Last.fm) share theirs too: the boards count every source alike.
  const sourceShown: Array<EInteraction | undefined> = [];
  for (const name of ['dave', 'erin']) {
    const asked = await invoke(m(name), 'privacy');
    const yes = buttonsOf(reply(asked)).find((b) => b.label === 'Show me in this server');
    sourceShown.push(yes ? await click(m(name), reply(asked)!, yes.custom_id!) : undefined);
  }
  step(
    '/privacy: dave (ListenBrainz) and erin (Last.fm) choose to appear in this server',
    sourceShown.every((i) => text(i && reply(i)).includes('✅ you appear')),
    show(sourceShown.map((i) => i && reply(i))),
  );
  const digestSet = await invokeTour(m('alice'), 'digest', { subcommand: 'channel', channel: digestChannel.id });
  await invoke(m('alice'), 'digest', { subcommand: 'enabled', on: true });
  const digestPreview = await invoke(m('alice'), 'digest', { subcommand: 'preview' });
  const postAt = nextOccurrence({ weekday: 1, hour: 9, timeZone: 'UTC' }, sandbox.now()).postAt;
  await sandbox.encore.jobs.runNow('post-digests', new Date(postAt));
  const posted = sandbox.discord.messagesIn(digestChannel).at(-1);
  step(
    '/digest: alice picks the channel, turns it on and previews it; next Monday 09:00 the digest is posted once',
    text(reply(digestSet)).includes(digestChannel.id) &&
      text(reply(digestPreview)).includes('Preview') &&
      sandbox.discord.messagesIn(digestChannel).length === 1,
    show([reply(digestSet), reply(digestPreview), posted]),
  );

  const wrapped = await invokeTour(m('bob'), 'wrapped', { period: 'year' });
  const weeklyBefore = sandbox.discord.dmsOf(m('bob')).length;
  // bob said yes to the weekly DM above: it comes the first Monday 09:00 after Encore saw that yes.
  const monday = nextOccurrence({ weekday: 1, hour: 9, timeZone: 'UTC' }, sandbox.now()).postAt;
  await sandbox.encore.jobs.runNow('weekly-wrapped', new Date(sandbox.now()));
  await sandbox.encore.jobs.runNow('weekly-wrapped', new Date(monday));
  const weeklyDm = sandbox.discord.dmsOf(m('bob'))[weeklyBefore];
  step(
    '/wrapped year shows bob his own year; the next Monday his personal weekly wrapped comes by DM',
    text(reply(wrapped)).includes('Your year in music') && text(weeklyDm).includes('Your week in music'),
    show([reply(wrapped), weeklyDm]),
  );

  // Server social: alice and bob share their listening here (above), so the boards are not empty.
  const board = await invokeTour(m('alice'), 'leaderboard', { metric: 'minutes', period: 'week' });
  step(
    '/leaderboard: the server’s minutes this week, only members who share their listening here',
    text(reply(board)).includes(`<@${m('alice').id}>`) && text(reply(board)).includes(`<@${m('bob').id}>`),
    show([reply(board)]),
  );
  const sharers = ['alice', 'bob', 'dave', 'erin'] as const;
  const yearBoard = await invoke(m('alice'), 'leaderboard', { metric: 'plays', period: 'year' });
  step(
    '/leaderboard plays this year: Spotify, ListenBrainz and Last.fm members on one board',
    sharers.every((name) => text(reply(yearBoard)).includes(`<@${m(name).id}>`)),
    show([reply(yearBoard)]),
  );
  // The server's year (issue 25): its tops and awards, among the members who share their listening here.
  const serverYear = await invokeTour(m('carol'), 'wrapped', { scope: 'server', period: 'year' });
  step(
    '/wrapped scope:server period:year: the server’s year so far, with its award cards',
    text(reply(serverYear)).includes('Awards') && (reply(serverYear)?.files.length ?? 0) === 1,
    show([reply(serverYear)]),
  );
  // The artist most of the sharing members played, whatever their source: one artist, counted once.
  const shared = (
    await sandbox.encore.store.pool.query<{ name: string; members: string }>(
      `SELECT a.name, count(DISTINCT t.member_id) AS members FROM member_artist_totals t JOIN artists a ON a.id = t.artist_id
       WHERE t.member_id = ANY($1::text[]) GROUP BY a.id, a.name
       ORDER BY count(DISTINCT t.member_id) DESC, sum(t.plays) DESC LIMIT 1`,
      [sharers.map((name) => m(name).id)],
    )
  ).rows[0];
  const suggested = await sandbox.settled(
    sandbox.discord.autocomplete('whoknows', { subcommand: 'artist', name: shared?.name ?? '' }, 'name', m('bob'), {
      guild: sandbox.guild,
    }),
  );
  const artist = suggested.autocompleteChoices?.[0];
  const who = await invokeTour(m('bob'), 'whoknows', { subcommand: 'artist', name: String(artist?.value ?? '') });
  const knowers = sharers.filter((name) => text(reply(who)).includes(`<@${m(name).id}>`));
  step(
    `/whoknows artist: bob types ${shared?.name ?? '(nothing shared)'} and picks ${artist?.name ?? '(nothing offered)'}; it lists ${knowers.join(', ')} across Spotify, ListenBrainz and Last.fm`,
    !!artist &&
      text(reply(who)).includes('Who knows') &&
      knowers.some((name) => name === 'alice' || name === 'bob') &&
      knowers.some((name) => name === 'dave' || name === 'erin'),
    show([reply(who)]),
  );
  const crowns = await invokeTour(m('bob'), 'crowns');
  step(
    '/crowns: the artists bob holds the crown for here',
    text(reply(crowns)).includes('crown'),
    show([reply(crowns)]),
  );
  const compat = await invokeTour(m('alice'), 'compat', { member: m('bob').id });
  step(
    '/compat: alice and bob’s taste compatibility, the artists both love, one to try each',
    /Taste compatibility: \d+\/100/.test(text(reply(compat))),
    show([reply(compat)]),
  );
  const serverChart = await invokeTour(m('alice'), 'chart', { kind: 'top-genres', scope: 'server', period: 'all' });
  step(
    '/chart scope:server: the server’s top genres',
    (reply(serverChart)?.files.length ?? 0) === 1 && text(reply(serverChart)).includes('Top genres in'),
    show([reply(serverChart)]),
  );

  // Suggestions: alice's artists, her genres and what listeners like her play here, each with why.
  const suggestion = await invokeTour(m('alice'), 'suggest', { count: 8 });
  const saveButton = buttonsOf(reply(suggestion)).find((b) => b.custom_id?.startsWith('suggest:save:'));
  const savedAnswer = saveButton ? await click(m('alice'), reply(suggestion)!, saveButton.custom_id!) : undefined;
  step(
    '/suggest: alice gets tracks she never played, each saying why; Save makes them a private playlist',
    text(reply(suggestion)).includes('↳') &&
      text(savedAnswer && reply(savedAnswer)).includes('Saved to a private playlist'),
    show([savedAnswer && reply(savedAnswer)]),
  );
  const radarOn = await invoke(m('alice'), 'suggest', { radar: 'on' });
  const radarDmsBefore = sandbox.discord.dmsOf(m('alice')).length;
  const nextMonday = nextOccurrence({ weekday: 1, hour: 1, timeZone: 'UTC' }, sandbox.now() + 86_400_000).postAt;
  await sandbox.encore.jobs.runNow('refresh-radars', new Date(nextMonday));
  const radarDm = sandbox.discord.dmsOf(m('alice'))[radarDmsBefore];
  step(
    '/suggest radar:On — alice’s weekly Encore Radar playlist; next Monday it is refreshed in place and she gets a DM',
    text(reply(radarOn)).includes('Encore Radar is on') && text(radarDm).includes('Your Encore Radar'),
    show([reply(radarOn), radarDm]),
  );
  const soundsOn = await invoke(m('alice'), 'digest', { subcommand: 'playlist', on: true });
  const at = new Date(sandbox.now());
  const firstOfMonth = Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1, 0, 23);
  await sandbox.encore.jobs.runNow('refresh-server-playlists', new Date(firstOfMonth));
  const sounds = sandbox.discord.messagesIn(digestChannel).at(-1);
  step(
    '/digest playlist: alice turns on "Sounds of <server>" in her Spotify; on the first of the month it is refreshed and announced in the digest channel',
    text(reply(soundsOn)).includes('Sounds of') && text(sounds).includes('Sounds of'),
    show([reply(soundsOn), sounds]),
  );

  const rolePage = await connectLinkedRoles(sandbox.config.PUBLIC_URL, m('alice').id);
  const roleValues = sandbox.discord.oauth2.roleConnections.get(m('alice').id);
  step(
    'Linked Roles: alice connects Encore from a role (Discord’s consent page, then the callback); Discord now holds her figures',
    rolePage.status === 200 && Number(roleValues?.metadata.hours_this_month) > 0,
    `Discord holds for alice: \`${JSON.stringify(roleValues)}\``,
  );

  // User install (issue 26): the personal commands follow the member into their DMs. A user install
  // reaches global commands only, registered as `npm run deploy-commands` (no --guild) does.
  await sandbox.encore.discord.client.rest.put(Routes.applicationCommands(sandbox.discord.applicationId), {
    body: [...sandbox.encore.discord.commands.values()].map((c) => c.data.toJSON()),
  });
  const inDm = await sandbox.settled(
    sandbox.discord.chatInput('wrapped', { period: 'week' }, m('alice'), { install: 'user' }),
  );
  step(
    '/wrapped in alice’s DM with Encore, through her own install (no server): her week, as a layout',
    inDm.context === 1 && (reply(inDm)?.flags ?? 0) & (1 << 15) ? true : false,
    show([reply(inDm)]),
  );

  const nudgeBefore = sandbox.discord.dmsOf(m('bob')).length;
  await sandbox.encore.jobs.runNow('relink-nudges', new Date(Date.now() + 170 * 24 * 3_600_000));
  const nudge = sandbox.discord.dmsOf(m('bob'))[nudgeBefore];
  step(
    '170 days later, bob is reminded by DM to renew before Spotify ends the link',
    text(nudge).includes('Spotify will end your link'),
    show([nudge]),
  );

  const missed = [...sandbox.encore.discord.commands.keys()].filter((name) => !visited.has(name));
  step(
    'the tour ran every command there is',
    missed.length === 0,
    missed.length
      ? `Not visited: ${missed.map((c) => `/${c}`).join(', ')}`
      : [...visited].map((c) => `/${c}`).join(', '),
  );
  for (const [name, member] of sandbox.members) {
    const dms = sandbox.discord.dmsOf(member);
    if (dms.length) writeFileSync(path.join(OUT, `dms-${name}.md`), [`# DMs to ${name}`, '', show(dms)].join('\n'));
  }

  writeFileSync(path.join(OUT, 'tour.md'), md.join('\n'));
  console.log(`\n${failures === 0 ? 'Tour passed' : `${failures} step(s) failed`}: ${path.join(OUT, 'tour.md')}`);
  await sandbox.stop();
  rmSync(`data/sandbox-tour-${process.pid}`, { recursive: true, force: true });
  process.exit(failures === 0 ? 0 : 1);
}

// The interactive prompt. Everything the bot sends a member appears as it happens: replies and
// each edit of them (progress of long commands), and DMs (the "Linked as …" DM arrives after the
// browser's consent, not after a command). The last message shown is the one "click N" presses.
const rl = createInterface({ input: process.stdin, output: process.stdout });
let last: RecordedMessage | undefined;
// The newest Last.fm approval link shown: "approve lastfm <user>" opens it as that Last.fm user.
let lastfmApproval: string | undefined;
let busy = false;
const shown = new Map<string, string>();
const nameOf = (userId?: string) => [...sandbox.members].find(([, member]) => member.id === userId)?.[0];

/** Prints above the prompt without breaking the line being typed. */
function say(text: string) {
  if (busy) console.log(text);
  else {
    process.stdout.write('\r\x1b[K');
    console.log(text);
    rl.prompt(true);
  }
}

sandbox.onMessage((message) => {
  const recipient = sandbox.discord.state.channels.get(message.channel_id)?.recipientId;
  if (!message.content && !message.embeds.length && !message.files.length && !message.components.length) return; // "thinking…"
  const body = messageMarkdown(message, OUT);
  const seen = shown.get(message.id);
  if (seen === body) return;
  shown.set(message.id, body);
  last = message;
  lastfmApproval = buttonsOf(message).find((b) => b.url?.startsWith(sandbox.lastfm.authUrl))?.url ?? lastfmApproval;
  const heading = recipient
    ? `📬 DM to ${nameOf(recipient) ?? recipient}${seen !== undefined ? ' (updated)' : ''}:`
    : seen !== undefined
      ? '↻ (updated)'
      : message.flags & 64
        ? '(only you can see this)'
        : '';
  const buttons = buttonsOf(message).filter((b) => b.custom_id);
  const hint = buttons.length
    ? `\nbuttons: ${buttons.map((b, i) => `${i + 1}) ${b.label}`).join('  ')}  — type "<member> click N"`
    : '';
  say(`\n${heading ? `${heading}\n` : ''}${body}${hint}`);
});

printWelcome(sandbox);
rl.setPrompt('encore> ');
rl.prompt();
for await (const line of rl) {
  const [who, command, ...rest] = line.trim().split(/\s+/);
  busy = true;
  try {
    if (!who) {
      // empty line
    } else if (who === 'quit' || who === 'exit') break;
    else if (who === 'advance') {
      const ms = parseDuration(command);
      if (!ms) console.log('Try: advance 7d   (or 12h, 90m)');
      else {
        console.log(`Fast-forwarding ${command}: the members listen, the collector polls them…`);
        const { polls, sourceRequests, plays } = await sandbox.advance(ms);
        console.log(
          `Now ${new Date(sandbox.now()).toUTCString()}: ${polls} polls, ${plays} plays stored (and ${sourceRequests} requests to ListenBrainz and Last.fm). Try "alice /chart kind:listening-clock".`,
        );
      }
    } else if (who === 'approve' && command === 'lastfm') {
      if (!rest[0]) console.log(`Try: approve lastfm gwen   (Last.fm users: ${LASTFM_USERS})`);
      else if (!lastfmApproval) console.log('No Last.fm link yet: try "carol /link source:lastfm" first.');
      else console.log(`The browser shows: ${await approveOnLastfm(lastfmApproval, rest[0])}`);
    } else if (command === 'click') {
      const target = buttonsOf(last)[Number(rest[0] ?? 1) - 1];
      if (!last || !target?.custom_id) console.log('No such button on the last message.');
      else if (!sandbox.members.has(who)) console.log(`No member called ${who}.`);
      else showModal(who, await click(sandbox.members.get(who)!, last, target.custom_id));
    } else if (command === 'submit' && sandbox.members.has(who)) {
      await submit(sandbox.members.get(who)!, rest);
    } else if (sandbox.members.has(who) && command?.startsWith('/')) {
      showModal(who, await invoke(sandbox.members.get(who)!, command.slice(1), parseOptions(rest)));
    } else
      console.log(
        'Try: alice /link   ·   alice /chart kind:top-genres   ·   alice click 1   ·   alice submit token=…   ·   approve lastfm gwen   ·   advance 7d   ·   quit',
      );
  } catch (error) {
    console.log(`Error: ${(error as Error).message}`);
  }
  busy = false;
  rl.prompt();
}
await sandbox.stop();
process.exit(0);

function printWelcome(s: Sandbox) {
  console.log(`To link a member, type "alice /link" and open the link in the DM it shows in your browser: it leads to the (emulated) Spotify consent page — choose a user, Approve.

Encore sandbox — the real bot against emulated Discord and Spotify; nothing to configure.
  Bot web pages:      ${s.config.PUBLIC_URL}   (health: ${s.config.PUBLIC_URL}/healthz)
  Spotify emulator:   ${s.spotify.accountsUrl}  (consent page: users alice, bob, carol, dave, erin; mallory is not allowlisted)
  Discord emulator:   ${s.discord.apiUrl}
  ListenBrainz:       ${s.listenbrainz.url}  (users and their user tokens: ${SANDBOX_LISTENBRAINZ_USERS.map((u) => `${u.name} ${s.listenbrainz.user(u.name).token}`).join(', ')})
  Last.fm:            ${s.lastfm.authUrl}  (approval page: users ${LASTFM_USERS})
  Members:            ${[...s.members.keys()].join(', ')}  (shy has DMs closed)
  Bot logs (JSON):    ${s.logFile}
  Charts drawn with:  ${s.encore.services.charts?.backend ?? '(no chart renderer)'}

Type a member and a command, e.g.
  alice /link                      → a DM with your private link: open it in a browser, Continue, pick Alice, Approve
  alice /chart kind:top-genres     → images are saved to ${OUT}/
  alice /sort playlist:roadtrip1000
  alice click 1                    → press the first button of the last message shown
  bob /link source:listenbrainz    → then "bob click 1" and "bob submit token=${s.listenbrainz.user('lena').token}" (lena's token)
  carol /link source:lastfm        → then open its link in a browser and pick a user, or type "approve lastfm gwen"
  advance 7d                       → a week goes by: members listen, Encore collects their history
                                     (and brings in ListenBrainz and Last.fm histories, then polls them)
  alice /chart kind:listening-clock period:week
  alice /settings timezone zone:Europe/Paris
  quit
`);
}
