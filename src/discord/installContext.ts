import {
  ApplicationIntegrationType,
  InteractionContextType,
  MessageFlags,
  MessageFlagsBitField,
  MessagePayload,
  type BitFieldResolvable,
  type ChatInputCommandInteraction,
  type MessageFlagsString,
} from 'discord.js';

/** A personal command: installable to a server or to the member's own account. */
export const EVERY_INSTALL = [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall];
/** A personal command runs in servers, in the bot's DM and in group DMs / other DMs. */
export const EVERYWHERE = [
  InteractionContextType.Guild,
  InteractionContextType.BotDM,
  InteractionContextType.PrivateChannel,
];
/** A server command: needs Encore installed in the server. */
export const SERVER_INSTALL = [ApplicationIntegrationType.GuildInstall];
/** A server command is offered in servers only (Discord does not show it in DMs). */
export const IN_SERVERS = [InteractionContextType.Guild];

export interface InstallContext {
  /** Where it was used: a server, the bot's DM, or a group DM / another DM (null from an old client). */
  where: 'server' | 'botDm' | 'privateChannel' | 'unknown';
  /** Encore is installed in the server it was used in (authorizing_integration_owners has the server). */
  installedInServer: boolean;
  /** It came through the member's own install (authorizing_integration_owners has the member). */
  userInstall: boolean;
}

/** What an interaction says about where it was used and which installs authorised it. */
export interface InstallFacts {
  context: InteractionContextType | null;
  authorizingIntegrationOwners: Partial<Record<ApplicationIntegrationType, string>> | null;
  guildId: string | null;
}

const WHERE: Record<InteractionContextType, InstallContext['where']> = {
  [InteractionContextType.Guild]: 'server',
  [InteractionContextType.BotDM]: 'botDm',
  [InteractionContextType.PrivateChannel]: 'privateChannel',
};

/** Reads `context` and `authorizing_integration_owners` from an interaction. */
export function installContextOf(interaction: InstallFacts) {
  const owners = interaction.authorizingIntegrationOwners ?? {};
  const where = interaction.context === null ? 'unknown' : WHERE[interaction.context];
  return {
    where,
    installedInServer:
      interaction.guildId !== null && owners[ApplicationIntegrationType.GuildInstall] === interaction.guildId,
    userInstall: owners[ApplicationIntegrationType.UserInstall] !== undefined,
  } satisfies InstallContext;
}

/**
 * Used in a server Encore is not installed in (through the member's own install): the bot is not
 * there to post, and the server may forbid external apps, so the answer goes to the member alone.
 */
export function answersPrivately(interaction: InstallFacts) {
  const { where, installedInServer } = installContextOf(interaction);
  return where === 'server' && !installedInServer;
}

type Options = { flags?: BitFieldResolvable<MessageFlagsString, number> };
const privately = (options: unknown): unknown => {
  if (options instanceof MessagePayload) return options;
  if (typeof options === 'string') return { content: options, flags: MessageFlags.Ephemeral };
  const given = (options ?? {}) as Options;
  return { ...given, flags: new MessageFlagsBitField(given.flags).add(MessageFlags.Ephemeral).bitfield };
};

/**
 * Makes every answer of this interaction ephemeral (reply, defer, follow-up), whatever the command
 * asks: commands choose public answers for servers that installed Encore.
 */
export function keepAnswersPrivate(interaction: ChatInputCommandInteraction): void {
  const target = interaction as unknown as Record<'reply' | 'deferReply' | 'followUp', (o?: unknown) => unknown>;
  for (const method of ['reply', 'deferReply', 'followUp'] as const) {
    const original = target[method].bind(interaction);
    target[method] = (options?: unknown) => original(privately(options));
  }
}
