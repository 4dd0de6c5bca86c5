import {
  MessageFlags,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type MessageComponentInteraction,
} from 'discord.js';
import {
  cancelSort,
  isPreview,
  orderPlaylist,
  previewChosenNow,
  previewSplitOrAsk,
  type SplitPreview,
} from '../src/app/sort/index.js';
import { isEmptyChart } from '../src/charts/index.js';
import { UserError } from '../src/core/errors.js';
import type { GenreMode } from '../src/core/genres/index.js';
import type { OrderBy } from '../src/core/sort/index.js';
import type { CommandContext } from '../src/discord/command.js';
import { decodeComponentId } from '../src/discord/customId.js';
import { replyRefOf } from '../src/discord/interactionReply.js';
import {
  cancelAnswerMessage,
  notStartableMessage,
  notYourButtonMessage,
  orderChoiceMessage,
  orderOutcomeMessage,
  orderProgressMessage,
  reorderedMessage,
  splitOutcomeMessage,
  splitPreviewChart,
  splitPreviewMessage,
  splitProgressMessage,
} from '../src/discord/messages/sortMessages.js';
import { genreChoiceMessage, thriftyStartedMessage } from '../src/discord/messages/sortGenreMessages.js';
import { progressReporter } from '../src/discord/replies.js';
import type { Services } from '../src/app/services.js';
import type { SortService } from '../src/app/sort/index.js';

export const data = new SlashCommandBuilder()
  .setName('sort')
  .setDescription('Sort a playlist by genre: split it into genre playlists, or reorder it')
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

/** A playlist id from a link or URI, or from the member's own playlists by id or name. */
export function playlistIdFrom(input: string, own: ReadonlyArray<{ id: string; name: string }>): string | undefined {
  const trimmed = input.trim();
  const linked =
    /open\.spotify\.com\/(?:[\w-]+\/)?playlist\/([A-Za-z0-9]+)/.exec(trimmed) ??
    /^spotify:playlist:([A-Za-z0-9]+)$/.exec(trimmed);
  if (linked) return linked[1];
  const mine =
    own.find((p) => p.id === trimmed) ?? own.find((p) => p.name.trim().toLowerCase() === trimmed.toLowerCase());
  if (mine) return mine.id;
  return /^[A-Za-z0-9]{22}$/.test(trimmed) ? trimmed : undefined; // Spotify ids are 22 base62 characters
}

const sortService = (services: Services): SortService => {
  if (!services.sort) throw new UserError('command.notConfigured', { what: 'playlist sorting' });
  return services.sort;
};

export async function autocomplete(interaction: AutocompleteInteraction, { services }: CommandContext) {
  const typed = interaction.options.getFocused().toLowerCase();
  const playlists = await sortService(services).playlistsFor(interaction.user.id);
  return playlists
    .filter((p) => p.name.toLowerCase().includes(typed))
    .map((p) => ({ name: `${p.name} (${p.total} tracks)`, value: p.id }));
}

export async function execute(interaction: ChatInputCommandInteraction, { services }: CommandContext): Promise<void> {
  const sort = sortService(services);
  const playlistId = playlistIdFrom(
    interaction.options.getString('playlist', true),
    await sort.playlistsFor(interaction.user.id),
  );
  if (!playlistId) throw new UserError('sort.playlistNotFound');
  const spotify = await sort.forMember(interaction.user.id);
  const mode = (interaction.options.getString('genres') ?? 'parent') as GenreMode;
  const progress = progressReporter(interaction, 'Reading your playlist');

  if (interaction.options.getString('mode') === 'order') {
    const by = (interaction.options.getString('order_by') ?? 'genre-artist') as OrderBy;
    const result = await orderPlaylist(
      { playlistId, by, mode },
      { spotify, jobs: sort.orderJobs, discordUserId: interaction.user.id },
      (done, total) => progress.update(done, total, 'Reordering'),
    ).finally(() => progress.flush());
    if (result.plan === 'choose')
      return void (await interaction.editReply(orderChoiceMessage(result, interaction.user.id)));
    await interaction.editReply(reorderedMessage(result));
    return;
  }

  const result = await previewSplitOrAsk(
    {
      discordUserId: interaction.user.id,
      playlistId,
      minTracksPerGenre: interaction.options.getInteger('min_tracks') ?? 5,
      mode,
    },
    {
      spotify,
      jobs: sort.jobs,
      choices: sort.genreChoices,
      onProgress: (p) =>
        progress.update(
          p.done,
          p.total,
          p.phase === 'reading'
            ? `Reading tracks: ${p.done} / ${p.total}`
            : `Finding genres: ${p.done} / ${p.total} artists`,
        ),
    },
  ).finally(() => progress.flush());
  // A large split whose artists the cache doesn't know: now (Spotify's quota) or thrifty (MusicBrainz)?
  if (result.kind === 'choose')
    return void (await interaction.editReply(genreChoiceMessage(result.choice, interaction.user.id)));
  await showPreview(interaction, result.preview, services);
}

/** The split preview with its chart: Confirm or Cancel. */
async function showPreview(
  interaction: ChatInputCommandInteraction | MessageComponentInteraction,
  preview: SplitPreview,
  services: Services,
): Promise<void> {
  const chart = splitPreviewChart(preview);
  const png = !isEmptyChart(chart) && services.charts ? await services.charts.render(chart) : undefined;
  await interaction.editReply(
    splitPreviewMessage(preview, interaction.user.id, png && { png, altText: chart.altText }),
  );
}

/** Edits at most every 1.5 s so a long sort shows it is alive without tripping Discord's rate limits. */
const PROGRESS_EDIT_MS = 1_500;

export async function handleComponent(
  interaction: MessageComponentInteraction,
  { services }: CommandContext,
): Promise<void> {
  const sort = sortService(services);
  const id = decodeComponentId(interaction.customId);
  const [jobId = '', ownerId = interaction.user.id] = id?.fields ?? [];
  // Only the member who ran /sort may press its buttons; anyone else is told so, and the message stays.
  if (ownerId !== interaction.user.id)
    return void (await interaction.reply({ ...notYourButtonMessage(ownerId), flags: MessageFlags.Ephemeral }));
  await interaction.deferUpdate(); // acknowledge within Discord's 3 s before touching the database

  if (id?.action === 'cancel' || id?.action === 'stop') {
    const answer = await cancelSort(sort.jobs, jobId, interaction.user.id);
    // While a run is under way its own message reports the end; this click only gets a private note.
    if (answer.kind === 'stopping')
      return void (await interaction.followUp({ ...cancelAnswerMessage('stopping'), flags: MessageFlags.Ephemeral }));
    return void (await interaction.editReply({
      ...cancelAnswerMessage(answer.kind, 'written' in answer ? answer.written : []),
      files: [],
    }));
  }
  if (id?.action?.startsWith('order-')) return handleOrderChoice(interaction, sort, id.action, jobId);
  if (id?.action?.startsWith('genres-')) return handleGenreChoice(interaction, sort, services, id.action, jobId);
  if (id?.action !== 'confirm') return;
  const job = await sort.jobs.get(jobId);
  if (!job || job.discordUserId !== interaction.user.id) throw new UserError('sort.jobGone');
  if (!isPreview(job))
    return void (await interaction.followUp({ ...notStartableMessage(job.status), flags: MessageFlags.Ephemeral }));

  let lastEdit = 0;
  let edits: Promise<unknown> = Promise.resolve();
  const show = (message: Parameters<typeof interaction.editReply>[0]) =>
    (edits = edits.then(() => interaction.editReply(message).catch(() => undefined)));
  const outcome = await sort.run(job, isPreview, {
    priority: 'interactive',
    reply: replyRefOf(interaction),
    onProgress(progress) {
      if (Date.now() - lastEdit < PROGRESS_EDIT_MS) return;
      lastEdit = Date.now();
      void show({ ...splitProgressMessage(progress, job.id, interaction.user.id), files: [] });
    },
  });
  if (outcome.kind === 'missing') throw new UserError('sort.jobGone');
  if (outcome.kind === 'busy' || outcome.kind === 'not-runnable')
    return void (await interaction.followUp({
      ...notStartableMessage(outcome.kind === 'busy' ? 'running' : outcome.job.status),
      flags: MessageFlags.Ephemeral,
    }));
  await edits;
  await interaction.editReply({ ...splitOutcomeMessage(outcome), files: [] });
}

/** The member chose how to reorder: replace (a resumable job), keep the dates (moves), or cancel. */
async function handleOrderChoice(
  interaction: MessageComponentInteraction,
  sort: SortService,
  action: string,
  jobId: string,
): Promise<void> {
  const job = await sort.orderJobs.get(jobId);
  if (!job || job.discordUserId !== interaction.user.id) throw new UserError('sort.jobGone');
  if (!isPreview(job))
    return void (await interaction.followUp({ ...notStartableMessage(job.status), flags: MessageFlags.Ephemeral }));
  if (action === 'order-cancel') {
    await sort.orderJobs.save({ ...job, status: 'cancelled' });
    return void (await interaction.editReply(cancelAnswerMessage('cancelled-preview')));
  }
  if (action === 'order-keep') {
    await sort.orderJobs.save({ ...job, status: 'cancelled' });
    await interaction.editReply(orderProgressMessage({ written: 0, total: 0 }, { keptDates: true }));
    const spotify = await sort.forMember(interaction.user.id);
    const result = await orderPlaylist(
      { ...job.request, keepDates: true },
      { spotify, jobs: sort.orderJobs, discordUserId: interaction.user.id },
    );
    return void (await interaction.editReply(reorderedMessage(result, { keptDates: true })));
  }
  let lastEdit = 0;
  const outcome = await sort.runOrder(job, isPreview, {
    priority: 'interactive',
    reply: replyRefOf(interaction),
    onOrderProgress(progress) {
      if (Date.now() - lastEdit < PROGRESS_EDIT_MS) return;
      lastEdit = Date.now();
      void interaction.editReply(orderProgressMessage(progress)).catch(() => undefined);
    },
  });
  if (outcome.kind === 'missing') throw new UserError('sort.jobGone');
  if (outcome.kind === 'busy' || outcome.kind === 'not-runnable')
    return void (await interaction.followUp({
      ...notStartableMessage(outcome.kind === 'busy' ? 'running' : outcome.job.status),
      flags: MessageFlags.Ephemeral,
    }));
  await interaction.editReply(orderOutcomeMessage(outcome));
}

/** The member chose how a large split finds its genres: now (Spotify), thrifty (MusicBrainz), or cancel. */
async function handleGenreChoice(
  interaction: MessageComponentInteraction,
  sort: SortService,
  services: Services,
  action: string,
  choiceId: string,
): Promise<void> {
  const choice = await sort.genreChoices?.get(choiceId);
  if (!choice || choice.discordUserId !== interaction.user.id) throw new UserError('sort.jobGone');
  if (choice.status !== 'asked')
    return void (await interaction.followUp({
      ...notStartableMessage(choice.status === 'thrifty' ? 'running' : choice.status),
      flags: MessageFlags.Ephemeral,
    }));
  if (action === 'genres-cancel') {
    await sort.genreChoices!.save({ ...choice, status: 'cancelled' });
    return void (await interaction.editReply(cancelAnswerMessage('cancelled-preview')));
  }
  if (action === 'genres-thrifty') {
    // MusicBrainz was switched off since the question was asked (a restart without MUSICBRAINZ_URL).
    if (!sort.startThrifty) throw new UserError('command.notConfigured', { what: 'thrifty sorting' });
    const thrifty = { ...choice, status: 'thrifty' as const, reply: replyRefOf(interaction) };
    await sort.genreChoices!.save(thrifty);
    await interaction.editReply(thriftyStartedMessage(thrifty));
    return sort.startThrifty(thrifty);
  }
  const progress = progressReporter(interaction, 'Finding genres');
  const preview = await previewChosenNow(choice, {
    spotify: await sort.forMember(interaction.user.id),
    jobs: sort.jobs,
    choices: sort.genreChoices!,
    onProgress: (p) => progress.update(p.done, p.total, `Finding genres: ${p.done} / ${p.total} artists`),
  }).finally(() => progress.flush());
  await showPreview(interaction, preview, services);
}
