import {
  ChannelType,
  DiscordAPIError,
  PermissionFlagsBits,
  type Client,
  type GuildTextBasedChannel,
  type MessageCreateOptions,
} from 'discord.js';
import type { ChannelAccess, ChannelPost, DigestDiscord } from '../app/digest/ports.js';
import type { MessageModel } from '../app/services.js';
import { sendDm } from './dm.js';

/** What a digest post needs, in the words Discord's settings use. */
export const DIGEST_PERMISSIONS = [
  ['View Channel', PermissionFlagsBits.ViewChannel],
  ['Send Messages', PermissionFlagsBits.SendMessages],
  ['Embed Links', PermissionFlagsBits.EmbedLinks],
  ['Attach Files', PermissionFlagsBits.AttachFiles],
] as const;

const UNKNOWN_CHANNEL = 10003;
const MISSING_ACCESS = 50001;
const MISSING_PERMISSIONS = 50013;

async function textChannel(client: Client, channelId: string): Promise<GuildTextBasedChannel | undefined> {
  try {
    // Fetched, not cached: permission overwrites may have changed since the gateway last said.
    const channel = await client.channels.fetch(channelId, { force: true });
    return channel && !channel.isDMBased() && channel.isTextBased() ? channel : undefined;
  } catch (error) {
    if (error instanceof DiscordAPIError && [UNKNOWN_CHANNEL, MISSING_ACCESS].includes(Number(error.code)))
      return undefined;
    throw error;
  }
}

/** Discord for the digest feature, over the bot's client (undefined until the gateway is up). */
export function digestDiscord(
  client: () => Client | undefined,
  ownsGuild: (guildId: string) => boolean,
): DigestDiscord & {
  sendDmOnce(userId: string, message: MessageModel, nonce: string): Promise<'sent' | 'closed'>;
} {
  const ready = () => {
    const c = client();
    if (!c) throw new Error('Discord is not connected yet');
    return c;
  };
  const access = async (guildId: string, channelId: string): Promise<ChannelAccess> => {
    const c = ready();
    const channel = await textChannel(c, channelId);
    if (!channel || channel.guildId !== guildId) return 'unknown-channel';
    const me = channel.guild.members.me ?? (await channel.guild.members.fetchMe());
    const permissions = channel.permissionsFor(me);
    return { missing: DIGEST_PERMISSIONS.filter(([, bit]) => !permissions.has(bit)).map(([name]) => name) };
  };
  const post = async (channelId: string, message: MessageModel, nonce?: string): Promise<ChannelPost> => {
    const c = ready();
    const channel = await textChannel(c, channelId);
    if (!channel) return { ok: false, reason: 'unknown-channel' };
    try {
      const sent = await channel.send({
        ...(message as MessageCreateOptions),
        ...(nonce ? { nonce, enforceNonce: true } : {}),
      });
      return { ok: true, messageId: sent.id };
    } catch (error) {
      if (error instanceof DiscordAPIError && error.code === UNKNOWN_CHANNEL)
        return { ok: false, reason: 'unknown-channel' };
      if (error instanceof DiscordAPIError && [MISSING_ACCESS, MISSING_PERMISSIONS].includes(Number(error.code)))
        return { ok: false, reason: 'missing-access' };
      throw error;
    }
  };
  return {
    access,
    post,
    sendDm: (userId, message) => sendDm(ready(), userId, message),
    sendDmOnce: (userId, message, nonce) =>
      sendDm(ready(), userId, { ...message, nonce, enforceNonce: true } as MessageModel),
    async postInServer(guildId, message) {
      const guild = ready().guilds.cache.get(guildId);
      if (!guild) return false;
      const candidates = [
        guild.systemChannelId,
        ...guild.channels.cache.filter((ch) => ch.type === ChannelType.GuildText).map((ch) => ch.id),
      ].filter((id): id is string => Boolean(id));
      for (const id of new Set(candidates)) {
        const can = await access(guildId, id);
        if (can !== 'unknown-channel' && !can.missing.length && (await post(id, message)).ok) return true;
      }
      return false;
    },
    async memberNames(guildId, memberIds) {
      const c = ready();
      const guild = c.guilds.cache.get(guildId);
      const names = new Map<string, string>();
      for (const id of memberIds) {
        const member = guild?.members.cache.get(id);
        const user = member?.user ?? c.users.cache.get(id) ?? (await c.users.fetch(id).catch(() => undefined));
        const name = member?.displayName ?? user?.displayName;
        if (name) names.set(id, name);
      }
      return names;
    },
    guildName: (guildId) => client()?.guilds.cache.get(guildId)?.name,
    ownsGuild,
  };
}
