import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { EInteraction, EUser, RecordedMessage } from '../test/emulators/discord/index.js';
import { followLinkPage } from '../test/support/linkPage.js';
import { messageMarkdown } from './sandbox/transcript.js';
import { startSandbox, type Sandbox } from './sandbox/world.js';

/**
 * `npm run sandbox`: Encore against the in-repo Discord and Spotify emulators, on the embedded
 * store, with nothing to configure. `-- --tour` runs a scripted tour and writes sandbox-out/.
 */
const OUT = 'sandbox-out';
const tour = process.argv.includes('--tour');
const sandbox = await startSandbox(tour ? `data/sandbox-tour-${process.pid}` : 'data/sandbox');

const reply = (i: EInteraction) => (i.original ? sandbox.discord.state.messages.get(i.original.id) : undefined);
const parseOptions = (words: string[]) =>
  Object.fromEntries(
    words.map((w) => {
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
const buttonsOf = (m?: RecordedMessage) => (m?.components as Array<{ components?: Array<{ custom_id?: string; url?: string; label?: string }> }> | undefined)?.flatMap((r) => r.components ?? []) ?? [];

/** The link flow a person does in a browser: open the DM's link, press Continue, approve on Spotify's page. */
async function linkInBrowser(member: EUser, spotifyUser: string): Promise<string> {
  const url = buttonsOf(sandbox.discord.dmsOf(member).at(-1)).find((b) => b.url)?.url ?? buttonsOf(undefined)[0]?.url;
  if (!url) throw new Error('no link to open');
  const { authorizeUrl, html } = await followLinkPage(url); // the page naming the Discord account, then its Continue button
  if (!authorizeUrl) return html.match(/<h1>(.*?)<\/h1>/)?.[1] ?? '';
  const callback = await sandbox.spotify.consent({ authorizeUrl, userId: spotifyUser });
  return (await (await fetch(callback)).text()).match(/<h1>(.*?)<\/h1>/)?.[1] ?? '';
}

if (tour) {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const md: string[] = ['# Encore sandbox tour', ''];
  let failures = 0;
  const step = (title: string, ok: boolean, body: string) => {
    md.push(`## ${ok ? '✅' : '❌'} ${title}`, '', body || '_(nothing)_', '');
    if (!ok) failures++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${title}`);
  };
  const show = (messages: Array<RecordedMessage | undefined>) => messages.filter((m): m is RecordedMessage => !!m).map((m) => messageMarkdown(m, OUT)).join('\n\n---\n\n');
  const m = (name: string) => sandbox.members.get(name)!;
  const text = (msg?: RecordedMessage) => JSON.stringify(msg ?? {});

  for (const [member, spotifyUser] of [['alice', 'alice'], ['bob', 'bob'], ['carol', 'carol']] as const) {
    const before = sandbox.discord.dmsOf(m(member)).length;
    const linkReply = await invoke(m(member), 'link');
    const dm = sandbox.discord.dmsOf(m(member))[before];
    step(`${member}: /link sends a private link by DM`, !!dm && buttonsOf(dm).some((b) => b.url?.includes('/link/')), show([reply(linkReply), dm]));
    const page = await linkInBrowser(m(member), spotifyUser);
    const linkedDm = sandbox.discord.dmsOf(m(member)).at(-1);
    step(`${member}: opens the link, approves on Spotify, sees "${page}" and gets a DM`, page.startsWith('Linked as') && text(linkedDm).includes('Linked as'), `Page: **${page}**\n\n${show([linkedDm])}`);
  }
  const shy = await invoke(m('shy'), 'link');
  step('shy (DMs closed): /link answers with the link in a private reply', buttonsOf(reply(shy)).some((b) => b.url?.includes('/link/')), show([reply(shy)]));

  const help = await invoke(m('alice'), 'help');
  step('/help lists the commands', text(reply(help)).includes('/sort'), show([reply(help)]));
  const profile = await invoke(m('alice'), 'profile');
  step('/profile shows the linked account', text(reply(profile)).includes('Linked as Alice'), show([reply(profile)]));
  for (const kind of ['top-genres', 'top-artists', 'top-tracks', 'listening-clock', 'genre-mix']) {
    const chart = await invoke(m('bob'), 'chart', { kind, range: 'medium_term' });
    step(`/chart ${kind}`, (reply(chart)?.files.length ?? 0) === 1, show([reply(chart)]));
  }
  const preview = await invoke(m('alice'), 'sort', { playlist: 'roadtrip1000', min_tracks: 15 });
  const confirm = buttonsOf(reply(preview)).find((b) => b.custom_id?.startsWith('sort:confirm:'));
  step('/sort shows a preview with a chart and Confirm', !!confirm && (reply(preview)?.files.length ?? 0) === 1, show([reply(preview)]));
  if (confirm) {
    const done = await click(m('alice'), reply(preview)!, confirm.custom_id!);
    step('Confirm creates the genre playlists', text(reply(done)).includes('playlists created'), show([reply(done)]));
  }
  const order = await invoke(m('alice'), 'sort', { playlist: 'Tiny', mode: 'order', order_by: 'release-date' });
  step('/sort mode:order reorders a playlist in place', /Reordered|already in that order/.test(text(reply(order))), show([reply(order)]));
  const unlink = await invoke(m('carol'), 'unlink');
  const yes = buttonsOf(reply(unlink)).find((b) => b.custom_id?.startsWith('unlink:confirm'));
  const unlinked = yes ? await click(m('carol'), reply(unlink)!, yes.custom_id!) : undefined;
  step('/unlink deletes everything after a confirm', text(unlinked && reply(unlinked)).includes('Deleted:'), show([reply(unlink), unlinked && reply(unlinked)]));

  writeFileSync(path.join(OUT, 'tour.md'), md.join('\n'));
  console.log(`\n${failures === 0 ? 'Tour passed' : `${failures} step(s) failed`}: ${path.join(OUT, 'tour.md')}`);
  await sandbox.stop();
  rmSync(`data/sandbox-tour-${process.pid}`, { recursive: true, force: true });
  process.exit(failures === 0 ? 0 : 1);
}

printWelcome(sandbox);
const rl = createInterface({ input: process.stdin, output: process.stdout });
let last: RecordedMessage | undefined;
rl.setPrompt('encore> ');
rl.prompt();
for await (const line of rl) {
  const [who, command, ...rest] = line.trim().split(/\s+/);
  try {
    if (!who) {
      // empty line
    } else if (who === 'quit' || who === 'exit') break;
    else if (command === 'click' && last) {
      const target = buttonsOf(last)[Number(rest[0] ?? 1) - 1];
      if (!target?.custom_id) console.log('No such button.');
      else last = print(await click(sandbox.members.get(who)!, last, target.custom_id));
    } else if (sandbox.members.has(who) && command?.startsWith('/')) {
      const member = sandbox.members.get(who)!;
      const dmsBefore = sandbox.discord.dmsOf(member).length;
      last = print(await invoke(member, command.slice(1), parseOptions(rest)));
      for (const dm of sandbox.discord.dmsOf(member).slice(dmsBefore)) console.log(`\n📬 DM to ${who}:\n${messageMarkdown(dm, OUT)}`);
    } else console.log('Try: alice /link   ·   alice /chart kind:top-genres   ·   alice click 1   ·   quit');
  } catch (error) {
    console.log(`Error: ${(error as Error).message}`);
  }
  rl.prompt();
}
await sandbox.stop();
process.exit(0);

function print(interaction: EInteraction): RecordedMessage | undefined {
  const message = reply(interaction);
  if (message) console.log(`\n${interaction.ephemeral ? '(only you can see this)\n' : ''}${messageMarkdown(message, OUT)}`);
  const buttons = buttonsOf(message).filter((b) => b.custom_id);
  if (buttons.length) console.log(`buttons: ${buttons.map((b, i) => `${i + 1}) ${b.label}`).join('  ')}  — type "<member> click N"`);
  return message;
}

function printWelcome(s: Sandbox) {
  console.log(`
Encore sandbox — the real bot against emulated Discord and Spotify; nothing to configure.
  Bot web pages:      ${s.config.PUBLIC_URL}   (health: ${s.config.PUBLIC_URL}/healthz)
  Spotify emulator:   ${s.spotify.accountsUrl}  (consent page: users alice, bob, carol, dave, erin; mallory is not allowlisted)
  Discord emulator:   ${s.discord.apiUrl}
  Members:            ${[...s.members.keys()].join(', ')}  (shy has DMs closed)

Type a member and a command, e.g.
  alice /link                      → a DM with your private link: open it in a browser, pick Alice, Approve
  alice /chart kind:top-genres     → images are saved to ${OUT}/
  alice /sort playlist:roadtrip1000
  alice click 1                    → press the first button of the last message
  quit
`);
}
