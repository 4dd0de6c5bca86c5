import { Events, type GuildMember } from 'discord.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EUser } from '../../emulators/discord/index.js';
import type { MemberPlaylists } from '../../src/app/suggest/answers.js';
import type { SuggestRequest, SuggestService } from '../../src/app/suggest/ports.js';
import { refreshRadar } from '../../src/app/suggest/radar.js';
import { createHistoryRepository } from '../../src/store/history/historyRepository.js';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { contentAndEmbeds, text } from '../support/messages.js';

/**
 * Issue 21, items 8 and 9: a member who left a server vanishes from every aggregate of it, even those that
 * name nobody (server chart, digest top lists, the leaderboard's count, /whoknows autocomplete).
 * Encore has no privileged members intent here (as on a new application): the membership sweep is
 * what finds a member who left while nobody was looking.
 */
const now = Date.parse('2030-03-13T12:00:00Z');
const h = useEncoreHarness({ clock: () => now });

const stayers: EUser[] = [];
let leaver: EUser;
let eventLeaver: EUser;
const social = () => h.encore.services.social!;

async function listen(member: EUser, count: number, artist: string) {
  const artistId = `ar-${artist.replace(/\W/g, '').toLowerCase()}`;
  await createHistoryRepository(h.encore.store.pool).insertPlays(
    member.id,
    Array.from({ length: count }, (_, i) => ({
      playedAt: Date.parse('2030-03-12T08:00:00Z') + i * 4 * 60_000,
      track: {
        id: `tr-${artistId}`,
        name: `${artist} Song`,
        durationMs: 240_000,
        artists: [{ id: artistId, name: artist }],
      },
      msPlayed: 240_000,
      msEstimated: false,
      source: 'collected' as const,
      genre: 'rock',
    })),
  );
}
const optIn = (member: EUser) =>
  h.encore.services.privacy!.save(member.id, { visibleIn: [h.guild.id], weeklyDm: false });

/** Everything a member sees of the server that names nobody. */
async function aggregates(as: EUser) {
  const board = await h.invoke('/leaderboard', { metric: 'plays', period: 'week' }, as);
  const chart = await h.invoke('/chart', { kind: 'top-artists', scope: 'server', period: 'week' }, as);
  const typed = await h.autocomplete('/whoknows', { subcommand: 'artist', name: 'only band' }, 'name', as);
  const preview = await h.invoke('/digest', { subcommand: 'preview' }, as);
  return {
    footer: contentAndEmbeds(board.final),
    chart: chart.final!.files[0]!.description ?? '',
    choices: (typed.choices ?? []).map((c) => c.name),
    digest: text(preview.final ?? preview.followUps.at(-1)),
  };
}

beforeAll(async () => {
  // Eleven members who stay play more than the leavers: the leavers rank 12th and 13th, off the
  // board's first page, so no answer that names members ever checks them.
  for (let i = 0; i < 11; i++) {
    const member = h.member(`stayer${String(i).padStart(2, '0')}`);
    stayers.push(member);
    await optIn(member);
    await listen(member, 20 - i, 'Shared Band');
  }
  leaver = h.member('Lena Leaver');
  await optIn(leaver);
  await listen(leaver, 9, 'Leaver Only Band');
  eventLeaver = h.member('Evan Event');
  await optIn(eventLeaver);
  await listen(eventLeaver, 8, 'Evan Only Band');
}, 60_000);

describe('a member who left the server', () => {
  it('is found by the sweep (left while Encore was not looking) and vanishes from the chart, the digest’s top lists, the board’s count and autocomplete', async () => {
    const before = await aggregates(stayers[0]!);
    expect(before.footer).toContain('13 members ranked');
    expect(before.chart).toContain('Leaver Only Band');
    expect(before.choices).toContain('Leaver Only Band');
    expect(before.digest).toContain('Leaver Only Band');

    h.emulator.removeMember(h.guild, leaver);
    await h.encore.jobs.runNow('sweep-membership');

    expect(await social().repo.visibleMembers(h.guild.id)).not.toContain(leaver.id);
    const after = await aggregates(stayers[0]!);
    expect(after.footer).toContain('12 members ranked');
    expect(after.chart).not.toContain('Leaver Only Band');
    expect(after.choices).not.toContain('Leaver Only Band');
    expect(after.digest).not.toContain('Leaver Only Band');
    // The others are all still there: the sweep took away only the one Discord says left.
    expect(after.chart).toContain('Shared Band');
    expect(after.choices).toContain('Evan Only Band');
  });

  it('gets their opt-in back when they rejoin', async () => {
    h.emulator.rejoin(h.guild, leaver);
    await h.encore.jobs.runNow('sweep-membership');
    expect(await social().repo.visibleMembers(h.guild.id)).toContain(leaver.id);
    expect((await h.encore.services.privacy!.get(leaver.id))?.visibleIn).toEqual([h.guild.id]);
    const back = await aggregates(stayers[0]!);
    expect(back.footer).toContain('13 members ranked');
    expect(back.chart).toContain('Leaver Only Band');
  });

  it('Discord’s guildMemberRemove (with the members intent) takes them off at once, guildMemberAdd brings them back', async () => {
    const client = h.encore.discord.client;
    const guild = client.guilds.cache.get(h.guild.id)!;
    // The event as discord.js emits it for a member it does not hold in its cache: a partial member.
    const partial = { id: eventLeaver.id, guild, partial: true } as unknown as GuildMember;
    h.emulator.removeMember(h.guild, eventLeaver);
    client.emit(Events.GuildMemberRemove, partial);
    await expect.poll(() => social().repo.visibleMembers(h.guild.id)).not.toContain(eventLeaver.id);
    const after = await aggregates(stayers[0]!);
    expect(after.choices).not.toContain('Evan Only Band');
    expect(after.footer).toContain('12 members ranked');

    h.emulator.rejoin(h.guild, eventLeaver);
    client.emit(Events.GuildMemberAdd, partial);
    await expect.poll(() => social().repo.visibleMembers(h.guild.id)).toContain(eventLeaver.id);
  });

  it('a member who never opted in is not remembered when they leave, and gets nothing on rejoining', async () => {
    const lurker = h.member('lurker');
    await listen(lurker, 50, 'Lurker Only Band');
    h.emulator.removeMember(h.guild, lurker);
    await h.encore.jobs.runNow('sweep-membership');
    h.emulator.rejoin(h.guild, lurker);
    await h.encore.jobs.runNow('sweep-membership');
    expect(await social().repo.visibleMembers(h.guild.id)).not.toContain(lurker.id);
    const { rows } = await h.encore.store.pool.query(`SELECT 1 FROM guild_departures WHERE member_id = $1`, [
      lurker.id,
    ]);
    expect(rows).toEqual([]);
  });

  it('/unlink erases what Encore remembered of a departure', async () => {
    h.emulator.removeMember(h.guild, leaver);
    await h.encore.jobs.runNow('sweep-membership');
    const count = async () =>
      (
        await h.encore.store.pool.query(
          `SELECT (SELECT count(*) FROM guild_departures WHERE member_id = $1)
                + (SELECT count(*) FROM guild_member_checks WHERE member_id = $1) AS n`,
          [leaver.id],
        )
      ).rows[0].n as string;
    expect(Number(await count())).toBeGreaterThan(0);
    await h.encore.services.personalData.eraseAll(leaver.id);
    expect(Number(await count())).toBe(0);
  });
});

describe('what a member set up in a server they left (item 9)', () => {
  it('Sounds of <server> stops for an owner who left: not refilled with the server’s top tracks, the server told, the subscription dropped', async () => {
    const owner = h.member('Playlist Admin');
    const digestChannel = h.emulator.channel(h.guild, 'digest');
    await h.encore.services.digest!.settings.save({
      guildId: h.guild.id,
      enabled: false,
      channelId: digestChannel.id,
      weekday: 1,
      hour: 9,
      timeZone: 'UTC',
      enabledAt: now,
    });
    const playlists = h.encore.services.suggestions!.serverPlaylist.repo;
    await playlists.enable(h.guild.id, owner.id, Date.parse('2030-03-01T10:00:00Z'));
    await playlists.setPlaylist(h.guild.id, 'sounds-of-the-server');
    h.emulator.removeMember(h.guild, owner);
    const spotifyPlaylists = h.spotify.world.playlists.size;

    await h.encore.jobs.runNow('refresh-server-playlists', new Date('2030-04-01T00:23:00Z'));

    expect(await playlists.enabledList()).toEqual([]);
    expect(await playlists.month(h.guild.id, '2030-03')).toBeUndefined();
    expect(text(h.emulator.messagesIn(digestChannel).at(-1))).toContain('The server playlist is off');
    // Nothing went to the admin who left, and nothing was made in Spotify.
    expect(h.dmsOf(owner)).toEqual([]);
    expect(h.spotify.world.playlists.size).toBe(spotifyPlaylists);
    expect(h.log.lines().filter((l) => String(l.msg).includes('server playlist refresh failed'))).toEqual([]);
  });

  it('Encore Radar draws only on a server the member is still in', async () => {
    const asked: SuggestRequest[] = [];
    const engine: SuggestService = {
      async suggest(request) {
        asked.push(request);
        const n = asked.length;
        return {
          suggestions: [
            {
              trackId: `radar${n}`,
              uri: `spotify:track:radar${n}`,
              name: `Radar ${n}`,
              artists: [{ id: 'ar-radar', name: 'Radar Artist' }],
              reason: { source: 'genre', genre: 'rock', genrePlays: 1 },
            },
          ],
          skipped: [],
          requests: 0,
        };
      },
      feedback: {} as SuggestService['feedback'],
    };
    const inMemory: MemberPlaylists = {
      create: async () => 'radar-playlist',
      replace: async () => 'ok',
      findByMarker: async () => undefined,
    };
    // The radar as the suggest feature wires it (its membership check included), with Spotify and
    // the engine stood in for: what matters is which server it asks the engine to draw on.
    const radar = { ...h.encore.services.suggestions!.radar, suggest: engine, playlists: async () => inMemory };
    const [stays, leaves] = [h.member('radar stays'), h.member('radar leaves')];
    for (const member of [stays, leaves]) {
      await optIn(member);
      await radar.radar.enable(member.id, h.guild.id, now);
    }
    h.emulator.removeMember(h.guild, leaves);

    await refreshRadar(radar, stays.id, now, { priority: 'background', notify: false });
    await refreshRadar(radar, leaves.id, now, { priority: 'background', notify: false });

    expect(asked.map((r) => [r.memberId, r.guildId])).toEqual([
      [stays.id, h.guild.id],
      [leaves.id, undefined],
    ]);
    // And the member who left is off the server's aggregates too.
    expect(await social().repo.visibleMembers(h.guild.id)).not.toContain(leaves.id);
  });
});
