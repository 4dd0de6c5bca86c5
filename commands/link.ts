import {
  MessageFlags,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type MessageComponentInteraction,
  type ModalSubmitInteraction,
  type User,
} from 'discord.js';
import { spotifyPlacesFull, startLink } from '../src/app/accounts/linking.js';
import { connectListenBrainz, startLastfmConnect } from '../src/app/sources/connect.js';
import type { SourcesService } from '../src/app/sources/ports.js';
import { serviceNeeds, type CommandContext, type CommandInteraction } from '../src/discord/command.js';
import { linkMessage, linkSentMessage } from '../src/discord/messages/accountMessages.js';
import {
  LB_TOKEN_FIELD,
  lastfmConnectMessage,
  linkIds,
  listenBrainzPromptMessage,
  listenBrainzTokenModal,
  sourceConnectedMessage,
  spotifyFullMessage,
} from '../src/discord/messages/sourceMessages.js';
import { EVERYWHERE, EVERY_INSTALL } from '../src/discord/installContext.js';

export const data = new SlashCommandBuilder()
  .setName('link')
  .setDescription('Connect your listening: Spotify, ListenBrainz or Last.fm (private)')
  .setIntegrationTypes(EVERY_INSTALL)
  .setContexts(EVERYWHERE)
  .addStringOption((o) =>
    o
      .setName('source')
      .setDescription('Where your listening comes from (Spotify when left out)')
      .addChoices(
        { name: 'Spotify', value: 'spotify' },
        { name: 'ListenBrainz', value: 'listenbrainz' },
        { name: 'Last.fm', value: 'lastfm' },
      ),
  );
export const defer = 'ephemeral';

/** How the link's page names the member, so someone opening a forwarded link sees it isn't theirs. */
const discordNameOf = (user: User) =>
  user.globalName && user.globalName !== user.username ? `${user.globalName} (@${user.username})` : `@${user.username}`;

const spotifyNeeds = serviceNeeds('Spotify linking', 'accounts', 'sendDm');
const sourceNeeds = serviceNeeds('ListenBrainz and Last.fm', 'sources');

export function needs(interaction: CommandInteraction) {
  if (interaction.isChatInputCommand())
    return [(interaction.options.getString('source') ?? 'spotify') === 'spotify' ? spotifyNeeds : sourceNeeds];
  return [sourceNeeds];
}

async function answerSource(
  interaction: ChatInputCommandInteraction | MessageComponentInteraction,
  sources: SourcesService,
  source: 'listenbrainz' | 'lastfm',
) {
  if (source === 'listenbrainz') return listenBrainzPromptMessage();
  const { url, expiresAt } = await startLastfmConnect(
    sources.connect,
    interaction.user.id,
    interaction.guildId ?? undefined,
  );
  return lastfmConnectMessage(url, expiresAt);
}

export async function execute(interaction: ChatInputCommandInteraction, { services }: CommandContext): Promise<void> {
  const source = interaction.options.getString('source') ?? 'spotify';
  if (source === 'listenbrainz' || source === 'lastfm') {
    await interaction.editReply(await answerSource(interaction, services.sources!, source));
    return;
  }
  const accounts = services.accounts!;
  if (services.sources && (await spotifyPlacesFull(accounts.linking, interaction.user.id))) {
    await interaction.editReply(spotifyFullMessage(accounts.linking.userCap, services.sources.available));
    return;
  }
  const { url, expiresAt } = await startLink(
    accounts.linking,
    interaction.user.id,
    interaction.guildId ?? undefined,
    discordNameOf(interaction.user),
  );
  const dm = await services.sendDm!(interaction.user.id, linkMessage(url, expiresAt));
  // DMs closed: the ephemeral reply is private too, so it can carry the link itself.
  await interaction.editReply(dm === 'sent' ? linkSentMessage() : linkMessage(url, expiresAt, true));
}

/** The buttons of the "Spotify is full" answer and of the ListenBrainz prompt. */
export async function handleComponent(
  interaction: MessageComponentInteraction,
  { services }: CommandContext<'sources'>,
): Promise<void> {
  const id = linkIds.decode(interaction.customId);
  if (!id) return;
  // The modal must be the interaction's first answer: no deferring before it.
  if (id.action === 'lb-token') return void (await interaction.showModal(listenBrainzTokenModal()));
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  await interaction.editReply(await answerSource(interaction, services.sources, id.action));
}

/** The ListenBrainz token modal: checked once with ListenBrainz, then forgotten. */
export async function handleModal(
  interaction: ModalSubmitInteraction,
  { services }: CommandContext<'sources'>,
): Promise<void> {
  if (linkIds.decode(interaction.customId)?.action !== 'lb-token') return;
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const token = interaction.fields.getTextInputValue(LB_TOKEN_FIELD);
  const { userName } = await connectListenBrainz(
    services.sources.connect,
    interaction.user.id,
    token,
    interaction.guildId ?? undefined,
  );
  await interaction.editReply(sourceConnectedMessage('listenbrainz', userName));
}
