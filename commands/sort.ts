import {
  MessageFlags,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type MessageComponentInteraction,
} from 'discord.js';
import * as sorting from '../src/app/sort/index.js';
import { UserError } from '../src/core/errors.js';
import { serviceNeeds, type CommandContext } from '../src/discord/command.js';
import { replyRefOf } from '../src/discord/interactionReply.js';
import { genreChoiceMessage, thriftyStartedMessage } from '../src/discord/messages/sortGenreMessages.js';
import * as m from '../src/discord/messages/sortMessages.js';
import { progressEdits } from '../src/discord/progress.js';
import { progressReporter } from '../src/discord/replies.js';
import { drawnSplitPreview } from '../src/discord/sortPreview.js';
import { EVERYWHERE, EVERY_INSTALL } from '../src/discord/installContext.js';

export { playlistIdFrom } from '../src/app/sort/index.js';

export const data = new SlashCommandBuilder()
  .setName('sort')
  .setDescription('Sort a playlist by genre: split it into genre playlists, or reorder it')
  .setIntegrationTypes(EVERY_INSTALL)
  .setContexts(EVERYWHERE)
  .addStringOption((o) =>
    o
      .setName('playlist')
      .setDescription('One of your playlists, or a Spotify playlist link')
      .setRequired(true)
      .setAutocomplete(true),
  )
  .addStringOption((o) =>
    o
      .setName('mode')
      .setDescription('Split into genre playlists (default) or reorder in place')
      .addChoices({ name: 'Split into genre playlists', value: 'split' }, { name: 'Reorder in place', value: 'order' }),
  )
  .addIntegerOption((o) =>
    o
      .setName('min_tracks')
      .setDescription('Smallest genre playlist; smaller genres go into "Other" (default 5)')
      .setMinValue(1)
      .setMaxValue(200),
  )
  .addStringOption((o) =>
    o
      .setName('order_by')
      .setDescription('For reordering (default: genre, then artist)')
      .addChoices(
        { name: 'Genre, then artist', value: 'genre-artist' },
        { name: 'Release date', value: 'release-date' },
        { name: 'Date added', value: 'added-date' },
      ),
  )
  .addStringOption((o) =>
    o
      .setName('genres')
      .setDescription('Broad genres (default) or Spotify’s fine genres')
      .addChoices(
        { name: 'Broad (rock, hip hop …)', value: 'parent' },
        { name: 'Fine (indie rock, uk drill …)', value: 'fine' },
      ),
  );
export const defer = 'ephemeral';

export const needs = serviceNeeds('playlist sorting', 'sort');

export async function autocomplete(interaction: AutocompleteInteraction, { services }: CommandContext<'sort'>) {
  const playlists = await services.sort.playlistsFor(interaction.user.id);
  return m.playlistChoices(playlists, interaction.options.getFocused());
}

export async function execute(
  interaction: ChatInputCommandInteraction,
  { services }: CommandContext<'sort'>,
): Promise<void> {
  const sort = services.sort;
  const { options, user } = interaction;
  const playlistId = sorting.playlistIdFrom(options.getString('playlist', true), await sort.playlistsFor(user.id));
  if (!playlistId) throw new UserError('sort.playlistNotFound');
  const mode = (options.getString('genres') ?? 'parent') as sorting.OrderInput['mode'];
  const progress = progressReporter(interaction, 'Reading your playlist');
  if (options.getString('mode') === 'order') {
    const by = (options.getString('order_by') ?? 'genre-artist') as sorting.OrderInput['by'];
    const result = await sort
      .order({ playlistId, by, mode }, user.id, (done, total) => progress.update(done, total, 'Reordering'))
      .finally(progress.flush);
    const reply = result.plan === 'choose' ? m.orderChoiceMessage(result, user.id) : m.reorderedMessage(result);
    return void (await interaction.editReply(reply));
  }
  const input = { discordUserId: user.id, playlistId, minTracksPerGenre: options.getInteger('min_tracks') ?? 5, mode };
  const onProgress = (p: sorting.PreviewProgress) => progress.update(p.done, p.total, m.previewProgressLine(p));
  const result = await sort.previewSplit(input, onProgress).finally(progress.flush);
  // A large split whose artists the cache doesn't know: now (Spotify's quota) or thrifty (MusicBrainz)?
  if (result.kind === 'choose') return void (await interaction.editReply(genreChoiceMessage(result.choice, user.id)));
  await interaction.editReply(await drawnSplitPreview(result.preview, user.id, services.charts));
}

type Refusable<O> = O | sorting.NotStartable;

/** A click's answer: a private note when the sort can't start (the message stays), else the message edited. */
async function answer<O>(interaction: MessageComponentInteraction, outcome: Refusable<O>, render: (o: O) => object) {
  if (!sorting.isNotStartable(outcome)) return void (await interaction.editReply({ ...render(outcome), files: [] }));
  await interaction.followUp({ ...m.notStartableMessage(outcome.status), flags: MessageFlags.Ephemeral });
}

export async function handleComponent(interaction: MessageComponentInteraction, { services }: CommandContext<'sort'>) {
  const sort = services.sort;
  const memberId = interaction.user.id;
  const id = m.sortComponentIds.decode(interaction.customId);
  // Only the member who ran /sort may press its buttons; anyone else is told so, and the message stays.
  if (id && id.ownerId !== memberId)
    return void (await interaction.reply({ ...m.notYourButtonMessage(id.ownerId), flags: MessageFlags.Ephemeral }));
  await interaction.deferUpdate(); // acknowledge within Discord's 3 s before touching the database
  if (!id) return;
  const { action, jobId } = id;
  const reply = replyRefOf(interaction);
  const show = progressEdits((message: m.SortMessage) => interaction.editReply({ ...message, files: [] }));
  if (action === 'cancel' || action === 'stop') {
    const cancelled = await sort.cancel(jobId, memberId);
    // While a run is under way its own message reports the end; this click only gets a private note.
    if (cancelled.kind === 'stopping')
      return void (await interaction.followUp({ ...m.cancelAnswerMessage('stopping'), flags: MessageFlags.Ephemeral }));
    return answer(interaction, cancelled, (c) => m.cancelAnswerMessage(c.kind, 'written' in c ? c.written : []));
  }
  if (action === 'confirm') {
    const onProgress = (p: sorting.SplitProgress) => show.update(m.splitProgressMessage(p, jobId, memberId));
    const outcome = await sort.confirmSplit(jobId, memberId, { reply, onProgress }).finally(show.flush);
    return answer(interaction, outcome, m.splitOutcomeMessage);
  }
  const order = m.orderChoiceOf[action];
  if (order) {
    const onProgress = (p: sorting.OrderChoiceProgress) => show.update(m.orderProgressMessage(p));
    const outcome = await sort.chooseOrder(jobId, memberId, order, { reply, onProgress }).finally(show.flush);
    return answer(interaction, outcome, m.orderChoiceOutcomeMessage);
  }
  const source = m.genreSourceOf[action];
  if (!source) return;
  const progress = progressReporter(interaction, 'Finding genres');
  const outcome = await sort
    .chooseGenreSource(jobId, memberId, source, {
      reply,
      onProgress: (p) => progress.update(p.done, p.total, m.previewProgressLine(p)),
      announceThrifty: async (choice) => void (await interaction.editReply(thriftyStartedMessage(choice))),
    })
    .finally(progress.flush);
  if (outcome.kind === 'preview')
    return void (await interaction.editReply(await drawnSplitPreview(outcome.preview, memberId, services.charts)));
  if (outcome.kind !== 'thrifty') await answer(interaction, outcome, () => m.cancelAnswerMessage('cancelled-preview'));
}
