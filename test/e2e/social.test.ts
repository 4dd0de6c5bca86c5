import { beforeAll, describe, expect, it } from 'vitest';
import type { EUser, RecordedMessage } from '../../emulators/discord/index.js';
import { nameArtistId, nameTrackId } from '../../src/core/history/exportRecords.js';
import { createHistoryRepository } from '../../src/store/history/historyRepository.js';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { buttons, contentAndEmbeds, layoutTexts, text } from '../support/messages.js';

/** The bot's clock: leaderboard periods, crown times and the membership cache follow it. */
let now = Date.parse('2030-03-13T12:00:00Z');
const h = useEncoreHarness({ clock: () => now });
const HOUR = 3_600_000;

const listeners: EUser[] = [];
let leaver: EUser;
let zed: EUser;
let leftAt = Infinity;
/** Members who left the server during the tests. */
const gone: EUser[] = [];
const social = () => h.encore.services.social!;

/** `count` plays of one track by `artist` on `day`, starting at `hour` (UTC), 4 minutes each. */
async function listen(
  member: EUser,
  day: string,
  count: number,
  artist: string,
  hour = 10,
  genre = 'rock',
  track = `${artist} Song`,
) {
  const artistId = `ar-${artist.replace(/\W/g, '').toLowerCase()}`;
  await createHistoryRepository(h.encore.store.pool).insertPlays(
    member.id,
    Array.from({ length: count }, (_, i) => ({
      playedAt: Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00Z`) + i * 4 * 60_000,
      track: {
        id: `tr-${artistId}`,
        name: track,
        durationMs: 240_000,
        artists: [{ id: artistId, name: artist }],
      },
      msPlayed: 240_000,
      msEstimated: false,
      source: 'collected' as const,
      genre,
    })),
  );
}
const optIn = (member: EUser) =>
  h.encore.services.privacy!.save(member.id, { visibleIn: [h.guild.id], weeklyDm: false });
/** Embeds without the isolation marks around names (they keep right-to-left names from reordering a line). */
const rows = (m?: RecordedMessage) =>
  JSON.parse(text(m).replace(/[\u2068\u2069]/g, '')) as Array<{
    title?: string;
    description?: string;
    fields?: Array<{ value: string }>;
    footer?: { text: string };
  }>;
const plain = (m?: RecordedMessage) => JSON.stringify(rows(m));
/** An embed's description; a layout's body (the text display under its heading: a leaderboard page's lines). */
const description = (m?: RecordedMessage) =>
  m?.embeds.length ? (rows(m)[0]?.description ?? '') : (layoutTexts(m)[1] ?? '').replace(/[\u2068\u2069]/g, '');

beforeAll(async () => {
  // Thirteen members share their listening here, l00 most (20 plays this week) down to l12 (8).
  for (let i = 0; i < 13; i++) {
    const member = h.member(`l${String(i).padStart(2, '0')}`);
    listeners.push(member);
    await optIn(member);
    await listen(member, '2030-03-12', 20 - i, `Band ${String(i).padStart(2, '0')}`, 8, i % 2 ? 'rock' : 'jazz');
  }
  leaver = h.member('leaver');
  await optIn(leaver);
  await listen(leaver, '2030-03-12', 25, 'Leaver Favourite', 8);
  // Listens more than anyone, to everything, and shares it in another server only.
  zed = h.member('Zed Secretson');
  await h.encore.services.privacy!.save(zed.id, { visibleIn: ['another-server'], weeklyDm: true });
  await listen(zed, '2030-03-12', 30, 'Zed Only Band', 8);
  await listen(zed, '2030-01-09', 60, 'Crown Artist', 8);
  await listen(zed, '2030-01-09', 12, 'Band 00', 16);
}, 60_000);

describe('/leaderboard', () => {
  it('ten a page, Previous/Next for the asker only, the asker’s own rank shown while off the page', async () => {
    const asker = listeners[12]!;
    const first = await h.invoke('/leaderboard', { metric: 'plays', period: 'week' }, asker);
    expect(first.ephemeral).toBe(false);
    const board = description(first.final);
    expect(board).toContain(`🥇 <@${leaver.id}> · 25 plays`);
    expect(board).toContain(`🥈 <@${listeners[0]!.id}> · 20 plays`);
    expect(board).toContain(`**10.** <@${listeners[8]!.id}> · 12 plays`);
    expect(board).not.toContain(`<@${listeners[9]!.id}>`);
    expect(board).toContain('You: **#14** of 14 · 8 plays');
    expect(text(first.final)).toContain('Page 1 of 2');
    const [previous, next] = buttons(first.final!);
    expect(previous).toMatchObject({ label: 'Previous', disabled: true });

    const stranger = await h.click(first.final!, next!.custom_id!, listeners[0]);
    expect(stranger.ephemeral).toBe(true);
    expect(contentAndEmbeds(stranger.followUps[0] ?? stranger.final)).toContain('belong to');
    expect(description(h.emulator.state.messages.get(first.final!.id))).toBe(board);

    const second = await h.click(first.final!, next!.custom_id!, asker);
    const page2 = description(second.final);
    expect(page2).toContain(`**11.** <@${listeners[9]!.id}> · 11 plays`);
    expect(page2).toContain(`**14.** <@${asker.id}> · 8 plays ← you`);
    expect(page2).not.toContain('You: **#');
    expect(text(second.final)).toContain('Page 2 of 2');
  });

  it('ranks ties the same', async () => {
    const twin = h.member('twin');
    await optIn(twin);
    await listen(twin, '2030-03-12', 12, 'Twin Band', 8);
    const seen = await h.invoke('/leaderboard', { metric: 'plays', period: 'week' }, twin);
    expect(description(seen.final)).toContain(`**10.** <@${listeners[8]!.id}> · 12 plays`);
    expect(description(seen.final)).toContain('You: **#10** of 15 · 12 plays');
    const next = buttons(seen.final!)[1]!;
    const page2 = await h.click(seen.final!, next.custom_id!, twin);
    expect(description(page2.final)).toMatch(new RegExp(`^\\*\\*10\\.\\*\\* <@${twin.id}> · 12 plays ← you`));
    await h.encore.services.privacy!.save(twin.id, { visibleIn: [], weeklyDm: false });
  });

  it('tells the member how to join, privately, when they are not on it; in DMs it asks for a server', async () => {
    const outsider = h.member('outsider');
    const seen = await h.invoke('/leaderboard', {}, outsider);
    expect(seen.ephemeral).toBe(false);
    expect(contentAndEmbeds(seen.final)).toContain('You are not on this board');
    expect(seen.followUps).toHaveLength(1);
    expect(seen.followUps[0]!.flags & 64).toBe(64);
    expect(seen.followUps[0]!.content).toContain('/privacy');
    const dm = await h.invoke('/leaderboard', {}, outsider, { dm: true });
    expect(dm.ephemeral).toBe(true);
    expect(contentAndEmbeds(dm.final)).toContain('use it in the server');
  });
});

describe('/whoknows', () => {
  it('autocompletes from this server’s own history (25 at most), then lists who played it most', async () => {
    for (let i = 0; i < 30; i++) await listen(listeners[3]!, '2030-01-05', 1, `Autocomplete Band ${i}`, 0 + (i % 20));
    const typed = await h.autocomplete('/whoknows', { subcommand: 'artist', name: 'band' }, 'name', listeners[3]);
    expect(typed.choices).toHaveLength(25);
    expect(typed.choices!.map((c) => c.name)).not.toContain('Zed Only Band');
    const band = await h.autocomplete('/whoknows', { subcommand: 'artist', name: 'band 00' }, 'name', listeners[3]);
    expect(band.choices?.[0]).toMatchObject({ name: 'Band 00' });

    const seen = await h.invoke('/whoknows', { subcommand: 'artist', name: band.choices![0]!.value }, listeners[5]);
    expect(seen.ephemeral).toBe(false);
    expect(description(seen.final)).toContain(`<@${listeners[0]!.id}> · 20 plays`);
    expect(description(seen.final)).toContain('No crown yet: it takes 30 plays');
    expect(rows(seen.final)[0]).toMatchObject({ title: expect.stringContaining('Who knows Band 00') });

    const unknown = await h.invoke('/whoknows', { subcommand: 'artist', name: 'Nobody Played This' }, listeners[5]);
    expect(unknown.ephemeral).toBe(true);
    expect(contentAndEmbeds(unknown.final)).toContain('Nobody here has played');
  });

  it('tracks and genres too, no crowns for them', async () => {
    const genre = await h.autocomplete('/whoknows', { subcommand: 'genre', name: 'jaz' }, 'name', listeners[0]);
    expect(genre.choices).toEqual([{ name: 'Jazz', value: '~jazz' }]);
    const genreSeen = await h.invoke('/whoknows', { subcommand: 'genre', name: 'jazz' }, listeners[0]);
    expect(rows(genreSeen.final)[0]?.title).toBe('Who knows Jazz in Encore test server');
    expect(description(genreSeen.final)).toContain(`🥇 <@${listeners[0]!.id}> · 20 plays ← you`);
    expect(description(genreSeen.final)).not.toContain(`<@${listeners[1]!.id}>`); // l01 plays rock
    expect(description(genreSeen.final)).not.toContain('crown');

    const track = await h.autocomplete('/whoknows', { subcommand: 'track', name: 'band 01 so' }, 'name', listeners[0]);
    expect(track.choices?.[0]?.name).toBe('Band 01 Song — Band 01');
    const trackSeen = await h.invoke(
      '/whoknows',
      { subcommand: 'track', name: track.choices![0]!.value },
      listeners[0],
    );
    expect(description(trackSeen.final)).toContain(`🥇 <@${listeners[1]!.id}> · 19 plays`);
  });

  it('what only a hidden member or a member of another server played is answered like a name nobody played', async () => {
    const hidden = h.member('quiet one');
    await h.encore.services.privacy!.save(hidden.id, { visibleIn: [], weeklyDm: false });
    await listen(hidden, '2030-02-01', 40, 'Hushed Band', 8, 'metal', 'Murmur Title');
    await listen(zed, '2030-02-01', 40, 'Faraway Band', 8, 'reggae', 'Distant Title');
    /** The answer with the name asked about taken out, so answers to different names compare. */
    const ask = async (subcommand: string, name: string) => {
      const seen = await h.invoke('/whoknows', { subcommand, name }, listeners[5]);
      return { ephemeral: seen.ephemeral, words: contentAndEmbeds(seen.final).split(name).join('<name>') };
    };

    const nobody = await ask('artist', 'Nobody Band');
    expect(nobody).toEqual({ ephemeral: true, words: expect.stringContaining('Nobody here has played') });
    for (const name of ['Hushed Band', 'HUSHED BAND', 'ar-hushedband', 'Faraway Band', 'ar-farawayband'])
      expect(await ask('artist', name)).toEqual(nobody);
    // A forged pick of what only they played reads like a pick of nothing.
    expect(await ask('artist', '~ar-hushedband')).toEqual(await ask('artist', '~ar-nobodyband'));
    // Typed by title, a track only they played does not give its artist away.
    const noTrack = await ask('track', 'Unheard Title');
    for (const name of ['Murmur Title', 'Distant Title', 'tr-ar-hushedband'])
      expect(await ask('track', name)).toEqual(noTrack);
    const noGenre = await ask('genre', 'Polka');
    for (const name of ['Metal', 'metal', 'Reggae / Dancehall']) expect(await ask('genre', name)).toEqual(noGenre);
    const offered = await h.autocomplete('/whoknows', { subcommand: 'artist', name: 'a' }, 'name', listeners[5]);
    expect(JSON.stringify(offered.choices)).not.toMatch(/Hushed|Faraway/);

    // What a visible member played still gets the public answer.
    const shared = await h.invoke('/whoknows', { subcommand: 'artist', name: 'band 02' }, listeners[5]);
    expect(shared.ephemeral).toBe(false);
    expect(rows(shared.final)[0]?.title).toBe('Who knows Band 02 in Encore test server');
    expect(description(shared.final)).toContain(`🥇 <@${listeners[2]!.id}> · 18 plays`);
    expect(description(shared.final)).not.toContain(zed.id);
  });

  it('a classical title of 150+ characters is picked through autocomplete; a pick gone stale is told privately, without its key', async () => {
    const fan = h.member('classical fan');
    await optIn(fan);
    const composer = 'Ludwig van Beethoven; Wiener Philharmoniker; Christian Thielemann';
    const title =
      'Symphony No. 9 in D minor, Op. 125 "Choral": IV. Presto – Allegro assai – Presto ("O Freunde, nicht diese Töne!") – Allegro assai vivace (alla marcia) – Andante maestoso';
    expect(title.length).toBeGreaterThan(150);
    // As /import stores a play its file names but does not identify: the id holds artist and title.
    await createHistoryRepository(h.encore.store.pool).insertPlays(
      fan.id,
      Array.from({ length: 3 }, (_, i) => ({
        playedAt: Date.parse('2029-06-01T20:00:00Z') + i * 30 * 60_000,
        track: {
          id: nameTrackId(composer, title),
          name: title,
          durationMs: 1_500_000,
          artists: [{ id: nameArtistId(composer), name: composer }],
        },
        msPlayed: 1_500_000,
        msEstimated: false,
        source: 'imported' as const,
        genre: 'classical',
      })),
    );

    const offered = await h.autocomplete('/whoknows', { subcommand: 'track', name: 'symphony no. 9' }, 'name', fan);
    expect(offered.choices).toHaveLength(1);
    const { name, value } = offered.choices![0]!;
    const seen = await h.invoke('/whoknows', { subcommand: 'track', name: String(value) }, fan);
    expect(seen.ephemeral).toBe(false);
    expect(rows(seen.final)[0]?.title).toMatch(/^Who knows Symphony No\. 9 in D minor/);
    expect(description(seen.final)).toBe(`🥇 <@${fan.id}> · 3 plays ← you`);
    expect(String(value).length).toBeLessThanOrEqual(100);
    // Listed whole where it fits: the title cut, its artist kept.
    expect(name).toMatch(/^Symphony No\. 9 in D minor, Op\. 125 .*… — Ludwig van Beethoven; /);
    expect(name.length).toBeLessThanOrEqual(100);

    // Hidden since: the same pick is answered privately, in words, without any internal id.
    await h.encore.services.privacy!.save(fan.id, { visibleIn: [], weeklyDm: false });
    const stale = await h.invoke('/whoknows', { subcommand: 'track', name: String(value) }, fan);
    expect(stale.ephemeral).toBe(true);
    expect(contentAndEmbeds(stale.final)).toContain(
      'Nobody here has played that track that I know of. Pick one from the list as you type.',
    );
    expect(contentAndEmbeds(stale.final)).not.toContain(String(value));
    expect(contentAndEmbeds(stale.final)).not.toContain('name:');
  });

  it('a crown changing hands shows in /whoknows at once, in /crowns, and in the week’s digest', async () => {
    const [first, second] = [listeners[0]!, listeners[1]!];
    await listen(first, '2030-01-10', 40, 'Crown Artist', 8);
    const claimed = await h.invoke('/whoknows', { subcommand: 'artist', name: 'crown artist' }, first);
    expect(description(claimed.final)).toContain(`**New crown:** <@${first.id}> claims Crown Artist with 40 plays`);

    await listen(second, '2030-01-11', 50, 'Crown Artist', 8);
    const taken = await h.invoke('/whoknows', { subcommand: 'artist', name: 'ar-crownartist' }, first);
    expect(description(taken.final)).toContain(
      `**The crown changed hands:** <@${second.id}> took it from <@${first.id}> with 50 plays`,
    );
    expect(description(taken.final)).toContain(`👑 <@${second.id}> · 50 plays`);

    const crowns = await h.invoke('/crowns', { member: second.id }, first);
    expect(crowns.ephemeral).toBe(false);
    expect(description(crowns.final)).toContain('Crown Artist · 50 plays');
    expect(
      (await h.invoke('/crowns', {}, first)).final && description((await h.invoke('/crowns', {}, first)).final),
    ).toContain('holds 0 crowns');

    const channel = h.emulator.channel(h.guild, 'digest');
    await h.encore.services.digest!.settings.save({
      guildId: h.guild.id,
      enabled: true,
      channelId: channel.id,
      weekday: 1,
      hour: 9,
      timeZone: 'UTC',
      enabledAt: Date.now() + 24 * HOUR,
    });
    await h.encore.jobs.runNow('post-digests', new Date('2030-03-18T09:00:00Z'));
    const digest = h.emulator.messagesIn(channel).at(-1);
    expect(plain(digest)).toContain('👑 l01 took the crown for Crown Artist from l00 (50 plays)');
  });

  it('an admin sets the crown threshold (ephemeral answer), and crowns follow it at once', async () => {
    const set = await h.invoke('/crowns', { set_threshold: 45 }, listeners[2]);
    expect(set.ephemeral).toBe(true);
    expect(contentAndEmbeds(set.final)).toContain('at least **45 plays**');
    const crowns = await h.invoke('/crowns', {}, listeners[1]);
    expect(description(crowns.final)).toContain('Crown Artist · 50 plays');
    await h.invoke('/crowns', { set_threshold: 30 }, listeners[2]);
  });
});

describe('/compat', () => {
  it('a score, the artists both love and one to try each', async () => {
    const seen = await h.invoke('/compat', { member: listeners[1]!.id }, listeners[0]);
    expect(seen.ephemeral).toBe(false);
    const embed = plain(seen.final);
    expect(embed).toMatch(/Taste compatibility: \d+\/100/);
    expect(embed).toContain('Crown Artist (40 plays · 50 plays)');
    expect(embed).toContain(`<@${listeners[0]!.id}> should try **Band 01**`);
    expect(embed).toContain(`<@${listeners[1]!.id}> should try **Band 00**`);
  });

  it('with someone who has not opted in here: privately, the same words whether they have history or not', async () => {
    const stranger = h.member('stranger');
    const withZed = await h.invoke('/compat', { member: zed.id }, listeners[0]);
    const withStranger = await h.invoke('/compat', { member: stranger.id }, listeners[0]);
    expect(withZed.ephemeral).toBe(true);
    // Acknowledged publicly at once, then the public "thinking…" withdrawn: the channel keeps nothing.
    expect(withZed.interaction.originalDeleted).toBe(true);
    expect(withStranger.ephemeral).toBe(true);
    expect(contentAndEmbeds(withZed.final)).toBe(contentAndEmbeds(withStranger.final));
    expect(contentAndEmbeds(withZed.final)).toContain('doesn’t share their listening in this server');
    const silent = h.member('silent');
    await optIn(silent);
    const nothingYet = await h.invoke('/compat', { member: silent.id }, listeners[0]);
    expect(nothingYet.ephemeral).toBe(true);
    expect(contentAndEmbeds(nothingYet.final)).toContain('no listening of theirs to compare yet');
    await h.encore.services.privacy!.save(silent.id, { visibleIn: [], weeklyDm: false });
  });
});

describe('/chart scope:server', () => {
  it('draws the server’s top artists, titled and described as the server’s, from opted-in members only', async () => {
    const seen = await h.invoke('/chart', { kind: 'top-artists', scope: 'server', period: 'all' }, listeners[4]);
    const file = seen.final!.files[0]!;
    expect(file.bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(file.description).toContain('top artists in Encore test server');
    expect(file.description).toContain('Crown Artist 90 plays');
    expect(file.description).not.toContain('Zed Only Band');
    const clock = await h.invoke('/chart', { kind: 'listening-clock', scope: 'server', period: 'all' }, listeners[4]);
    expect(clock.final!.files[0]!.description).toContain('Heatmap of listening');
    const refused = await h.invoke('/chart', { kind: 'genre-mix', scope: 'server' }, listeners[4]);
    expect(contentAndEmbeds(refused.final)).toContain(
      'A server chart is top genres, top artists or the listening clock',
    );
  });
});

describe('privacy and membership', () => {
  it('a member who left the server is gone from every board and loses their visibility here', async () => {
    const before = await h.invoke('/leaderboard', { metric: 'plays', period: 'week' }, listeners[0]);
    expect(description(before.final)).toContain(`<@${leaver.id}>`);
    h.emulator.removeMember(h.guild, leaver);
    // +1: the board just answered can carry this same millisecond, and it rightly still names them.
    leftAt = Date.now() + 1;
    gone.push(leaver);
    // Present answers are remembered for an hour.
    now += 2 * HOUR;
    const after = await h.invoke('/leaderboard', { metric: 'plays', period: 'week' }, listeners[0]);
    expect(description(after.final)).not.toContain(`<@${leaver.id}>`);
    expect(description(after.final)).toContain(`🥇 <@${listeners[0]!.id}> · 20 plays ← you`);
    expect((await h.encore.services.privacy!.get(leaver.id))?.visibleIn).toEqual([]);
    expect(await social().repo.visibleMembers(h.guild.id)).not.toContain(leaver.id);
  });

  it('/privacy off takes effect at once: off the board, out of /whoknows and its crown', async () => {
    const member = listeners[1]!;
    const panel = await h.invoke('/privacy', {}, member);
    const hide = buttons(panel.final!).find((b) => b.label === 'Hide me in this server')!;
    await h.click(panel.final!, hide.custom_id!, member);
    const board = await h.invoke('/leaderboard', { metric: 'plays', period: 'week' }, listeners[0]);
    expect(description(board.final)).not.toContain(`<@${member.id}>`);
    const who = await h.invoke('/whoknows', { subcommand: 'artist', name: 'Crown Artist' }, listeners[0]);
    expect(contentAndEmbeds(who.final)).not.toContain(member.id);
    // The crown went back to l00; the one it came from is not named now that they are hidden.
    expect(description(who.final)).toContain(`**New crown:** <@${listeners[0]!.id}> claims Crown Artist`);
    const crowns = await h.invoke('/crowns', { member: member.id }, listeners[0]);
    expect(crowns.ephemeral).toBe(true);
    const chart = await h.invoke('/chart', { kind: 'top-artists', scope: 'server', period: 'all' }, listeners[0]);
    expect(chart.final!.files[0]!.description).toContain('Crown Artist 40 plays'); // 90 while l01 was counted
    const compat = await h.invoke('/compat', { member: member.id }, listeners[0]);
    expect(contentAndEmbeds(compat.final)).toContain('doesn’t share their listening in this server');
  });

  it('the weekly digest checks the members it names: one who left is withdrawn and left out', async () => {
    const quietLeaver = h.member('Quiet Leaver');
    await optIn(quietLeaver);
    for (const [i, member] of [quietLeaver, listeners[2]!, listeners[3]!].entries())
      await listen(member, '2030-03-20', 30 - i, 'Digest Week Band', 9 + i);
    h.emulator.removeMember(h.guild, quietLeaver);
    leftAt = Math.min(leftAt, Date.now() + 1);
    now += 2 * HOUR;
    const channel = h.emulator.channel(h.guild, 'digest');
    await h.encore.jobs.runNow('post-digests', new Date('2030-03-25T09:00:00Z'));
    const digest = plain(h.emulator.messagesIn(channel).at(-1));
    expect(digest).toContain('week in music · 18 Mar – 24 Mar');
    expect(digest).toContain('**1.** l02');
    expect(digest).not.toContain('Quiet Leaver');
    expect((await h.encore.services.privacy!.get(quietLeaver.id))?.visibleIn).toEqual([]);
    gone.push(quietLeaver);
  });

  it('the opted-out member is in nothing the bot sent: not an id, not a name, not an artist only they play', async () => {
    const payload = (messages: RecordedMessage[]) =>
      JSON.stringify(messages.map((m) => [m.content, m.embeds, m.components, m.files.map((f) => f.description)]));
    const sent = [...h.emulator.state.messages.values()];
    const everything = JSON.stringify([
      payload(sent),
      [...h.emulator.state.interactions.values()].map((i) => i.autocompleteChoices ?? []),
    ]);
    expect(everything).toContain(listeners[0]!.id);
    expect(everything).not.toContain(zed.id);
    expect(everything).not.toContain('Zed');
    // The member who left: on the boards before, on nothing sent since.
    expect(payload(sent.filter((m) => m.at < leftAt))).toContain(leaver.id);
    for (const member of gone) {
      expect(payload(sent.filter((m) => m.at >= leftAt))).not.toContain(member.id);
      expect(payload(sent.filter((m) => m.at >= leftAt))).not.toContain(member.username);
    }
  });
});
